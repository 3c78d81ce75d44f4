/**
 * The harness's DataSourceSrv against what Grafana's public/app/features/plugins/datasource_srv.ts does (quoted in
 * host/dataSourceSrv.ts), with `${ds}` interpolated by the harness's TemplateSrv over a page holding a data source
 * variable. The plugin import is the one stand-in: it hands back a class that records its settings.
 */
import type {
  DataSourceApi,
  DataSourceInstanceSettings,
  DataSourceJsonData,
  DataSourcePlugin,
  DataSourcePluginMeta,
} from '@grafana/data';
import {
  DataSourceVariable,
  EmbeddedScene,
  SafeSerializableSceneObject,
  SceneFlexLayout,
  SceneVariableSet,
} from '@grafana/scenes';

import { HarnessDataSourceSrv } from './host/dataSourceSrv';
import { GrafanaTemplateSrv } from './host/templateSrv';

const HEADROOM_TYPE = 'headroom-capacity-datasource';

function settings(
  id: number,
  uid: string,
  name: string,
  meta: Partial<DataSourcePluginMeta>,
  isDefault = false
): DataSourceInstanceSettings {
  return {
    id,
    uid,
    name,
    type: meta.id!,
    meta: { module: `public/plugins/${meta.id}/module.js`, ...meta } as DataSourcePluginMeta,
    access: 'proxy',
    jsonData: { prometheusUid: `prom-of-${uid}` } as DataSourceJsonData,
    readOnly: false,
    isDefault,
  };
}

const PROMETHEUS = settings(1, 'prometheus', 'Prometheus', { id: 'prometheus', metrics: true, alerting: true }, true);
const HEADROOM_B = settings(2, 'headroom-b', 'Headroom B', { id: HEADROOM_TYPE, metrics: true });
const HEADROOM_A = settings(3, 'headroom-a', 'headroom A', { id: HEADROOM_TYPE, metrics: true });
// Neither metrics, logs, tracing, annotations nor alerting: Grafana's getList() leaves it out unless asked for all.
const SILENT = settings(4, 'silent', 'Silent', { id: 'silent' });

class RecordingDataSource {
  readonly uid: string;
  constructor(readonly instanceSettings: DataSourceInstanceSettings) {
    this.uid = instanceSettings.uid;
  }
}

function dataSourceSrv() {
  const imported: string[] = [];
  const importPlugin = async (meta: DataSourcePluginMeta) => {
    imported.push(meta.module);
    return { DataSourceClass: RecordingDataSource, components: {} } as unknown as DataSourcePlugin<DataSourceApi>;
  };
  const srv = new HarnessDataSourceSrv(
    [PROMETHEUS, HEADROOM_B, HEADROOM_A, SILENT],
    'Prometheus',
    new GrafanaTemplateSrv(),
    importPlugin
  );
  return { srv, imported };
}

/** scopedVars of a query inside a page whose `ds` variable holds `value`. */
function pageWithDs(value: string | string[], options: { isMulti?: boolean; includeAll?: boolean } = {}) {
  const body = new SceneFlexLayout({ children: [] });
  const ds = new DataSourceVariable({
    name: 'ds',
    pluginId: HEADROOM_TYPE,
    value,
    options: [HEADROOM_A, HEADROOM_B].map((s) => ({ label: s.name, value: s.uid })),
    ...options,
  });
  const scene = new EmbeddedScene({ $variables: new SceneVariableSet({ variables: [ds] }), body });
  return { scene, scopedVars: { __sceneObject: new SafeSerializableSceneObject(body) } };
}

afterEach(() => (window.__grafanaSceneContext = undefined));

