// Grafana's boot sequence, reduced to what plugins use: runtime services, registries, time zone, i18n, page chrome.
import {
  EventBusSrv,
  setTimeZoneResolver,
  setWeekStart,
  standardTransformers,
  standardTransformersRegistry,
  type TransformerRegistryItem,
  type DataSourceApi,
  type DataSourcePlugin,
} from '@grafana/data';
import {
  config,
  setAppEvents,
  setBackendSrv,
  setDataSourceSrv,
  setPluginImportUtils,
  setRunRequest,
  setTemplateSrv,
} from '@grafana/runtime';
import { loadResources as loadGrafanaScenesResources } from 'grafana-core-scenes';
import { initializeI18n } from 'grafana-i18n-internal';
import { setPanelDataErrorView } from 'grafana-runtime-internal/PanelDataErrorView';
import { setPluginPage } from 'grafana-runtime-internal/PluginPage';
import { HarnessBackendSrv } from './backendSrv';
import { DATA_SOURCES } from './catalog';
import { HarnessPanelDataErrorView, HarnessPluginPage } from './chrome';
import { HarnessDataSourceSrv } from './dataSourceSrv';
import { pluginImportUtils } from './pluginImports';
import { runRequest } from './runRequest';
import { registerStandardOptions } from './standardOptions';
import { importPluginModule, registerSharedModules } from './systemjs';
import { CORE_SCENES, GrafanaTemplateSrv, PLUGIN_SCENES } from './templateSrv';

/**
 * Grafana's boot reads its own catalogs (public/locales/<language>/grafana.json) through an i18next backend module;
 * i18next resolves the user's language only once that language has some translations, and plugins' files are then
 * chosen for that resolved language. The harness has no copy of Grafana's catalogs: this backend serves the labels of
 * Grafana's own scenes (which Grafana ships too) for the namespace asked, so the language resolves as in Grafana.
 */
const grafanaCatalogs = {
  type: 'backend' as const,
  init() {},
  read(language: string, _namespace: string, callback: (error: unknown, resources: object | false) => void) {
    loadGrafanaScenesResources(language).then(
      (resources: object) => callback(null, resources),
      (error: unknown) => callback(error, false)
    );
  },
};

export async function startGrafanaServices(): Promise<void> {
  const user = config.bootData.user;
  setTimeZoneResolver(() => user.timezone);
  setWeekStart(user.weekStart);
  registerStandardOptions();
  // Grafana registers its transformations at boot (public/app/features/transformers/standardTransformers.ts); the
  // harness registers those @grafana/data implements, without their editors, for dashboards' `transformations`.
  standardTransformersRegistry.setInit(() =>
    // The export names some transformers twice (`noop`): one entry per id.
    [...new Map(Object.values(standardTransformers).map((t) => [t.id, t])).values()].map(
      (transformation) =>
        ({ id: transformation.id, name: transformation.name, transformation }) as unknown as TransformerRegistryItem
    )
  );
  setBackendSrv(new HarnessBackendSrv());
  // Grafana interpolates with its own scenes copy; `?harnessScenes=plugin` interpolates with the plugin's instead.
  const scenes =
    new URLSearchParams(window.location.search).get('harnessScenes') === 'plugin' ? PLUGIN_SCENES : CORE_SCENES;
  const templateSrv = new GrafanaTemplateSrv(scenes);
  setTemplateSrv(templateSrv);
  setDataSourceSrv(
    new HarnessDataSourceSrv(DATA_SOURCES, config.defaultDatasource, templateSrv, (meta) =>
      importPluginModule<DataSourcePlugin<DataSourceApi>>(meta)
    )
  );
  setRunRequest(runRequest);
  setPluginImportUtils(pluginImportUtils);
  // scenes' VizPanel publishes and subscribes to panel events on the app event bus.
  setAppEvents(new EventBusSrv());
  setPluginPage(HarnessPluginPage);
  setPanelDataErrorView(HarnessPanelDataErrorView);
  // As Grafana does at boot; plugins initialise their own namespace with initPluginTranslations.
  await initializeI18n({ language: user.language, ns: ['grafana'], module: grafanaCatalogs }, user.regionalFormat);
  registerSharedModules();
}
