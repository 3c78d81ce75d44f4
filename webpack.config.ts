/**
 * The build: one webpack compilation per plugin.json folder (the app in `src/`, the data source in `src/datasource/`,
 * each panel in `src/panels/<name>/`), each emitting its module, chunks, Web Worker bundles and `.wasm` into its own
 * folder of `dist/`. Grafana 12.2+ serves a nested plugin from its own id (`public/plugins/<nested id>/`), which
 * reaches only that folder; 11.x–12.1 served it as `public/plugins/<app id>/<folder>/`; a CDN serves either way. A
 * folder that holds everything its module loads works in all three, because webpack's public path is the folder its
 * `module.js` was loaded from (docs/grafana-compatibility.md).
 *
 * Extends the scaffold's config as `.config/README.md` ("Extending the Webpack config") describes, without editing it.
 */
import CopyWebpackPlugin from 'copy-webpack-plugin';
import ESLintPlugin from 'eslint-webpack-plugin';
import ForkTsCheckerWebpackPlugin from 'fork-ts-checker-webpack-plugin';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ReplaceInFileWebpackPlugin from 'replace-in-file-webpack-plugin';
import type { Configuration } from 'webpack';
import LiveReloadPlugin from 'webpack-livereload-plugin';
import VirtualModulesPlugin from 'webpack-virtual-modules';
import grafanaConfig, { type Env } from './.config/webpack/webpack.config.ts';
import { DIST_DIR, SOURCE_DIR } from './.config/bundler/constants.ts';
import { getPackageJson, hasReadme } from './.config/bundler/utils.ts';

const ROOT = process.cwd();
const SRC = path.resolve(ROOT, SOURCE_DIR);
const DIST = path.resolve(ROOT, DIST_DIR);

interface PluginJson {
  id: string;
  languages?: string[];
  info?: { logos?: { small?: string; large?: string }; screenshots?: Array<{ path: string }> };
}

/** One plugin of the build: its folder relative to `src/` and `dist/` (`.` for the app) and its entry. */
interface PluginFolder {
  folder: string;
  entry: string;
  json: PluginJson;
}

/**
 * The scaffold's entries (`module`, `datasource/module`, `panels/forecast/module`, ...), one per plugin.json folder,
 * the app first and the rest by folder: glob lists them in no fixed order.
 */
function pluginFolders(entries: Record<string, string>): PluginFolder[] {
  return Object.entries(entries)
    .map(([name, entry]) => {
      const folder = path.posix.dirname(name);
      const json = JSON.parse(readFileSync(path.join(SRC, folder, 'plugin.json'), 'utf8')) as PluginJson;
      return { folder, entry, json };
    })
    .sort((a, b) => (a.folder === '.' ? -1 : b.folder === '.' ? 1 : a.folder.localeCompare(b.folder)));
}

/** `folder` lies inside `parent` (both relative to `src/`, `.` being the root). */
const isInside = (folder: string, parent: string) =>
  folder !== parent && (parent === '.' || folder.startsWith(`${parent}/`));

/**
 * What the scaffold's ReplaceInFileWebpackPlugin does after emitting, done while copying instead: it rewrites every
 * plugin.json and README.md under `dist/` from whichever compilation finishes, which races when five run at once.
 * `%PLUGIN_ID%` is the app's id in every file, as in the scaffold.
 */
function templateVariables(appId: string) {
  const version: string = getPackageJson().version;
  const today = new Date().toISOString().substring(0, 10);
  return (content: Buffer, absoluteFrom: string): Buffer | string =>
    /(^|[\\/])(plugin\.json|README\.md)$/.test(absoluteFrom)
      ? content
          .toString()
          .replace(/%VERSION%/g, version)
          .replace(/%TODAY%/g, today)
          .replace(/%PLUGIN_ID%/g, appId)
      : content;
}

/**
 * The scaffold's copyFilePatterns, for one plugin folder: its plugin.json (and other JSON), query help, logos and
 * screenshots from its own folder, never from a nested plugin's folder (that compilation copies them). Logos are
 * looked up where Grafana looks them up, relative to the folder of the plugin.json naming them; a missing one fails
 * the build. The app also gets the README, LICENSE and CHANGELOG.
 */
function copyPatterns(
  plugin: PluginFolder,
  nested: string[],
  transform: ReturnType<typeof templateVariables>,
  appId: string
) {
  const context = path.join(SRC, plugin.folder);
  const ignore = nested.map((folder) => `${path.posix.relative(plugin.folder, folder)}/**`);
  const images = [
    ...new Set([plugin.json.info?.logos?.small, plugin.json.info?.logos?.large].filter((logo) => Boolean(logo))),
    ...(plugin.json.info?.screenshots ?? []).map((screenshot) => screenshot.path),
  ] as string[];
  const appFiles =
    plugin.folder === '.'
      ? [
          { from: hasReadme() ? path.join(SRC, 'README.md') : path.join(ROOT, 'README.md'), to: '.', force: true },
          { from: path.join(ROOT, 'LICENSE'), to: '.' },
          { from: path.join(ROOT, 'CHANGELOG.md'), to: '.', force: true },
        ]
      : [];
  // One catalog, src/locales/<language>/<app id>.json (the app copies it with its JSON). Grafana loads a plugin's
  // translations from its own folder under its own id (`locales/<language>/<id>.json`), so each nested plugin that
  // declares `languages` gets the same catalog under its id.
  const nestedLocales =
    plugin.folder === '.'
      ? []
      : (plugin.json.languages ?? []).map((language) => ({
          from: path.join(SRC, 'locales', language, `${appId}.json`),
          to: `locales/${language}/${plugin.json.id}.json`,
        }));
  return [
    ...appFiles,
    ...nestedLocales,
    { from: '**/*.json', context, to: '.', globOptions: { ignore } },
    { from: '**/query_help.md', context, to: '.', noErrorOnMissing: true, globOptions: { ignore } },
    ...images.map((image) => ({ from: image, context, to: image })),
  ].map((pattern) => ({ ...pattern, transform: { transformer: transform, cache: true } }));
}

