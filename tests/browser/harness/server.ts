// The HTTP side of the harness, standing in for Grafana's server: the host page and bundle, the built plugins under
// /public/plugins/<id>/, fonts and icons, the app settings endpoint, the Prometheus resource proxy, and the alerting
// API forwarded to the Grafana double. Anything else is a 404, recorded so a test can fail on it.
import { createReadStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { PluginMeta } from '@grafana/data';
import { REPO_ROOT } from './buildHost';
import { grafanaSlug } from '../../kit/dashboardJson';
import { GRAFANA_API_PATHS, proxyToGrafanaApi } from './grafanaApiProxy';
import { answerDsQuery, type ForwardedQuery } from './dsQuery';
import {
  startPluginBackend,
  storedDataSource,
  type HeadroomDataSourceRecord,
  type PluginBackend,
} from './pluginBackend';
import { callDataSourceResource, DATA_SOURCE_RESOURCES, type PrometheusDataSource } from './resourceProxy';
import type { HarnessBootPayload } from './host/catalog';

/**
 * The URLs Grafana gives a nested plugin (docs/grafana-compatibility.md): `own-id` is 12.2 to 12.4
 * (`public/plugins/<nested id>/module.js`, pkg/plugins/pluginassets/localprovider.go), `parent-folder` is 11.x to
 * 12.1 (`public/plugins/<app id>/<folder>/module.js`, pkg/plugins/manager/loader/assetpath/assetpath.go). Both
 * Grafanas serve the same files: a plugin's id reaches the folder of its plugin.json, the app's the whole tree.
 */
export type PluginUrlLayout = 'own-id' | 'parent-folder';
export const PLUGIN_URL_LAYOUTS: PluginUrlLayout[] = ['own-id', 'parent-folder'];

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
  /** Which Grafana's URLs the page gets for the nested plugins; default `own-id` (Grafana 12.4). */
  layout?: PluginUrlLayout;
  /**
   * The Headroom data source's stored settings (uid `headroom`); default: only `prometheusUid: prometheus`, read
   * through the Prometheus data source. With a `url`, Grafana runs the data source's backend
   * (`backend: true` in its plugin.json, as the packaged plugin declares it), started here through the go-plugin
   * handshake, and routes the data source's resource, health and settings calls to it (pluginBackend.ts).
   */
  headroom?: Omit<HeadroomDataSourceRecord, 'uid' | 'name' | 'type'>;
  /** How that backend is started; default from source (tsx), as tests/integration/backend-process.test.ts does. */
  backendCommand?: string[];
}

export interface HarnessServer {
  url: string;
  /** The plugins' metadata as the page gets it (module, baseUrl and logo URLs computed as Grafana does). */
  boot: HarnessBootPayload;
  /** Paths answered with 404 since the last reset, in order. */
  notFound: string[];
  /** Every query passed to a backend through `POST /api/ds/query`, in order (dsQuery.ts). */
  dsQueries: ForwardedQuery[];
  /** Plugin files asked for since the last reset, served or not, in order: `/public/plugins/<id>/<file>?<query>`. */
  pluginRequests: string[];
  /** Icons @grafana/ui asked for that are not among the icons it ships (answered with a neutral placeholder). */
  placeholderIcons: Set<string>;
  /** The Headroom backend's stderr (its log) so far; empty without a backend. */
  backendLog(): string;
  /** The Headroom backend's process id; undefined without a backend. */
  backendPid?: number;
  close(): Promise<void>;
}

interface PluginJson {
  id: string;
  type: string;
  info: { version?: string; logos?: { small?: string; large?: string }; screenshots?: Array<{ path: string }> };
  includes?: Array<{ type: string; path?: string }>;
  languages?: string[];
  [key: string]: unknown;
}

