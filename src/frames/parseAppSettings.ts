/**
 * The app's settings as they arrive from outside: with a query, or read from Grafana by `headroom rules templates`. Grafana gives a data source's backend no app settings, so the browser's
 * data source adds the ones an answer reads (business calendar, GPU prices, monthly budget and its time zone) to the
 * query model as `appSettings` (datasource/datasource.ts). They are checked as the configuration page checks them
 * before saving (frames/settingsProblems.ts) and the calendar's events for their shape. For a query without them (an
 * alert rule made from a panel, an expression, a public dashboard) the backend reads the saved settings from Grafana
 * (backend/appSettingsReader.ts), else uses the shipped list prices, no calendar and no budget. The command line and
 * the backend read them with `GET /api/plugins/<app id>/settings` and check them here too.
 */
import type { BusinessEvent, GpuPrice, HeadroomAppSettings } from './appSettings';
import { QueryModelError } from './queryModelError';
import { settingsProblems } from './settingsProblems';

/** Where the settings came from, at the start of every complaint about them. */
export const SENT_WITH_QUERY = "The app's settings sent with the query";

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function listOf<T>(origin: string, value: unknown, name: string, check: (item: unknown) => item is T): T[] | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  if (!Array.isArray(value) || !value.every(check)) {
    throw new QueryModelError(`${origin}: ${name} is not a list of ${name === 'gpuPrices' ? 'prices' : 'events'}.`);
  }
  return value;
}

function isPrice(item: unknown): item is GpuPrice {
  return (
    isObject(item) &&
    typeof item.gpuModel === 'string' &&
    (item.source === undefined || typeof item.source === 'string')
  );
}

function isEvent(item: unknown): item is BusinessEvent {
  return (
    isObject(item) &&
    typeof item.name === 'string' &&
    typeof item.startSeconds === 'number' &&
    typeof item.endSeconds === 'number' &&
    (item.effect === undefined || item.effect === null || typeof item.effect === 'number')
  );
}

export function parseAppSettings(raw: unknown, origin = SENT_WITH_QUERY): HeadroomAppSettings {
  if (raw === undefined || raw === null) {
    return {};
  }
  if (!isObject(raw)) {
    throw new QueryModelError(`${origin} are not a JSON object.`);
  }
  const gpuPrices = listOf(origin, raw.gpuPrices, 'gpuPrices', isPrice);
  const businessCalendar = listOf(origin, raw.businessCalendar, 'businessCalendar', isEvent)?.map(
    ({ effect, ...event }) => (effect === null || effect === undefined ? event : { ...event, effect })
  );
  const monthlyBudget = raw.monthlyBudget === null ? undefined : (raw.monthlyBudget as number | undefined);
  if (raw.budgetTimeZone !== undefined && raw.budgetTimeZone !== null && typeof raw.budgetTimeZone !== 'string') {
    throw new QueryModelError(`${origin}: budgetTimeZone is not a time zone name.`);
  }
  const budgetTimeZone = (raw.budgetTimeZone ?? undefined) as string | undefined;
  const problems = settingsProblems(gpuPrices ?? [], monthlyBudget, budgetTimeZone);
  if (problems.length > 0) {
    throw new QueryModelError(`${origin} cannot be used: ${problems.join(' ')} Fix them in the app's configuration.`);
  }
  return {
    ...(gpuPrices && { gpuPrices: gpuPrices.map((price) => ({ ...price, source: price.source ?? '' })) }),
    ...(businessCalendar && { businessCalendar }),
    ...(monthlyBudget !== undefined && { monthlyBudget }),
    ...(budgetTimeZone !== undefined && { budgetTimeZone }),
  };
}