/**
 * Plugins a nested compilation must not run: the scaffold's file rewriting (replaced above) and, in development,
 * the live-reload server (one port), type checking and linting (they cover the whole project), kept on the app's.
 */
const appOnlyPlugins = [LiveReloadPlugin, ForkTsCheckerWebpackPlugin, ESLintPlugin];

/**
 * One compiler's config from the scaffold's. Its plugins keep no state of their own per compiler, except the virtual
 * module plugin, so one base config serves every compiler: building it five times would glob node_modules for
 * plugin.json files five times (about 9 s of a 40 s cached build).
 */
function pluginConfig(base: Configuration, plugin: PluginFolder, all: PluginFolder[], appId: string): Configuration {
  const isApp = plugin.folder === '.';
  const nested = all.map(({ folder }) => folder).filter((folder) => isInside(folder, plugin.folder));
  const baseClean = base.output?.clean;
  const baseKeep = typeof baseClean === 'object' && baseClean.keep instanceof RegExp ? baseClean.keep : undefined;
  const baseCache =
    base.cache && typeof base.cache === 'object' && base.cache.type === 'filesystem' ? base.cache : undefined;
  return {
    ...base,
    name: plugin.json.id,
    entry: { module: plugin.entry },
    ...(baseCache && {
      cache: {
        ...baseCache,
        // Without a name, webpack names a multi-compiler's caches by position, so any reordering starts cold. The
        // checkout's path is in it too: copy-webpack-plugin finds a copied file in the cache by its relative path,
        // so two checkouts sharing node_modules (git worktrees) would otherwise get each other's plugin.json.
        name: `${plugin.json.id}-${base.mode}-${createHash('sha256').update(ROOT).digest('hex').slice(0, 8)}`,
        buildDependencies: {
          config: [...(baseCache.buildDependencies?.config ?? []), path.join(ROOT, 'webpack.config.ts')],
        },
      },
    }),
    output: {
      ...base.output,
      path: path.join(DIST, plugin.folder),
      // The fallback when Grafana gives no AMD module URI; at run time the public path is the module's folder.
      publicPath: `public/plugins/${plugin.json.id}/`,
      // Names the chunk-loading global: two plugins' chunks on one page must not share it.
      uniqueName: plugin.json.id,
      // Each compilation cleans only its own folder; the app's keeps the nested plugins' folders, which other
      // compilations are writing at the same time.
      clean: {
        keep: (file: string) =>
          Boolean(baseKeep?.test(file)) || nested.some((folder) => file === folder || file.startsWith(`${folder}/`)),
      },
    },
    optimization: {
      ...base.optimization,
      splitChunks: {
        // Webpack's default splits async chunks only, and counts a Web Worker's entry as one: the worker would then
        // load its share of node_modules with importScripts before its own code runs, so before it can set its
        // public path (a blob worker has no URL of its own to derive one from). A worker's entry keeps its modules.
        chunks: (chunk) => !chunk.canBeInitial() && !chunk.hasRuntime(),
      },
    },
    plugins: [
      ...(base.plugins ?? []).flatMap((used) => {
        if (used instanceof CopyWebpackPlugin || used instanceof ReplaceInFileWebpackPlugin) {
          return [];
        }
        // An instance writes its modules into the one compiler it was applied to last: each compiler needs its own.
        if (used instanceof VirtualModulesPlugin) {
          return [new VirtualModulesPlugin(used.getModuleList('static'))];
        }
        return !isApp && appOnlyPlugins.some((type) => used instanceof type) ? [] : [used];
      }),
      new CopyWebpackPlugin({ patterns: copyPatterns(plugin, nested, templateVariables(appId), appId) }),
    ],
  };
}

const config = async (env: Env): Promise<Configuration[]> => {
  const base = await grafanaConfig(env);
  const plugins = pluginFolders(base.entry as Record<string, string>);
  const app = plugins.find(({ folder }) => folder === '.');
  if (!app || !existsSync(path.join(SRC, 'plugin.json'))) {
    throw new Error(`No app plugin: ${SOURCE_DIR}/plugin.json with a module.ts(x) next to it`);
  }
  return plugins.map((plugin) => pluginConfig(base, plugin, plugins, app.json.id));
};

export default config;