/** A plugin found in dist/: its plugin.json and the folder holding it (what Grafana serves under its id). */
interface FoundPlugin {
  json: PluginJson;
  dir: string;
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

/** `/public/plugins/<id>/<file>`: the id and the file inside that plugin's folder. */
const PLUGIN_ASSET = /^\/public\/plugins\/([^/]+)\/(.+)$/;
const NODE_MODULES = path.join(REPO_ROOT, 'node_modules');
const ICONS_DIR = path.join(NODE_MODULES, '@grafana/ui/dist/public/img/icons');
const INTER_DIR = path.join(NODE_MODULES, 'inter-ui/web');
// @grafana/ui asks for one latin Roboto Mono file (by its Google Fonts name) for both weights it uses.
const ROBOTO_MONO_FILE = path.join(NODE_MODULES, '@fontsource/roboto-mono/files/roboto-mono-latin-400-normal.woff2');
const PLACEHOLDER_ICON =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><circle cx="12" cy="12" r="4" fill="currentColor"/></svg>';

/** Grafana's dashboard API, `GET /api/dashboards/uid/:uid` (pkg/api/dashboard.go GetDashboard), for the app's ones. */
const DASHBOARD_BY_UID = /^\/api\/dashboards\/uid\/([^/]+)$/;

/**
 * The app's dashboards as Grafana imports them when the app is enabled (docs/grafana-compatibility.md, "Runbook
 * dashboards"): each `includes` entry of type dashboard read from the plugin folder, imported with no inputs (a
 * dashboard with `__inputs` fails, as dash_template_evaluator.go fails it), `__inputs` and `__requires` dropped.
 */
function importedAppDashboards(
  appDir: string,
  json: PluginJson
): Array<Record<string, unknown> & { uid: string; slug: string }> {
  return (json.includes ?? [])
    .filter((include) => include.type === 'dashboard' && include.path)
    .map((include) => {
      const dashboard = readJson<Record<string, unknown>>(path.join(appDir, include.path!));
      if (Array.isArray(dashboard.__inputs) && dashboard.__inputs.length > 0) {
        throw new Error(`${include.path}: dashboard import failed: missing dashboard input variable`);
      }
      delete dashboard.__inputs;
      delete dashboard.__requires;
      const slug = grafanaSlug(String(dashboard.title));
      return { ...dashboard, uid: String(dashboard.uid), slug };
    });
}

function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

/**
 * Every plugin.json folder under `dir` (sorted), as Grafana's local source walks a plugin folder (skipping
 * node_modules); the ones below the app's folder become its children
 * (pkg/plugins/manager/sources/source_local_disk.go).
 */
export function pluginDirs(dir: string): string[] {
  const nested = readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name !== 'node_modules')
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => pluginDirs(path.join(dir, entry.name)));
  return existsSync(path.join(dir, 'plugin.json')) ? [dir, ...nested] : nested;
}

/**
 * The metadata Grafana's backend computes for a plugin (pkg/plugins/manager/pipeline/bootstrap/factory.go):
 * `module` and `baseUrl` from the asset base, logos and screenshots joined onto it, a missing logo replaced by
 * Grafana's default icon, a child without a version given its parent's, and `translations`: for each of the
 * plugin.json `languages`, `<asset base>/locales/<language>/<id>.json` (pkg/plugins/manager/loader/assetpath,
 * GetTranslations).
 */
