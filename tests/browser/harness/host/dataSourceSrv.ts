// The two data sources of the harness, resolved the way Grafana's DatasourceSrv does: by uid or name, `default`,
// or a template variable (`${ds}`) interpolated with the caller's scopedVars.
import type {
  DataSourceApi,
  DataSourceInstanceSettings,
  DataSourcePlugin,
  DataSourceRef,
  ScopedVars,
} from '@grafana/data';
import { getTemplateSrv, type DataSourceSrv, type GetDataSourceListFilters } from '@grafana/runtime';
import { DATA_SOURCES } from './catalog';
import { importPluginModule } from './systemjs';

function refToNameOrUid(ref: DataSourceRef | string | null | undefined): string | undefined {
  return typeof ref === 'string' ? ref : (ref?.uid ?? undefined);
}

export class HarnessDataSourceSrv implements DataSourceSrv {
  private readonly instances = new Map<string, Promise<DataSourceApi>>();

  getInstanceSettings(ref?: DataSourceRef | string | null, scopedVars?: ScopedVars) {
    let nameOrUid = refToNameOrUid(ref);
    if (nameOrUid?.startsWith('$')) {
      // A multi-value data source variable selects its first value, as in Grafana.
      nameOrUid = getTemplateSrv().replace(nameOrUid, scopedVars, (value: unknown) =>
        Array.isArray(value) ? String(value[0]) : String(value)
      );
    }
    if (nameOrUid === undefined || nameOrUid === 'default' || nameOrUid === '') {
      return DATA_SOURCES.find((ds) => ds.isDefault);
    }
    return DATA_SOURCES.find((ds) => ds.uid === nameOrUid || ds.name === nameOrUid);
  }

  get(ref?: DataSourceRef | string | null, scopedVars?: ScopedVars): Promise<DataSourceApi> {
    const settings = this.getInstanceSettings(ref, scopedVars);
    if (!settings) {
      return Promise.reject(new Error(`Data source ${JSON.stringify(ref)} was not found`));
    }
    let instance = this.instances.get(settings.uid);
    if (!instance) {
      instance = this.instantiate(settings);
      this.instances.set(settings.uid, instance);
    }
    return instance;
  }

  private async instantiate(settings: DataSourceInstanceSettings): Promise<DataSourceApi> {
    if (settings.meta.module.startsWith('core:')) {
      // Grafana's Prometheus plugin is core code, not on npm. Headroom reaches Prometheus through the resource
      // proxy the server implements, so no page needs the plugin class itself.
      throw new Error(`The browser harness has no ${settings.type} data source class`);
    }
    const plugin = await importPluginModule<DataSourcePlugin<DataSourceApi>>(settings.meta);
    plugin.meta = settings.meta;
    const instance = new plugin.DataSourceClass(settings);
    instance.components = plugin.components;
    return instance;
  }

  getList(filters: GetDataSourceListFilters = {}): DataSourceInstanceSettings[] {
    const types = filters.type === undefined ? undefined : [filters.type].flat();
    return DATA_SOURCES.filter(
      (ds) =>
        (!filters.pluginId || ds.meta.id === filters.pluginId) &&
        (!types || types.includes(ds.type)) &&
        (!filters.metrics || ds.meta.metrics) &&
        (!filters.annotations || ds.meta.annotations) &&
        (!filters.alerting || ds.meta.alerting) &&
        (!filters.filter || filters.filter(ds))
    );
  }

  reload() {
    this.instances.clear();
  }

  registerRuntimeDataSource(): void {
    throw new Error('Runtime data sources are registered by @grafana/scenes itself, not through the harness');
  }
}
