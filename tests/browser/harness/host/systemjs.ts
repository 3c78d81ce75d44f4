// SystemJS set up the way Grafana 12 loads plugins (public/app/features/plugins/loader/systemjs.ts):
// the AMD and named-register extras, and every shared dependency registered as `package:<name>` behind an
// import map, so a plugin's `define(['react', ...])` receives the host's single copy of each module.
import 'systemjs/dist/system.js';
import 'systemjs/dist/extras/amd.js';
import 'systemjs/dist/extras/named-register.js';

import * as emotionCss from '@emotion/css';
import * as emotionReact from '@emotion/react';
import * as grafanaData from '@grafana/data';
import * as grafanaRuntime from '@grafana/runtime';
import * as grafanaRuntimeUnstable from '@grafana/runtime/unstable';
import * as grafanaUi from '@grafana/ui';
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

/** Imports a plugin module (path relative to the page's `<base href="/">`) and returns its `plugin` export. */
export async function importPluginModule<T>(modulePath: string): Promise<T> {
  const exports = await SystemJS.import(`/${modulePath.replace(/^\//, '')}`);
  if (!exports.plugin) {
    throw new Error(`${modulePath} has no "plugin" export`);
  }
  return exports.plugin as T;
}
