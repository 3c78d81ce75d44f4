/**
 * The app's configuration page in headless Chromium, where Grafana shows it: the plugin page's tab
 * `/plugins/headroom-capacity-app?page=configuration` (PluginDetailsBody.tsx renders the config page whose id is
 * `page`). It must show the settings Grafana hands it, in both themes, without console errors; the screenshots are
 * the README's. Saving is covered by src/pages/AppConfig/AppConfig.test.tsx.
 */
import { DEFAULT_GPU_PRICES } from '../../src/datasource/appSettings';
import { problemsOf, waitForText } from './harness/assertions';
import { screenshot, startHarness, type Harness, type Theme } from './harness';

const CONFIG_PATH = '/plugins/headroom-capacity-app';
const SETTINGS = { defaultDatasourceUid: 'headroom', monthlyBudget: 20000, budgetTimeZone: 'Europe/Berlin' };

let harness: Harness | undefined;

beforeAll(async () => {
  harness = await startHarness({ appJsonData: SETTINGS });
});

afterAll(() => harness?.close());

describe.each<Theme>(['light', 'dark'])('Configuration page (%s theme)', (theme) => {
  it('shows the saved default data source, budget and time zone, and a row per catalog GPU model', async () => {
    harness!.server.notFound.length = 0;
    const watched = await harness!.open(CONFIG_PATH, { page: 'configuration' }, theme);
    const { page } = watched;
    try {
      await waitForText(page.locator('body'), /GPU prices[\s\S]*Budget time zone/);
      await page.getByLabel('GPU model 1').waitFor();
      // Grafana draws an icon once its SVG has loaded, each copy on its own: the picture waits for every row's.
      await page.waitForFunction(
        (rows) => document.querySelectorAll('button[aria-label="Remove GPU model"] svg').length === rows,
        DEFAULT_GPU_PRICES.length
      );
      await screenshot(page, `config-page-${theme}`);

      await waitForText(page.getByTestId('headroom-config-datasource'), /Headroom/);
      expect(await page.getByLabel('Monthly GPU budget').inputValue()).toBe('20000');
      await waitForText(page.locator('body'), /Europe\/Berlin|Berlin/);
      expect(await page.getByLabel(/^GPU model \d+$/).count()).toBe(DEFAULT_GPU_PRICES.length);
      expect(problemsOf(watched, harness!.server.notFound)).toEqual([]);
    } finally {
      await page.close();
    }
  });
});

it('answers a page id the app has no config page for as Grafana does', async () => {
  const watched = await harness!.open(CONFIG_PATH, { page: 'nothing-here' });
  try {
    await waitForText(watched.page.locator('body'), /Page not found\./);
  } finally {
    await watched.page.close();
  }
});

it('opens the first config page when the URL names none, as Grafana does for a user who may edit plugins', async () => {
  const watched = await harness!.open(CONFIG_PATH, {});
  try {
    await waitForText(watched.page.locator('body'), /GPU prices[\s\S]*Budget time zone/);
  } finally {
    await watched.page.close();
  }
});
