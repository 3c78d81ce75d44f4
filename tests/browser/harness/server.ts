// The HTTP side of the harness, standing in for Grafana's server: the host page and bundle, the built plugin under
// /public/plugins/<id>/, fonts and icons, the app settings endpoint, the Prometheus resource proxy, and the alerting
// API forwarded to the Grafana double. Anything else is a 404, recorded so a test can fail on it.
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { REPO_ROOT } from './buildHost';
import { GRAFANA_API_PATHS, proxyToGrafanaApi } from './grafanaApiProxy';
import { callDataSourceResource, DATA_SOURCE_RESOURCES, type PrometheusDataSource } from './resourceProxy';

export interface HarnessServerOptions {
  distDir: string;
  hostBundleDir: string;
  /**
   * Base URL of the real Prometheus behind the data source with uid `prometheus`; without it, Grafana has no such
   * data source and its resource calls answer as for an unknown uid.
   */
  prometheusUrl?: string;
  /** That data source's `timeout` (here in milliseconds; default 30 s) and `customQueryParameters`. */
  prometheusDataSource?: Omit<PrometheusDataSource, 'uid' | 'url'>;
  /**
   * The Grafana API double (tests/grafana-double) that answers the alerting provisioning, folder, permission and
   * rule-state endpoints, and the token it accepts (Grafana's session cookie in real life); without it, those calls are 404s.
   */
  grafanaApi?: { url: string; token: string };
  /** The app's saved settings (`jsonData`: prices, budget, ...) the settings endpoint answers with; default none. */
  appJsonData?: Record<string, unknown>;
}

export interface HarnessServer {
  url: string;
  /** Paths answered with 404 since the last reset, in order. */
  notFound: string[];
  /** Icons @grafana/ui asked for that are not among the icons it ships (answered with a neutral placeholder). */
  placeholderIcons: Set<string>;
  close(): Promise<void>;
}

interface PluginJson {
  id: string;
  type: string;
  includes?: Array<{ type: string; path?: string }>;
  [key: string]: unknown;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'application/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.md': 'text/markdown; charset=utf-8',
};

const NODE_MODULES = path.join(REPO_ROOT, 'node_modules');
const ICONS_DIR = path.join(NODE_MODULES, '@grafana/ui/dist/public/img/icons');
const INTER_DIR = path.join(NODE_MODULES, 'inter-ui/web');
// @grafana/ui asks for one latin Roboto Mono file (by its Google Fonts name) for both weights it uses.
const ROBOTO_MONO_FILE = path.join(NODE_MODULES, '@fontsource/roboto-mono/files/roboto-mono-latin-400-normal.woff2');
const PLACEHOLDER_ICON =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><circle cx="12" cy="12" r="4" fill="currentColor"/></svg>';

function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

/** Resolves `relative` inside `root`, refusing paths that climb out of it. */
function fileInside(root: string, relative: string): string | undefined {
  const file = path.resolve(root, `.${path.posix.normalize(`/${decodeURIComponent(relative)}`)}`);
  return file.startsWith(root + path.sep) && existsSync(file) && statSync(file).isFile() ? file : undefined;
}

function sendFile(res: ServerResponse, file: string): void {
  res.writeHead(200, { 'Content-Type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream' });
  createReadStream(file).pipe(res);
}

function sendJson(res: ServerResponse, body: unknown): void {
  res.writeHead(200, { 'Content-Type': CONTENT_TYPES['.json'] });
  res.end(JSON.stringify(body));
}

export async function startHarnessServer(options: HarnessServerOptions): Promise<HarnessServer> {
  const distDir = path.resolve(options.distDir);
  const app = readJson<PluginJson>(path.join(distDir, 'plugin.json'));
  const pluginRoot = `/public/plugins/${app.id}/`;
  // Nested plugins are found the way Grafana finds them: through the app's `includes`.
  const nested = Object.fromEntries(
    (app.includes ?? [])
      .filter((include) => include.path?.endsWith('plugin.json'))
      .map((include) => [path.posix.dirname(include.path!), readJson<PluginJson>(path.join(distDir, include.path!))])
  );
  const appSettings = {
    ...app,
    enabled: true,
    pinned: true,
    autoEnabled: false,
    jsonData: options.appJsonData ?? {},
    secureJsonFields: {},
    module: `public/plugins/${app.id}/module.js`,
    baseUrl: `public/plugins/${app.id}`,
  };
  const bootScript = `window.__harnessBoot=${JSON.stringify({ app, nested }).replace(/</g, '\\u003c')};`;
  const page = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<base href="/">
<title>Headroom browser harness</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/harness/host.css">
<script>${bootScript}</script>
<script src="/harness/host.js" defer></script>
</head>
<body><div id="root"></div></body>
</html>`;

  const prometheusDataSources: PrometheusDataSource[] = options.prometheusUrl
    ? [{ ...options.prometheusDataSource, uid: 'prometheus', url: options.prometheusUrl }]
    : [];
  const notFound: string[] = [];
  const placeholderIcons = new Set<string>();

  function route(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> | void {
    const { pathname } = url;
    if (pathname.startsWith('/a/') || pathname.startsWith('/panel/')) {
      res.writeHead(200, { 'Content-Type': CONTENT_TYPES['.html'] });
      res.end(page);
      return;
    }
    if (DATA_SOURCE_RESOURCES.test(pathname)) {
      return callDataSourceResource(req, res, url, prometheusDataSources);
    }
    if (options.grafanaApi && GRAFANA_API_PATHS.test(pathname)) {
      return proxyToGrafanaApi(req, res, url, options.grafanaApi);
    }
    if (pathname === `/api/plugins/${app.id}/settings`) {
      return sendJson(res, appSettings);
    }
    let file: string | undefined;
    if (pathname.startsWith('/harness/')) {
      file = fileInside(options.hostBundleDir, pathname.slice('/harness/'.length));
    } else if (pathname.startsWith(pluginRoot)) {
      file = fileInside(distDir, pathname.slice(pluginRoot.length));
    } else if (pathname.startsWith('/public/fonts/inter/')) {
      file = fileInside(INTER_DIR, path.posix.basename(pathname));
    } else if (pathname.startsWith('/public/fonts/roboto/') && pathname.endsWith('.woff2')) {
      file = ROBOTO_MONO_FILE;
    } else if (pathname.startsWith('/public/build/img/icons/')) {
      const icon = pathname.slice('/public/build/img/icons/'.length);
      file = fileInside(ICONS_DIR, icon);
      if (!file && /^[a-z-]+\/[a-z0-9-]+\.svg$/.test(icon)) {
        // Grafana serves the whole unicons set; @grafana/ui ships only the icons its own components use.
        placeholderIcons.add(icon);
        res.writeHead(200, { 'Content-Type': CONTENT_TYPES['.svg'] });
        res.end(PLACEHOLDER_ICON);
        return;
      }
    }
    if (file) {
      return sendFile(res, file);
    }
    notFound.push(`${req.method} ${pathname}`);
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end('Not found');
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://harness');
    Promise.resolve(route(req, res, url)).catch((error: unknown) => {
      res.writeHead(502, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ message: `Harness server failed: ${String(error)}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    notFound,
    placeholderIcons,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
