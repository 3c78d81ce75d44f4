import { listPrices } from '../engine/capacity';

/** The app's `jsonData`, saved from the configuration page. */
export interface HeadroomAppSettings {
  /** UID of the Headroom data source the pages select when the URL names none. */
  defaultDatasourceUid?: string;
  /** Launches, promotions, holidays: times when demand is expected to differ from its usual rhythm. */
  businessCalendar?: BusinessEvent[];
  /** Prices per GPU model; absent means the shipped list prices. */
  gpuPrices?: GpuPrice[];
  /** Monthly GPU budget in US dollars, against which the Efficiency page projects the month's spend. */
  monthlyBudget?: number;
  /** IANA time zone whose calendar month the budget covers (the invoice month); absent means UTC. */
  budgetTimeZone?: string;
}

/** What of the app's settings a query's answer reads: the data source and the rule templates put it in query models. */
export type QueryAppSettings = Omit<HeadroomAppSettings, 'defaultDatasourceUid'>;

/** The part of the app's settings a query's answer reads (never a secret: the app keeps none of those in jsonData). */
export function queryAppSettings(settings: HeadroomAppSettings): QueryAppSettings {
  const { businessCalendar, gpuPrices, monthlyBudget, budgetTimeZone } = settings;
  return { businessCalendar, gpuPrices, monthlyBudget, budgetTimeZone };
}

/** A business event, in the engine's terms (engine/forecast): epoch seconds, effect as a factor on demand. */
export interface BusinessEvent {
  name: string;
  startSeconds: number;
  endSeconds: number;
  /** Expected demand multiplier while the event lasts (1.5 = +50 %); absent lets the model learn it. */
  effect?: number;
}

/** US dollars per GPU-hour for one GPU model. */
export interface GpuPrice {
  gpuModel: string;
  onDemandPerGpuHour: number;
  reservedPerGpuHour: number;
  spotPerGpuHour?: number;
  /** Where and when the prices came from, shown beside them. */
  source: string;
}

/** Source of a price someone typed in the configuration page. */
export const ENTERED_PRICE_SOURCE = 'Entered by an administrator';

/** Published cloud list prices (engine/capacity/listPrices.ts); they stand in until someone enters contract prices. */
export const DEFAULT_GPU_PRICES: GpuPrice[] = listPrices();

/** Whether a row still carries a shipped list price rather than one someone entered. */
export function isListPrice(price: GpuPrice): boolean {
  return DEFAULT_GPU_PRICES.some((d) => d.source === price.source);
}

export function gpuPricesOf(settings: HeadroomAppSettings | undefined): GpuPrice[] {
  return settings?.gpuPrices?.length ? settings.gpuPrices : DEFAULT_GPU_PRICES;
}
