/**
 * The built plugins under the URLs each Grafana gives nested plugins (harness/server.ts): 12.4's, where a nested
 * plugin is served under its own id from its own folder only, and 11.x–12.1's, under the app's id and its folder.
 * In both, every plugin gets Grafana's module, base and logo URLs, its logos are served, and the data source's Web
 * Workers (forecast with the TensorFlow.js chunks and WebAssembly, fragmentation, efficiency) load everything from
 * the folder Grafana served the data source's module from, with no 404.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { panel, problemsOf, waitForText } from './harness/assertions';
import { REPO_ROOT } from './harness/buildHost';
import { FORECAST_HISTORY, startSimulatedFleet, type SimulatedFleet } from './harness/fleet';
import { startHarness, type Harness } from './harness';
import { PLUGIN_URL_LAYOUTS, type PluginUrlLayout } from './harness/server';

const APP_ID = 'headroom-capacity-app';
const DATASOURCE_ID = 'headroom-capacity-datasource';
/** Each nested plugin's id and plugin.json folder (the same under src/ and dist/). */
const NESTED = [
  { id: DATASOURCE_ID, folder: 'datasource' },
  { id: 'headroom-efficiency-panel', folder: 'panels/efficiency' },
  { id: 'headroom-forecast-panel', folder: 'panels/forecast' },
  { id: 'headroom-fragmentation-panel', folder: 'panels/fragmentation' },
];
/** The app's version is the package's; nested plugins have none and inherit it (Grafana's child plugin rule). */
const VERSION: string = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).version;

/**
 * Where Grafana serves a nested plugin from: `public/plugins/<its id>` on 12.2–12.4
 * (pkg/plugins/pluginassets/localprovider.go), `public/plugins/<app id>/<folder>` on 11.x–12.1 (assetpath.go).
 */
function nestedBase(layout: PluginUrlLayout, id: string, folder: string): string {
  return layout === 'own-id' ? `public/plugins/${id}` : `public/plugins/${APP_ID}/${folder}`;
}

let fleet: SimulatedFleet | undefined;

beforeAll(async () => {
  fleet = await startSimulatedFleet(FORECAST_HISTORY);
}, 150_000);

afterAll(async () => {
  await fleet?.stop();
});

describe.each(PLUGIN_URL_LAYOUTS)('Nested plugins at the %s URLs', (layout) => {
  let harness: Harness | undefined;
  const datasourceBase = `/${nestedBase(layout, DATASOURCE_ID, 'datasource')}/`;

  beforeAll(async () => {
    harness = await startHarness({ prometheusUrl: fleet!.prometheusUrl, layout });
  });

  afterAll(async () => {
    await harness?.close();
  });

  /** Opens a Headroom panel fed a query, and returns what it requested from the plugins' folders. */
  async function openPanel(
    id: string,
    title: string,
    query: object,
    shows: (root: ReturnType<typeof panel>) => Promise<unknown>
  ) {
    const { server } = harness!;
    server.notFound.length = 0;
    server.pluginRequests.length = 0;
    const watched = await harness!.open(`/panel/${id}`, { title, ...fleet!.timeRange, query: JSON.stringify(query) });
    try {
      await shows(panel(watched.page, title));
      expect(problemsOf(watched, server.notFound)).toEqual([]);
      return [...server.pluginRequests];
    } finally {
      await watched.page.close();
    }
  }

  it("gives each plugin its module, base and logo URLs as Grafana's backend computes them", () => {
    const { app, nested } = harness!.server.boot;
    const urls = [app, ...nested].map((meta) => ({
      id: meta.id,
      module: meta.module,
      baseUrl: meta.baseUrl,
      logos: meta.info.logos,
      version: meta.info.version,
    }));
    const appBase = `public/plugins/${APP_ID}`;
    expect(urls).toEqual(
      [
        { id: APP_ID, baseUrl: appBase },
        ...NESTED.map(({ id, folder }) => ({ id, baseUrl: nestedBase(layout, id, folder) })),
      ].map(({ id, baseUrl }) => ({
        id,
        module: `${baseUrl}/module.js`,
        baseUrl,
        logos: { small: `${baseUrl}/img/logo.svg`, large: `${baseUrl}/img/logo.svg` },
        version: VERSION,
      }))
    );
  });

  it('serves every plugin logo at the URL Grafana gives it', async () => {
    const { app, nested } = harness!.server.boot;
    harness!.server.notFound.length = 0;
    for (const meta of [app, ...nested]) {
      const response = await fetch(`${harness!.server.url}/${meta.info.logos.small}`);
      expect({ logo: meta.info.logos.small, status: response.status }).toEqual({
        logo: meta.info.logos.small,
        status: 200,
      });
      expect(response.headers.get('content-type')).toBe('image/svg+xml');
      expect(await response.text()).toMatch(/^<svg[\s>]/);
    }
    expect(harness!.server.notFound).toEqual([]);
  });

  it("trains the LSTM in the forecast worker, with TensorFlow.js' chunks and WebAssembly from the data source's folder", async () => {
    const requests = await openPanel(
      'headroom-forecast-panel',
      'Allocated GPUs forecast',
      { queryType: 'capacity', target: 'gpus_allocated', horizonHours: '24', capacity: 'gpu_capacity', model: 'lstm' },
      (shown) => waitForText(shown.getByTestId('headroom-forecast-model'), /Forecast: lstm \(trained on wasm\)/)
    );
    // The module as Grafana imports it: root-relative, with the version as cache query.
    expect(requests).toContain(`${datasourceBase}module.js?_cache=${VERSION}`);
    const fromDatasource = requests.filter((request) => request.startsWith(datasourceBase));
    // The worker bundle and TensorFlow.js' chunks, then its WebAssembly.
    expect(
      fromDatasource.filter((request) => /\/\d+\.js\?_cache=[0-9a-f]+$/.test(request)).length
    ).toBeGreaterThanOrEqual(3);
    expect(fromDatasource.filter((request) => /\.wasm$/.test(request)).length).toBeGreaterThanOrEqual(1);
    // Nothing of the data source's is fetched from the app's folder, which 11.x–12.1 also serve.
    const forecastPanelBase = `/${nestedBase(layout, 'headroom-forecast-panel', 'panels/forecast')}/`;
    expect(
      requests.filter((request) => !request.startsWith(datasourceBase) && !request.startsWith(forecastPanelBase))
    ).toEqual([]);
  });

  it("runs the fragmentation and efficiency workers from the data source's folder", async () => {
    const fragmentation = await openPanel(
      'headroom-fragmentation-panel',
      'GPUs by node',
      { queryType: 'fragmentation', fragmentationView: 'grid' },
      (shown) => shown.getByTestId('headroom-gpu-grid').waitFor()
    );
    const efficiency = await openPanel(
      'headroom-efficiency-panel',
      'Waste',
      { queryType: 'efficiency', efficiencyView: 'waste' },
      (shown) => shown.getByTestId('headroom-efficiency-waste-table').waitFor()
    );
    for (const requests of [fragmentation, efficiency]) {
      // The data source's module and its worker bundle.
      expect(requests.filter((request) => request.startsWith(datasourceBase)).length).toBeGreaterThanOrEqual(2);
    }
  });
});
