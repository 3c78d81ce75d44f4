// Grafana's DatasourceSrv (public/app/features/plugins/datasource_srv.ts, Grafana 12.x; see
// docs/grafana-compatibility.md) over the harness's data sources. What plugins notice:
//  - getInstanceSettings('${ds}') interpolates the variable (a multi-value or All selection gives its FIRST data
//    source) and returns that data source's settings with `name` and `uid` left as the literal `${ds}` and the real
//    reference in `rawRef`;
//  - get('${ds}') interpolates the same way but loads the data source by its real uid, so the instance's uid is real;
//  - getList() leaves out data sources that are neither metrics, logs, tracing, annotations nor alerting ones, and
//    with `variables: true` adds a `${name}` entry per data source variable.
// Left out: expressions, `-- Mixed --`, `-- Dashboard --` and `-- Grafana --`, which the harness does not have.
import {
  matchPluginId,
  type DataSourceApi,
  type DataSourceInstanceSettings,
  type DataSourcePlugin,
  type DataSourcePluginMeta,
  type DataSourceRef,
  type ScopedVars,
} from '@grafana/data';
import type {
  DataSourceSrv,
  GetDataSourceListFilters,
  RuntimeDataSource,
  RuntimeDataSourceRegistration,
  TemplateSrv,
} from '@grafana/runtime';
import { HarnessPrometheusDataSource } from './prometheusDataSource';

type ImportDataSourcePlugin = (meta: DataSourcePluginMeta) => Promise<DataSourcePlugin<DataSourceApi>>;

function getNameOrUid(ref?: string | DataSourceRef | null): string | undefined {
  return typeof ref === 'string' ? ref : (ref?.uid ?? undefined);
}

/** Grafana's variableInterpolation: a data source variable with several values stands for its first. */
export function variableInterpolation<T>(value: T | T[]): T {
  return Array.isArray(value) ? value[0] : value;
}

function isDatasourceRef(ref: string | DataSourceRef | null | undefined): ref is DataSourceRef {
  return Boolean(ref && typeof ref === 'object' && 'type' in ref);
}

export class HarnessDataSourceSrv implements DataSourceSrv {
  private datasources: Record<string, DataSourceApi> = {};
  private settingsMapByName: Record<string, DataSourceInstanceSettings> = {};
  private settingsMapByUid: Record<string, DataSourceInstanceSettings> = {};
  private settingsMapById: Record<string, DataSourceInstanceSettings> = {};
  private readonly runtimeDataSources: Record<string, RuntimeDataSource> = {};

  /**
   * @param settings the data sources of the page's boot data
   * @param defaultName Grafana's `config.defaultDatasource`: the default data source's name
   * @param importPlugin loads a data source plugin's module (`meta.module`, versioned as Grafana does)
   */
  constructor(
    private readonly settings: DataSourceInstanceSettings[],
    private readonly defaultName: string,
    private readonly templateSrv: TemplateSrv,
    private readonly importPlugin: ImportDataSourcePlugin
  ) {
    this.init();
  }

  private init(): void {
    this.datasources = {};
    this.settingsMapByName = Object.fromEntries(this.settings.map((ds) => [ds.name, ds]));
    this.settingsMapByUid = Object.fromEntries(this.settings.map((ds) => [ds.uid, ds]));
    this.settingsMapById = Object.fromEntries(this.settings.map((ds) => [ds.id, ds]));
    for (const ds of Object.values(this.runtimeDataSources)) {
      this.datasources[ds.uid] = ds;
      this.settingsMapByUid[ds.uid] = ds.instanceSettings;
    }
  }

  registerRuntimeDataSource(entry: RuntimeDataSourceRegistration): void {
    const { uid } = entry.dataSource;
    if (this.runtimeDataSources[uid]) {
      throw new Error(`A runtime data source with uid ${uid} has already been registered`);
    }
    if (this.settingsMapByUid[uid]) {
      throw new Error(`A data source with uid ${uid} has already been registered`);
    }
    this.runtimeDataSources[uid] = entry.dataSource;
    this.datasources[uid] = entry.dataSource;
    this.settingsMapByUid[uid] = entry.dataSource.instanceSettings;
  }

  getInstanceSettings(
    ref: string | null | undefined | DataSourceRef,
    scopedVars?: ScopedVars
  ): DataSourceInstanceSettings | undefined {
    const nameOrUid = getNameOrUid(ref);
    if (nameOrUid === 'default' || nameOrUid == null) {
      return this.settingsMapByUid[this.defaultName] ?? this.settingsMapByName[this.defaultName];
    }
    // "Complex logic to support template variable data source names. For this we just pick the current or first
    // data source in the variable"
    if (nameOrUid[0] === '$') {
      const interpolatedName = this.templateSrv.replace(nameOrUid, scopedVars, variableInterpolation);
      const dsSettings =
        interpolatedName === 'default'
          ? this.settingsMapByName[this.defaultName]
          : (this.settingsMapByUid[interpolatedName] ?? this.settingsMapByName[interpolatedName]);
      if (!dsSettings) {
        return undefined;
      }
      // "Return an instance with un-interpolated values for name and uid"
      return {
        ...dsSettings,
        isDefault: false,
        name: nameOrUid,
        uid: nameOrUid,
        rawRef: { type: dsSettings.type, uid: dsSettings.uid },
      };
    }
    return this.settingsMapByUid[nameOrUid] ?? this.settingsMapByName[nameOrUid] ?? this.settingsMapById[nameOrUid];
  }

