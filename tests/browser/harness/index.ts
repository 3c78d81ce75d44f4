// One harness per test file: the host bundle, the HTTP server over dist/, and one browser shared by the file's tests.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { launchBrowser, openWatchedPage, type Browser, type WatchedPage } from './browser';
import { buildHostBundle, REPO_ROOT } from './buildHost';
import { startHarnessServer, type HarnessServer, type HarnessServerOptions, type PluginUrlLayout } from './server';

/** The built plugin under test; HEADROOM_BROWSER_DIST points the harness at another build. */
const DIST_DIR = process.env.HEADROOM_BROWSER_DIST || path.join(REPO_ROOT, 'dist');
const SCREENSHOT_DIR = path.join(REPO_ROOT, 'test-results/screenshots');
/**
 * Which Grafana's URLs the nested plugins get when a test does not choose: HEADROOM_PLUGIN_LAYOUT=parent-folder runs
 * the browser tests against Grafana 11.x–12.1's, default Grafana 12.4's (server.ts).
 */
const DEFAULT_LAYOUT = (process.env.HEADROOM_PLUGIN_LAYOUT || 'own-id') as PluginUrlLayout;

export type Theme = 'dark' | 'light';

export interface Harness {
  server: HarnessServer;
  /** Milliseconds spent building the host bundle (0 when the cached one was reused). */
  hostBuildMs: number;
  /** Opens a harness path (`/a/...` or `/panel/...`) with query parameters, in the given theme. */
  open(pathname: string, params?: Record<string, string>, theme?: Theme): Promise<WatchedPage>;
  close(): Promise<void>;
}

export async function startHarness(
  options: {
    prometheusUrl?: string;
    prometheusDataSource?: HarnessServerOptions['prometheusDataSource'];
    grafanaApi?: { url: string; token: string };
    appJsonData?: Record<string, unknown>;
    layout?: PluginUrlLayout;
    headroom?: HarnessServerOptions['headroom'];
    backendCommand?: HarnessServerOptions['backendCommand'];
  } = {}
): Promise<Harness> {
  if (!existsSync(path.join(DIST_DIR, 'module.js'))) {
    throw new Error(`No built plugin in ${DIST_DIR}: run \`npm run build\` before the browser tests`);
  }
  const bundle = await buildHostBundle();
  let server: HarnessServer | undefined;
  let browser: Browser | undefined;
  try {
    server = await startHarnessServer({
      distDir: DIST_DIR,
      hostBundleDir: bundle.dir,
      prometheusUrl: options.prometheusUrl,
      prometheusDataSource: options.prometheusDataSource,
      grafanaApi: options.grafanaApi,
      appJsonData: options.appJsonData,
      layout: options.layout ?? DEFAULT_LAYOUT,
      headroom: options.headroom,
      backendCommand: options.backendCommand,
    });
    browser = await launchBrowser();
  } catch (error) {
    await server?.close();
    throw error;
  }
  const { context } = browser;
  const running = server;
  return {
    server,
    hostBuildMs: bundle.buildMs,
    open: (pathname, params = {}, theme = 'dark') => {
      const search = new URLSearchParams({ ...params, ...(theme === 'light' ? { theme } : {}) });
      return openWatchedPage(context, `${running.url}${pathname}?${search}`);
    },
    close: async () => {
      await Promise.allSettled([browser!.close(), running.close()]);
    },
  };
}

/** Full-page screenshot into test-results/screenshots/<name>.png (git-ignored). */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}
