/** @jest-environment node */
import {
  createGrafanaProvisioningClient,
  GrafanaForbiddenError,
  type GrafanaHttpResponse,
} from '../alerting/grafanaClient';
import { InputError, UsageError } from './args';
import { savedAppSettings, templateAppSettings, type SettingsFlags } from './templateAppSettings';

const H100 = 'NVIDIA H100 80GB HBM3';
const contract = {
  gpuModel: H100,
  onDemandPerGpuHour: 7.5,
  reservedPerGpuHour: 5,
  source: 'Entered by an administrator',
};
const fileRow = {
  gpuModel: H100,
  onDemandPerGpuHour: 6,
  reservedPerGpuHour: 4,
  spotPerGpuHour: 2,
  source: '--prices p.json',
};
const calendar = [{ name: 'Launch', startSeconds: 1_800_000_000, endSeconds: 1_800_086_400, effect: 1.5 }];
const none: SettingsFlags = { pricingTier: 'onDemand' };

/** A client whose Grafana answers the settings request with this. */
const grafanaAnswering = (answer: GrafanaHttpResponse) => createGrafanaProvisioningClient(async () => answer);
const saved = (jsonData: unknown) =>
  savedAppSettings(grafanaAnswering({ status: 200, body: { id: 'headroom-capacity-app', jsonData } }));

describe('savedAppSettings', () => {
  it('takes what a query reads from jsonData, not the default data source', async () => {
    await expect(
      saved({ defaultDatasourceUid: 'hr', gpuPrices: [contract], businessCalendar: calendar, monthlyBudget: 20_000 })
    ).resolves.toEqual({ gpuPrices: [contract], businessCalendar: calendar, monthlyBudget: 20_000 });
  });

  it('refuses saved settings the configuration page would refuse, saying how to do without them', async () => {
    const zero = saved({ gpuPrices: [{ ...contract, onDemandPerGpuHour: 0 }] });
    await expect(zero).rejects.toBeInstanceOf(InputError);
    await expect(zero).rejects.toThrow(
      /read from Grafana cannot be used: The on-demand price of NVIDIA H100 80GB HBM3 must be .* --no-app-settings/
    );
  });

  it('names the settings a 403 kept from it and the flags that give them instead', async () => {
    const denied = savedAppSettings(grafanaAnswering({ status: 403, body: { message: 'Access Denied' } }));
    await expect(denied).rejects.toBeInstanceOf(GrafanaForbiddenError);
    await expect(denied).rejects.toThrow(
      /GPU prices, business calendar, monthly budget and its time zone: fix that, or pass them by flag .*--no-app-settings: --prices FILE, --monthly-budget X, --time-zone ZONE/
    );
  });
});

describe('templateAppSettings', () => {
  it('carries nothing when printing without price or budget flags: the backend uses the list prices', () => {
    expect(templateAppSettings(none, undefined)).toBeUndefined();
  });

  it("puts the flags over the app's settings, one setting at a time", () => {
    const app = { gpuPrices: [contract], businessCalendar: calendar, monthlyBudget: 20_000, budgetTimeZone: 'UTC' };
    expect(templateAppSettings(none, app)).toEqual({ appSettings: app });
    const flags: SettingsFlags = {
      pricingTier: 'reserved',
      priceList: { rows: [fileRow] },
      pricesPath: 'p.json',
      monthlyBudget: 15_000,
      timeZone: 'Europe/Berlin',
    };
    expect(templateAppSettings(flags, app)).toEqual({
      appSettings: {
        gpuPrices: [fileRow],
        businessCalendar: calendar,
        monthlyBudget: 15_000,
        budgetTimeZone: 'Europe/Berlin',
      },
      pricesName: '--prices p.json',
    });
  });

  it("checks the flags as the configuration page checks its fields: a bad one is a usage error in the page's words", () => {
    expect(() => templateAppSettings({ ...none, monthlyBudget: -5 }, undefined)).toThrow(
      new UsageError('The monthly budget must be a positive number of dollars, or empty for none.')
    );
    expect(() =>
      templateAppSettings({ ...none, priceList: { rows: [{ ...fileRow, gpuModel: '' }] } }, undefined)
    ).toThrow(/Row 1 has no GPU model/);
  });

  it("refuses a currency other than the app's dollars for a price or budget that comes from the app", () => {
    const app = { gpuPrices: [contract], monthlyBudget: 20_000 };
    expect(() => templateAppSettings({ ...none, currency: 'EUR' }, app)).toThrow(
      "--currency EUR: the app's GPU prices and monthly budget are in USD; give --prices and --monthly-budget in EUR too, or leave out --currency."
    );
    const euros = { ...none, currency: 'EUR', priceList: { rows: [fileRow], currency: 'EUR' }, pricesPath: 'p.json' };
    expect(templateAppSettings({ ...euros, monthlyBudget: 9000 }, app)?.currency).toBe('EUR');
  });
});