function pluginMeta(json: PluginJson, assetBase: string, version: string | undefined): PluginMeta {
  const asset = (file: string) => path.posix.join(assetBase, file);
  const logo = (file: string | undefined) => (file ? asset(file) : `public/img/icn-${json.type}.svg`);
  return {
    ...json,
    module: asset('module.js'),
    baseUrl: assetBase,
    info: {
      ...json.info,
      version: json.info.version ?? version,
      logos: { small: logo(json.info.logos?.small), large: logo(json.info.logos?.large) },
      screenshots: (json.info.screenshots ?? []).map((screenshot) => ({ ...screenshot, path: asset(screenshot.path) })),
    },
    ...(json.languages && {
      translations: Object.fromEntries(
        json.languages.map((language) => [language, asset(`locales/${language}/${json.id}.json`)])
      ),
    }),
  } as unknown as PluginMeta;
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
  const layout = options.layout ?? 'own-id';
  if (!PLUGIN_URL_LAYOUTS.includes(layout)) {
    throw new Error(`Unknown plugin URL layout "${layout}": use one of ${PLUGIN_URL_LAYOUTS.join(', ')}`);
  }
  const [appDir, ...nestedDirs] = pluginDirs(distDir);
  if (appDir !== distDir) {
    throw new Error(`${distDir} has no plugin.json: it is not a built app plugin`);
  }
  const app: FoundPlugin = { json: readJson<PluginJson>(path.join(appDir, 'plugin.json')), dir: appDir };
  const nested: FoundPlugin[] = nestedDirs.map((dir) => ({
    json: readJson<PluginJson>(path.join(dir, 'plugin.json')),
    dir,
  }));
  // Grafana serves `/public/plugins/<id>/*` from the FS of the plugin with that id (pkg/api/plugins.go).
  const servedDirs = new Map([app, ...nested].map((plugin) => [plugin.json.id, plugin.dir]));
  const appBase = `public/plugins/${app.json.id}`;
  const appVersion = app.json.info.version;
  const boot: HarnessBootPayload = {
    app: pluginMeta(app.json, appBase, appVersion),
    nested: nested.map(({ json, dir }) =>
      pluginMeta(
        json,
        layout === 'own-id'
          ? `public/plugins/${json.id}`
          : path.posix.join(appBase, path.relative(appDir, dir).split(path.sep).join('/')),
        appVersion
      )
    ),
  };
  const headroomJson = nested.find((plugin) => plugin.json.type === 'datasource')?.json;
  const headroomRecord = (type: string): HeadroomDataSourceRecord => ({
    url: '',
    jsonData: { prometheusUid: 'prometheus' },
    ...options.headroom,
    uid: 'headroom',
    name: 'Headroom',
    type,
  });
  let backend: PluginBackend | undefined;
  if (options.headroom?.url && headroomJson) {
    backend = await startPluginBackend(headroomRecord(headroomJson.id), options.backendCommand);
    for (const meta of boot.nested) {
      if (meta.id === headroomJson.id) {
        Object.assign(meta, { backend: true, alerting: true, executable: 'gpx_headroom' });
      }
    }
  }
  // What Grafana's frontend settings give the browser of the data source: jsonData, never the secrets or the URL.
  boot.headroomJsonData = options.headroom?.jsonData;
  const appDashboards = importedAppDashboards(appDir, app.json);
  const appSettings = {
    ...boot.app,
    enabled: true,
    pinned: true,
    autoEnabled: false,
    jsonData: options.appJsonData ?? {},
    secureJsonFields: {},
  };
  const bootScript = `window.__harnessBoot=${JSON.stringify(boot).replace(/</g, '\\u003c')};`;
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
  const dsQueries: ForwardedQuery[] = [];
  const pluginRequests: string[] = [];
  const placeholderIcons = new Set<string>();

  function route(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> | void {
    const { pathname } = url;
    if (
      // Grafana's home: the host boots with no plugin's page on it (bench:scale --navigate starts there).
      pathname === '/' ||
      pathname.startsWith('/a/') ||
      pathname.startsWith('/panel/') ||
      pathname.startsWith('/plugins/') ||
      pathname.startsWith('/connections/') ||
      pathname.startsWith('/d/') ||
      pathname.startsWith('/query-editor/')
    ) {
      res.writeHead(200, { 'Content-Type': CONTENT_TYPES['.html'] });
      res.end(page);
      return;
    }
    if (pathname === '/api/ds/query' && req.method === 'POST') {
      // Only Headroom's data source has a backend in the harness: any other uid is not found.
      return answerDsQuery(req, res, new Map(backend ? [['headroom', backend]] : []), dsQueries);
    }
    if (backend && pathname.startsWith('/api/datasources/uid/headroom')) {
      return backend.handle(req, res, url).then((handled) => {
        if (!handled) {
          answerNotFound(req, res, pathname);
        }
      });
    }
    if (pathname === '/api/datasources/uid/headroom' && headroomJson) {
      return sendJson(res, storedDataSource(headroomRecord(headroomJson.id)));
    }
    if (pathname === '/api/datasources/uid/prometheus' && options.prometheusUrl) {
      // The stored Prometheus data source (pkg/api/datasources.go GetDataSourceByUID): its real URL, no secrets.
      return sendJson(res, {
        uid: 'prometheus',
        name: 'Prometheus',
        type: 'prometheus',
        access: 'proxy',
        url: options.prometheusUrl,
        jsonData: {},
        secureJsonFields: {},
      });
    }
    if (DATA_SOURCE_RESOURCES.test(pathname)) {
      return callDataSourceResource(req, res, url, prometheusDataSources);
    }
    if (options.grafanaApi && GRAFANA_API_PATHS.test(pathname)) {
      return proxyToGrafanaApi(req, res, url, options.grafanaApi);
    }
    if (pathname === `/api/plugins/${app.json.id}/settings`) {
      return sendJson(res, appSettings);
    }
    const dashboardUid = DASHBOARD_BY_UID.exec(pathname)?.[1];
    if (dashboardUid !== undefined) {
      const found = appDashboards.find((d) => d.uid === decodeURIComponent(dashboardUid));
      return found
        ? sendJson(res, { dashboard: found, meta: { slug: found.slug, url: `/d/${found.uid}/${found.slug}` } })
        : answerNotFound(req, res, pathname, { message: 'Dashboard not found' });
    }
    let file: string | undefined;
    if (pathname.startsWith('/harness/')) {
      file = fileInside(options.hostBundleDir, pathname.slice('/harness/'.length));
    } else if (PLUGIN_ASSET.test(pathname)) {
      pluginRequests.push(`${pathname}${url.search}`);
      const [, id, asset] = pathname.match(PLUGIN_ASSET)!;
      const dir = servedDirs.get(id);
      file = dir && fileInside(dir, asset);
      if (!file) {
        // Grafana's answers (pkg/api/plugins.go getPluginAssets).
        return answerNotFound(req, res, pathname, { message: dir ? 'Plugin file not found' : 'Plugin not found' });
      }
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
    answerNotFound(req, res, pathname);
  }

  function answerNotFound(req: IncomingMessage, res: ServerResponse, pathname: string, body?: object): void {
    notFound.push(`${req.method} ${pathname}`);
    res.writeHead(404, { 'Content-Type': body ? CONTENT_TYPES['.json'] : 'text/plain' });
    res.end(body ? JSON.stringify(body) : 'Not found');
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
    boot,
    notFound,
    dsQueries,
    pluginRequests,
    placeholderIcons,
    backendLog: () => backend?.stderr() ?? '',
    backendPid: backend?.pid,
    close: async () => {
      await new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      });
      await backend?.close();
    },
  };
}
