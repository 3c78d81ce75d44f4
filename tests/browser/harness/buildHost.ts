import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { build, type Plugin } from 'esbuild';
import { markUsed, publishBuild, startBuild } from '../../kit/keyedCache';

export const REPO_ROOT = path.resolve(__dirname, '../../..');
const RUNTIME_ESM_DIR = path.join(REPO_ROOT, 'node_modules/@grafana/runtime/dist/esm');
const HOST_SOURCE_DIR = path.join(__dirname, 'host');
// node_modules/.cache is already ignored by git, ESLint and jest, so the bundle needs no ignore entries.
const CACHE_ROOT = path.join(REPO_ROOT, 'node_modules/.cache/headroom-browser-harness');

export interface HostBundle {
  dir: string;
  /** Wall-clock milliseconds spent building; 0 when the cached bundle was reused. */
  buildMs: number;
}

/**
 * The cache key covers every input of the bundle (locked dependency versions, this build script, the host's
 * sources), so a rerun with nothing changed skips the build.
 */
function cacheKey(): string {
  const hash = createHash('sha256');
  hash.update(readFileSync(path.join(REPO_ROOT, 'package-lock.json')));
  hash.update(readFileSync(__filename));
  for (const file of readdirSync(HOST_SOURCE_DIR).sort()) {
    hash.update(file);
    hash.update(readFileSync(path.join(HOST_SOURCE_DIR, file)));
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * @grafana/plugin-compat (bundled with @grafana/scenes) imports functions that only newer Grafana versions export
 * and falls back when they are undefined. Webpack allows such imports; esbuild rejects them in ES modules, so its
 * imports from @grafana/runtime are routed through a module that looks each name up on the real namespace.
 */
const pluginCompatImports: Plugin = {
  name: 'plugin-compat-imports',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^@grafana\/runtime(\/unstable)?$/ }, (args) =>
      args.importer.includes(`${path.sep}@grafana${path.sep}plugin-compat${path.sep}`) && args.namespace === 'file'
        ? { path: `${args.path}|${args.importer}`, namespace: 'plugin-compat-runtime' }
        : undefined
    );
    pluginBuild.onLoad({ filter: /.*/, namespace: 'plugin-compat-runtime' }, (args) => {
      const [specifier, importer] = args.path.split('|');
      const source = readFileSync(importer, 'utf8');
      const names = new Set<string>();
      for (const [, list] of source.matchAll(new RegExp(`import \\{([^}]*)\\} from '${specifier}'`, 'g'))) {
        list.split(',').forEach((item) => names.add(item.trim().split(/\s+as\s+/)[0]));
      }
      const lines = [...names].map((name) => `export const ${name} = runtime[${JSON.stringify(name)}];`);
      return {
        contents: `import * as runtime from '${specifier}';\n${lines.join('\n')}`,
        resolveDir: path.dirname(importer),
      };
    });
  },
};

/**
 * esbuild gives `.mjs` files Node's interop: a default import of a CommonJS module is its whole `module.exports`.
 * Two CommonJS packages that @grafana/ui imports by default export through `exports.default` (Babel's
 * `__esModule` convention), which webpack honours; without this, the table's scroll container would be an object.
 */
const BABEL_DEFAULT_EXPORTS = /^(react-custom-scrollbars-2|calculate-size)$/;
const babelDefaultExports: Plugin = {
  name: 'babel-default-exports',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: BABEL_DEFAULT_EXPORTS }, async (args) => {
      if (args.pluginData === 'real') {
        return undefined;
      }
      const real = await pluginBuild.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        pluginData: 'real',
      });
      return { path: real.path, namespace: 'babel-default-export' };
    });
    pluginBuild.onLoad({ filter: /.*/, namespace: 'babel-default-export' }, (args) => ({
      contents: `import * as cjs from ${JSON.stringify(args.path)};\nexport default cjs.default;`,
      resolveDir: path.dirname(args.path),
    }));
  },
};

/**
 * Grafana's own scenes version (the `grafana-core-scenes` alias, see host/templateSrv.ts), reduced to the two parts
 * Grafana's TemplateSrv takes from it and its translations (host/services.ts). Its package.json names dist/esm/index.js as the ES module, which 6.52.11 does
 * not ship, and its index imports a table default that @grafana/schema 12.4.10 no longer exports; its CommonJS build
 * would pull in CommonJS copies of @grafana/ui, data and runtime (11 MB, and a second runtime nobody initialised).
 */
const CORE_SCENES_ESM_DIR = path.join(REPO_ROOT, 'node_modules/grafana-core-scenes/dist/esm/packages/scenes/src');
const coreScenesEntry: Plugin = {
  name: 'core-scenes-entry',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^grafana-core-scenes$/ }, () => ({ path: 'entry', namespace: 'core-scenes' }));
    pluginBuild.onLoad({ filter: /.*/, namespace: 'core-scenes' }, () => ({
      contents:
        "export { sceneGraph } from './core/sceneGraph/index.js';\n" +
        "export { formatRegistry } from './variables/interpolation/formatRegistry.js';\n" +
        "export { loadResources } from './utils/loadResources.js';",
      resolveDir: CORE_SCENES_ESM_DIR,
    }));
  },
};

/** Builds (or reuses) the page host: Grafana's shared modules, SystemJS and the runtime services in one script. */
export async function buildHostBundle(): Promise<HostBundle> {
  const dir = path.join(CACHE_ROOT, cacheKey());
  const isComplete = (built: string) => existsSync(path.join(built, 'host.js'));
  if (isComplete(dir) && markUsed(dir)) {
    return { dir, buildMs: 0 };
  }
  const started = Date.now();
  const tmp = startBuild(dir);
  try {
    await build({
      entryPoints: { host: path.join(HOST_SOURCE_DIR, 'main.tsx') },
      outdir: tmp,
      bundle: true,
      // Unminified: builds several times faster and keeps readable stack traces in test failures.
      minify: false,
      format: 'iife',
      platform: 'browser',
      target: 'es2020',
      jsx: 'transform',
      logLevel: 'error',
      plugins: [pluginCompatImports, babelDefaultExports, coreScenesEntry],
      define: {
        'process.env.NODE_ENV': '"production"',
        global: 'window',
        // UMD libraries would otherwise call SystemJS's AMD `define` and register themselves as anonymous modules.
        define: 'undefined',
      },
      alias: {
        'grafana-runtime-internal/PluginPage': path.join(RUNTIME_ESM_DIR, 'components/PluginPage.mjs'),
        'grafana-runtime-internal/PanelDataErrorView': path.join(RUNTIME_ESM_DIR, 'components/PanelDataErrorView.mjs'),
        'grafana-i18n-internal': path.join(REPO_ROOT, 'node_modules/@grafana/i18n/dist/esm/i18n.mjs'),
      },
      // Fonts and images referenced from library CSS are served by the server (or unused), never inlined.
      loader: { '.woff': 'empty', '.woff2': 'empty', '.ttf': 'empty', '.svg': 'empty', '.png': 'empty' },
    });
  } catch (error) {
    rmSync(tmp, { recursive: true, force: true });
    throw error;
  }
  publishBuild(tmp, dir, isComplete);
  return { dir, buildMs: Date.now() - started };
}
