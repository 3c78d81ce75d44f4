/** The app's `jsonData`, saved from the configuration page. */
export interface HeadroomAppSettings {
  /** UID of the Headroom data source the pages select when the URL names none. */
  defaultDatasourceUid?: string;
  /** Launches, promotions, holidays: times when demand is expected to differ from its usual rhythm. */
  businessCalendar?: BusinessEvent[];
  /** Prices per GPU model; absent means the shipped placeholders. */
  gpuPrices?: GpuPrice[];
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

export const PLACEHOLDER_PRICE_SOURCE = 'Placeholder shipped with Headroom, not a quote: replace with your prices.';

/**
 * Round-number placeholders in the range public clouds charged for these GPUs in 2024–2025; no price list is cited,
 * so every row says it is a placeholder until someone enters their own contract or list prices.
 */
export const DEFAULT_GPU_PRICES: GpuPrice[] = [
  {
    gpuModel: 'NVIDIA H100 80GB HBM3',
    onDemandPerGpuHour: 6,
    reservedPerGpuHour: 3.5,
    spotPerGpuHour: 2.5,
    source: PLACEHOLDER_PRICE_SOURCE,
  },
  {
    gpuModel: 'NVIDIA A100-SXM4-80GB',
    onDemandPerGpuHour: 4,
    reservedPerGpuHour: 2.4,
    spotPerGpuHour: 1.6,
    source: PLACEHOLDER_PRICE_SOURCE,
  },
  {
    gpuModel: 'NVIDIA L4',
    onDemandPerGpuHour: 0.8,
    reservedPerGpuHour: 0.5,
    spotPerGpuHour: 0.3,
    source: PLACEHOLDER_PRICE_SOURCE,
  },
];

export function gpuPricesOf(settings: HeadroomAppSettings | undefined): GpuPrice[] {
  return settings?.gpuPrices?.length ? settings.gpuPrices : DEFAULT_GPU_PRICES;
}
