/**
 * The app's settings `headroom rules templates --headroom-uid` writes into each Headroom query rule (`appSettings`),
 * as the Alerts page does: Grafana gives a data source's backend no app settings, so a rule prices idle GPUs and the
 * budget with what it carries. Writing to Grafana, they are the app's saved settings (read as its pages read them)
 * with the flags on top; printing, the flags alone. Either way they pass the configuration page's check.
 */
import type { GrafanaProvisioningClient } from '../alerting/grafanaClient';
import { PLUGIN_ID } from '../constants';
import type { PricingTier } from '../engine/efficiency';
import { queryAppSettings, type GpuPrice, type QueryAppSettings } from '../frames/appSettings';
import { parseAppSettings } from '../frames/parseAppSettings';
import { QueryModelError } from '../frames/queryModelError';
import { settingsProblems } from '../frames/settingsProblems';
import { InputError, UsageError } from './args';
import { DEFAULT_CURRENCY, type PriceList } from './priceFile';

/** What the price and budget flags give the Headroom query templates; each absent when its flag is. */
export interface SettingsFlags {
  priceList?: PriceList;
  /** The `--prices` file, named in the rules' descriptions. */
  pricesPath?: string;
  monthlyBudget?: number;
  /** Checked IANA name. */
  timeZone?: string;
  pricingTier: PricingTier;
  /** The currency `--currency` or the price file names (`chooseCurrency`), when one does. */
  currency?: string;
}

/** The settings a Headroom query rule carries and the words its descriptions use for them. */
export interface TemplateAppSettings {
  appSettings: QueryAppSettings;
  pricesName?: string;
  currency?: string;
}

/** What the app keeps, for the messages: the four settings a query rule reads. */
const SETTINGS_WORDS = 'GPU prices, business calendar, monthly budget and its time zone';
const BY_FLAG =
  'pass them by flag and leave the app alone with --no-app-settings: --prices FILE, --monthly-budget X, ' +
  '--time-zone ZONE (the rules then carry no business calendar)';

/** The flags' settings, checked as the configuration page checks what it saves; a problem is a usage error. */
export function flagSettings(flags: SettingsFlags): QueryAppSettings {
  const gpuPrices: GpuPrice[] | undefined = flags.priceList?.rows;
  const problems = settingsProblems(gpuPrices ?? [], flags.monthlyBudget, flags.timeZone);
  if (problems.length > 0) {
    throw new UsageError(problems.join(' '));
  }
  return withoutAbsent({ gpuPrices, monthlyBudget: flags.monthlyBudget, budgetTimeZone: flags.timeZone });
}

/**
 * The app's saved settings as the Alerts page reads them (`GET /api/plugins/<app id>/settings`, jsonData only),
 * checked as a query's settings are. A 403 or 404 says which settings could not be read and how to give them by flag.
 */
export async function savedAppSettings(grafana: GrafanaProvisioningClient): Promise<QueryAppSettings> {
  const jsonData = await grafana.appJsonData(
    PLUGIN_ID,
    `The Headroom query templates carry the app's ${SETTINGS_WORDS}: fix that, or ${BY_FLAG}.`
  );
  try {
    return queryAppSettings(parseAppSettings(jsonData, "The app's settings read from Grafana"));
  } catch (error) {
    if (error instanceof QueryModelError) {
      throw new InputError(`${error.message} Or ${BY_FLAG}.`);
    }
    throw error;
  }
}

/**
 * The flags on top of the saved settings (none when printing). The app keeps US dollars: a `--currency` other than
 * USD cannot describe a price or budget that comes from it.
 */
export function templateAppSettings(
  flags: SettingsFlags,
  saved: QueryAppSettings | undefined
): TemplateAppSettings | undefined {
  const fromFlags = flagSettings(flags);
  if (saved === undefined && Object.keys(fromFlags).length === 0 && flags.currency === undefined) {
    return undefined;
  }
  const appSettings = withoutAbsent({ ...queryAppSettings(saved ?? {}), ...fromFlags });
  const fromApp = [
    !fromFlags.gpuPrices && appSettings.gpuPrices?.length ? 'GPU prices' : undefined,
    fromFlags.monthlyBudget === undefined && appSettings.monthlyBudget !== undefined ? 'monthly budget' : undefined,
  ].filter((name) => name !== undefined);
  if (flags.currency !== undefined && flags.currency !== DEFAULT_CURRENCY && fromApp.length > 0) {
    throw new UsageError(
      `--currency ${flags.currency}: the app's ${fromApp.join(' and ')} are in ${DEFAULT_CURRENCY}; give ` +
        `${fromApp.map((name) => (name === 'GPU prices' ? '--prices' : '--monthly-budget')).join(' and ')} in ` +
        `${flags.currency} too, or leave out --currency.`
    );
  }
  return {
    appSettings,
    pricesName: fromFlags.gpuPrices ? `--prices ${flags.pricesPath}` : undefined,
    currency: flags.currency,
  };
}

/** The same settings with no key for what is absent, so a rule's model and fingerprint do not depend on how. */
function withoutAbsent(settings: QueryAppSettings): QueryAppSettings {
  return Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined));
}