  get(ref?: string | DataSourceRef | null, scopedVars?: ScopedVars): Promise<DataSourceApi> {
    let nameOrUid = getNameOrUid(ref);
    if (!nameOrUid) {
      // A reference with a type only: the default data source of that type, or the first.
      if (isDatasourceRef(ref)) {
        const settings = this.getList({ type: ref.type });
        if (!settings.length) {
          return Promise.reject('no datasource of type');
        }
        return this.get((settings.find((v) => v.isDefault) ?? settings[0]).uid);
      }
      return this.get(this.defaultName);
    }
    const byName = this.settingsMapByName[nameOrUid];
    if (byName) {
      nameOrUid = byName.uid;
    }
    if (this.datasources[nameOrUid]) {
      return Promise.resolve(this.datasources[nameOrUid]);
    }
    nameOrUid = this.templateSrv.replace(nameOrUid, scopedVars, variableInterpolation);
    if (nameOrUid === 'default' && this.defaultName !== 'default') {
      return this.get(this.defaultName);
    }
    if (this.datasources[nameOrUid]) {
      return Promise.resolve(this.datasources[nameOrUid]);
    }
    return this.loadDatasource(nameOrUid);
  }

  async loadDatasource(key: string): Promise<DataSourceApi> {
    if (this.datasources[key]) {
      return this.datasources[key];
    }
    const instanceSettings = this.getInstanceSettings(key);
    if (!instanceSettings) {
      return Promise.reject({ message: `Datasource ${key} was not found` });
    }
    if (instanceSettings.meta.module.startsWith('core:')) {
      // Grafana's Prometheus plugin is core code, not on npm. Headroom reaches Prometheus through the resource
      // proxy the server implements; only the plain PromQL panels of the runbook dashboards need a Prometheus
      // data source, and get a stand-in (prometheusDataSource.ts).
      if (instanceSettings.type !== 'prometheus') {
        throw new Error(`The browser harness has no ${instanceSettings.type} data source class`);
      }
      const instance = new HarnessPrometheusDataSource(instanceSettings) as unknown as DataSourceApi;
      this.datasources[key] = instance;
      this.datasources[instance.uid] = instance;
      return instance;
    }
    const dsPlugin = await this.importPlugin(instanceSettings.meta);
    // "check if its in cache now"
    if (this.datasources[key]) {
      return this.datasources[key];
    }
    dsPlugin.meta = instanceSettings.meta;
    const instance = new dsPlugin.DataSourceClass(instanceSettings);
    instance.components = dsPlugin.components;
    this.datasources[key] = instance;
    this.datasources[instance.uid] = instance;
    return instance;
  }

  getList(filters: GetDataSourceListFilters = {}): DataSourceInstanceSettings[] {
    const base = Object.values(this.settingsMapByName).filter((x) => {
      const types = filters.type === undefined ? undefined : [filters.type].flat();
      return (
        (!filters.metrics || x.meta.metrics) &&
        (!filters.tracing || x.meta.tracing) &&
        (!filters.logs || x.meta.category === 'logging' || x.meta.logs) &&
        (!filters.annotations || x.meta.annotations) &&
        (!filters.alerting || x.meta.alerting) &&
        (!filters.pluginId || matchPluginId(filters.pluginId, x.meta)) &&
        (!filters.filter || filters.filter(x)) &&
        (!types || types.includes(x.type)) &&
        (filters.all ||
          x.meta.metrics === true ||
          x.meta.annotations === true ||
          x.meta.tracing === true ||
          x.meta.logs === true ||
          x.meta.alerting === true)
      );
    });
    if (filters.variables) {
      for (const variable of this.templateSrv.getVariables()) {
        if (variable.type !== 'datasource') {
          continue;
        }
        const current = variable.current.value === 'default' ? this.defaultName : variable.current.value;
        const dsValue = variableInterpolation(current);
        const dsSettings = this.settingsMapByName[dsValue] || this.settingsMapByUid[dsValue];
        if (dsSettings) {
          const key = `\${${variable.name}}`;
          base.push({ ...dsSettings, isDefault: false, name: key, uid: key });
        }
      }
    }
    return base.sort((a, b) => {
      const [nameA, nameB] = [a.name.toLowerCase(), b.name.toLowerCase()];
      return nameA > nameB ? 1 : nameA < nameB ? -1 : 0;
    });
  }

  reload(): void {
    // Grafana reloads /api/frontend/settings; the harness's settings never change.
    this.init();
  }
}
