/**
 * The built dist/ (needs `npm run build`, like the other browser tests): every plugin.json folder is self-contained.
 * Grafana 12.4 serves a nested plugin under its own id from its plugin.json folder only, so each file a folder's
 * scripts can load (webpack chunks, Web Worker bundles, `.wasm` and other emitted assets) must be in that folder; and
 * each plugin.json's logos must be there too, with the build's template variables replaced.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './harness/buildHost';
import { pluginDirs } from './harness/server';

const DIST_DIR = process.env.HEADROOM_BROWSER_DIST || path.join(REPO_ROOT, 'dist');

interface BuiltPluginJson {
  id: string;
  info: { version?: string; updated?: string; logos: { small: string; large: string } };
  includes?: Array<{ type?: string; path?: string }>;
}

const dirs = pluginDirs(DIST_DIR);
const plugins = dirs.map((dir) => ({
  dir,
  folder: path.relative(DIST_DIR, dir) || '.',
  json: JSON.parse(readFileSync(path.join(dir, 'plugin.json'), 'utf8')) as BuiltPluginJson,
}));

/** Files of a plugin's folder, without the folders of plugins nested in it (Grafana serves those under their ids). */
function ownFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (!statSync(file).isDirectory()) {
      return [path.relative(dir, file)];
    }
    return dirs.includes(file) ? [] : ownFiles(file).map((inner) => path.join(name, inner));
  });
}

/**
 * The files a minified webpack script names for loading, relative to its public path: the chunk ids of its
 * chunk-filename function (`[name].js?_cache=[contenthash]`, a map of ids to hashes, or one hash with the id at the
 * call `.u(<id>)`), and the content-hashed names of emitted assets (`[hash][ext]`: `.wasm`, images, fonts).
 */
function filesNamed(script: string): string[] {
  const chunkIds = [...script.matchAll(/\.js\?_cache="\+\{([^}]*)\}\[\w+\]/g)].flatMap(([, map]) =>
    [...map.matchAll(/(\d+):"[0-9a-f]+"/g)].map(([, id]) => id)
  );
  if (/\.u=\w+=>\w+\+"\.js\?_cache=[0-9a-f]+"/.test(script)) {
    chunkIds.push(...[...script.matchAll(/\b\w\.u\((\d+)\)/g)].map(([, id]) => id));
  }
  const assets = [...script.matchAll(/"([0-9a-f]{20}\.[a-z0-9]+)"/g)].map(([, name]) => name);
  return [...new Set([...chunkIds.map((id) => `${id}.js`), ...assets])].sort();
}

describe('dist/', () => {
  it('holds the app and its four nested plugins, each in its plugin.json folder', () => {
    expect(plugins.map(({ folder, json }) => [folder, json.id])).toEqual([
      ['.', 'headroom-capacity-app'],
      ['datasource', 'headroom-capacity-datasource'],
      ['panels/efficiency', 'headroom-efficiency-panel'],
      ['panels/forecast', 'headroom-forecast-panel'],
      ['panels/fragmentation', 'headroom-fragmentation-panel'],
    ]);
  });

  describe.each(plugins)('$folder ($json.id)', ({ dir, json }) => {
    const files = ownFiles(dir);
    const scripts = files.filter((file) => file.endsWith('.js'));

    it('holds every file its scripts can load', () => {
      const missing = scripts.flatMap((script) =>
        filesNamed(readFileSync(path.join(dir, script), 'utf8'))
          .filter((named) => !files.includes(named))
          .map((named) => `${script} loads ${named}`)
      );
      expect(missing).toEqual([]);
    });

    it('holds only chunks of its own build (their loading global is named after its id)', () => {
      const global = `webpackChunk${json.id.replace(/[^a-zA-Z0-9_$]/g, '_')}`;
      const foreign = scripts.filter((script) => {
        const chunkGlobals = readFileSync(path.join(dir, script), 'utf8').match(/\bwebpackChunk\w+/g) ?? [];
        return chunkGlobals.some((name) => name !== global);
      });
      expect(foreign).toEqual([]);
    });

    // A blob worker learns its public path from its own code (blobWorker.ts): chunks its entry needed at startup
    // (webpack's `__webpack_require__.x` startup hook) would be loaded before that, from nowhere.
    it('has Web Worker bundles that start without loading chunks', () => {
      const workers = scripts.filter((script) => readFileSync(path.join(dir, script), 'utf8').startsWith('define([],'));
      const startingWithChunks = workers.filter((script) =>
        /\.x=\(\)=>/.test(readFileSync(path.join(dir, script), 'utf8'))
      );
      expect(startingWithChunks).toEqual([]);
    });

    it('holds its logos, where Grafana looks for them (relative to its plugin.json)', () => {
      expect(json.info.logos.small).toBe('img/logo.svg');
      expect(files).toContain(json.info.logos.small);
      expect(files).toContain(json.info.logos.large);
    });

    it('has the template variables of its plugin.json replaced', () => {
      expect(readFileSync(path.join(dir, 'plugin.json'), 'utf8')).not.toMatch(/%(VERSION|TODAY|PLUGIN_ID)%/);
    });
  });

  it('gives the app the package version, the build date and its id in its page paths', () => {
    const app = plugins[0].json;
    const packageVersion = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).version;
    expect(app.info.version).toBe(packageVersion);
    expect(app.info.updated).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(app.includes?.map((include) => include.path)).toContain('/a/headroom-capacity-app/overview');
  });

  it('holds each dashboard the app includes, as in src/ (Grafana reads them from the plugin folder)', () => {
    const dashboards = (plugins[0].json.includes ?? []).filter((include) => include.type === 'dashboard');
    expect(dashboards.length).toBe(4);
    for (const { path: file } of dashboards) {
      expect(readFileSync(path.join(DIST_DIR, file!), 'utf8')).toBe(
        readFileSync(path.join(REPO_ROOT, 'src', file!), 'utf8')
      );
    }
  });

  // Guards the reading above against finding nothing: the data source starts three workers, and its forecast worker
  // loads the augurs and TensorFlow.js WebAssembly and TensorFlow.js chunks, so its folder's scripts name them.
  it('finds the worker bundles, chunks and .wasm files the data source loads', () => {
    const datasource = plugins.find(({ json }) => json.id === 'headroom-capacity-datasource')!;
    const sources = ownFiles(datasource.dir)
      .filter((file) => file.endsWith('.js'))
      .map((script) => readFileSync(path.join(datasource.dir, script), 'utf8'));
    // Forecast, fragmentation and efficiency.
    expect(sources.filter((source) => source.startsWith('define([],')).length).toBe(3);
    const named = sources.flatMap(filesNamed);
    expect(named.filter((file) => file.endsWith('.wasm')).length).toBeGreaterThanOrEqual(5);
    expect(named.filter((file) => file.endsWith('.js')).length).toBeGreaterThanOrEqual(5);
  });
});