describe('getInstanceSettings', () => {
  it("keeps `${ds}` as the name and uid and gives the chosen data source's settings, real ref in rawRef", () => {
    const { srv } = dataSourceSrv();
    const { scopedVars } = pageWithDs('headroom-b');

    expect(srv.getInstanceSettings('${ds}', scopedVars)).toEqual({
      ...HEADROOM_B,
      isDefault: false,
      name: '${ds}',
      uid: '${ds}',
      rawRef: { type: HEADROOM_TYPE, uid: 'headroom-b' },
    });
    expect(srv.getInstanceSettings({ type: HEADROOM_TYPE, uid: '${ds}' }, scopedVars)?.rawRef?.uid).toBe('headroom-b');
  });

  it('resolves a multi-value or All data source variable to its first data source', () => {
    const { srv } = dataSourceSrv();

    const multi = pageWithDs(['headroom-b', 'headroom-a'], { isMulti: true });
    expect(srv.getInstanceSettings('${ds}', multi.scopedVars)?.rawRef?.uid).toBe('headroom-b');
    // All stands for every option, in the variable's order: headroom-a first.
    const all = pageWithDs('$__all', { isMulti: true, includeAll: true });
    expect(srv.getInstanceSettings('${ds}', all.scopedVars)?.rawRef?.uid).toBe('headroom-a');
  });

  it('finds a data source by uid, by name or by id, the default for `default` or nothing, else nothing', () => {
    const { srv } = dataSourceSrv();

    expect(srv.getInstanceSettings('headroom-b')).toBe(HEADROOM_B);
    expect(srv.getInstanceSettings('headroom A')).toBe(HEADROOM_A);
    expect(srv.getInstanceSettings('3')).toBe(HEADROOM_A);
    expect(srv.getInstanceSettings('default')).toBe(PROMETHEUS);
    expect(srv.getInstanceSettings(undefined)).toBe(PROMETHEUS);
    expect(srv.getInstanceSettings('nope')).toBeUndefined();
    // A variable that no scene defines stays `${nope}`, which names no data source.
    expect(srv.getInstanceSettings('${nope}')).toBeUndefined();
  });
});

describe('get', () => {
  it('loads the data source a `${ds}` variable chooses under its real uid, once', async () => {
    const { srv, imported } = dataSourceSrv();
    const { scopedVars } = pageWithDs('headroom-b');

    const instance = (await srv.get('${ds}', scopedVars)) as unknown as RecordingDataSource;
    expect(instance.uid).toBe('headroom-b');
    expect(instance.instanceSettings).toBe(HEADROOM_B);
    await expect(srv.get('headroom-b')).resolves.toBe(instance);
    await expect(srv.get('Headroom B')).resolves.toBe(instance);
    expect(imported).toEqual([`public/plugins/${HEADROOM_TYPE}/module.js`]);
  });

  it('loads the default of a type, else its first data source, for a reference with a type only', async () => {
    const { srv } = dataSourceSrv();

    const instance = (await srv.get({ type: HEADROOM_TYPE })) as unknown as RecordingDataSource;
    // getList() sorts by lower-case name, so "headroom A" comes before "Headroom B".
    expect(instance.uid).toBe('headroom-a');
  });
});

describe('getList', () => {
  it('lists data sources of a kind, sorted by name without case, leaving out those of no kind', () => {
    const { srv } = dataSourceSrv();

    expect(srv.getList().map((s) => s.uid)).toEqual(['headroom-a', 'headroom-b', 'prometheus']);
    expect(srv.getList({ pluginId: HEADROOM_TYPE }).map((s) => s.uid)).toEqual(['headroom-a', 'headroom-b']);
    expect(srv.getList({ alerting: true }).map((s) => s.uid)).toEqual(['prometheus']);
    expect(srv.getList({ all: true }).map((s) => s.uid)).toContain('silent');
  });

  it("adds a `${name}` entry per data source variable of the scene context, with its first value's settings", () => {
    const { srv } = dataSourceSrv();
    window.__grafanaSceneContext = pageWithDs('headroom-b').scene;

    const variableEntry = srv.getList({ pluginId: HEADROOM_TYPE, variables: true }).find((s) => s.uid === '${ds}');
    expect(variableEntry).toEqual({ ...HEADROOM_B, isDefault: false, name: '${ds}', uid: '${ds}' });
  });
});
