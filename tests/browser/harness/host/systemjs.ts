// SystemJS set up the way Grafana 12 loads plugins (public/app/features/plugins/loader/systemjs.ts):
// the AMD and named-register extras, every shared dependency registered as `package:<name>` behind an import map
// (so a plugin's `define(['react', ...])` receives the host's single copy of each module), and Grafana's resolve hook
// that appends `?_cache=<plugin version>` to plugin scripts.
import 'systemjs/dist/system.js';
import 'systemjs/dist/extras/amd.js';
import 'systemjs/dist/extras/named-register.js';

import * as emotionCss from '@emotion/css';
import * as emotionReact from '@emotion/react';
import * as grafanaData from '@grafana/data';
import type { PluginMeta } from '@grafana/data';
import * as grafanaRuntime from '@grafana/runtime';
import * as grafanaRuntimeUnstable from '@grafana/runtime/unstable';
import * as grafanaUi from '@grafana/ui';
import { addResourceBundle, getResolvedLanguage } from 'grafana-i18n-internal';
import * as i18next from 'i18next';
import lodash from 'lodash';
// Plugins get Grafana's moment instance itself, so the host shares moment, not @grafana/data's dateTime.
// eslint-disable-next-line no-restricted-imports
import moment from 'moment';
import * as react from 'react';
import * as reactDom from 'react-dom';
import * as reactJsxRuntime from 'react/jsx-runtime';
import * as reactRouter from 'react-router';
import * as rxjs from 'rxjs';

interface SystemJSLoader {
  import(id: string): Promise<Record<string, unknown>>;
  set(id: string, module: object): void;
  addImportMap(map: { imports: Record<string, string> }): void;
  resolve(id: string, parentUrl?: string): string;
}

declare global {
  interface Window {
    System: SystemJSLoader;
  }
}

/** Module names a plugin's AMD `define([...])` may ask the host for, as in Grafana's sharedDependencies.ts. */
const SHARED_MODULES: Record<string, object> = {
  react,
  'react-dom': reactDom,
  'react/jsx-runtime': reactJsxRuntime,
  '@emotion/css': emotionCss,
  '@emotion/react': emotionReact,
  '@grafana/data': grafanaData,
  '@grafana/ui': grafanaUi,
  '@grafana/runtime': grafanaRuntime,
  '@grafana/runtime/unstable': grafanaRuntimeUnstable,
  i18next,
  // lodash and moment are functions, not namespaces: the AMD extra hands `default` to the plugin when
  // `__useDefault` is set, exactly as Grafana unwraps them.
  lodash: { __useDefault: true, default: lodash },
  moment: { __useDefault: true, default: moment },
  rxjs,
  // Grafana 12 serves react-router v6 under this name; the plugin bundles react-router-dom, which imports it.
  'react-router': reactRouter,
};

const SystemJS = window.System;

/**
 * SystemJS.set copies each namespace's current exports, so this must run after the host has installed everything
 * that replaces a live binding (PluginPage, PanelDataErrorView).
 */
export function registerSharedModules(): void {
  const imports: Record<string, string> = {};
  for (const [name, module] of Object.entries(SHARED_MODULES)) {
    SystemJS.set(`package:${name}`, module);
    imports[name] = `package:${name}`;
  }
  SystemJS.addImportMap({ imports });
}

/**
 * Grafana's plugin version cache (public/app/features/plugins/loader/pluginInfoCache.ts, constants.ts): keyed by the
 * first path segment after `public/plugins/`, the first registration kept, looked up by the first key a URL contains.
 */
const PLUGIN_PATH_REGEX = /\/?public\/plugins\/([^/]+)\//;
const CACHE_INITIALISED_AT = Date.now();
const pluginVersions: Record<string, string> = {};

function registerPluginVersion(modulePath: string, version: string): void {
  const key = modulePath.match(PLUGIN_PATH_REGEX)?.[1];
  if (key && !pluginVersions[key]) {
    pluginVersions[key] = encodeURI(version);
  }
}

function resolvePluginUrlWithCache(url: string): string {
  const key = Object.keys(pluginVersions).find((candidate) => url.includes(candidate));
  return `${url}?_cache=${(key && pluginVersions[key]) || CACHE_INITIALISED_AT}`;
}

// Grafana's decorateSystemJSResolve (loader/systemjsHooks.ts): every resolved `.js` or `.css` URL gets the cache
// query, so a plugin's AMD `module.uri`, from which webpack takes its public path, carries it too.
const systemJSPrototype = Object.getPrototypeOf(SystemJS) as SystemJSLoader;
const systemJSResolve = systemJSPrototype.resolve;
systemJSPrototype.resolve = function (this: SystemJSLoader, id: string, parentUrl?: string) {
  const url = systemJSResolve.call(this, id, parentUrl);
  return url.endsWith('.js') || url.endsWith('.css') ? resolvePluginUrlWithCache(url) : url;
};

/** Grafana's resolveModulePath (loader/utils.ts): absolute paths and URLs as they are, others under the sub-URL. */
function resolveModulePath(modulePath: string): string {
  return modulePath.startsWith('http') || modulePath.startsWith('/')
    ? modulePath
    : `${grafanaRuntime.config.appSubUrl ?? ''}/${modulePath}`;
}

const FALLBACK_LANGUAGE = 'en-US';

/**
 * Grafana's addTranslationsToI18n (importer/addTranslationsToI18n.ts): the file for the user's resolved language,
 * else the en-US one, imported with SystemJS (a JSON module) and added to i18next under the plugin's id. A missing
 * or broken file is logged and skipped: the plugin then shows the English in its source.
 */
async function addTranslationsToI18n(pluginId: string, translations: Record<string, string>): Promise<void> {
  const resolvedLanguage = getResolvedLanguage();
  const resolvedPath = translations[resolvedLanguage];
  const translationPath = resolvedPath ?? translations[FALLBACK_LANGUAGE];
  if (!translationPath) {
    console.warn(`Could not find any translation for plugin ${pluginId}`);
    return;
  }
  try {
    const module = await SystemJS.import(resolveModulePath(translationPath));
    if (!module.default) {
      console.warn(`Could not find default export for plugin ${pluginId}`);
      return;
    }
    addResourceBundle(resolvedPath ? resolvedLanguage : FALLBACK_LANGUAGE, pluginId, module.default);
  } catch (error) {
    console.warn(`Could not load translation for plugin ${pluginId}`, error);
  }
}

/**
 * Imports a plugin's module the way Grafana's importPluginModule does (importer/importPluginModule.ts, 12.4): the
 * version registered for the cache query, the plugin's translations added to i18next when its metadata lists
 * `translations` (no feature toggle since 12.4), then `SystemJS.import` of the module. Returns its `plugin` export.
 */
export async function importPluginModule<T>(
  meta: Pick<PluginMeta, 'id' | 'module' | 'info'> & { translations?: Record<string, string> }
): Promise<T> {
  registerPluginVersion(meta.module, meta.info.version);
  if (meta.translations) {
    await addTranslationsToI18n(meta.id, meta.translations);
  }
  const exports = await SystemJS.import(resolveModulePath(meta.module));
  if (!exports.plugin) {
    throw new Error(`${meta.module} has no "plugin" export`);
  }
  return exports.plugin as T;
}
