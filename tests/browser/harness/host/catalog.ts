// Plugin and data source metadata, as Grafana's backend would embed it in the page. The server computes the built
// plugins' metadata and injects it as `window.__harnessBoot`; nothing here imports @grafana/* values, because boot.ts
// must run before @grafana/runtime is evaluated.
import type {
  DataSourceInstanceSettings,
  DataSourceJsonData,
  DataSourcePluginMeta,
  PanelPluginMeta,
  PluginMeta,
} from '@grafana/data';

/**
 * What the server embeds in the page: the app's and every nested plugin's metadata, with `module`, `baseUrl` and
 * logo URLs as Grafana's backend computes them (server.ts).
 */
export interface HarnessBootPayload {
  app: PluginMeta;
  nested: PluginMeta[];
  /** The Headroom data source's jsonData when a test sets it (server.ts `headroom`). */
  headroomJsonData?: Record<string, unknown>;
}

declare global {
  interface Window {
    __harnessBoot: HarnessBootPayload;
  }
}

const boot = window.__harnessBoot;

export const APP_ID = boot.app.id;

/** The Prometheus data source the Headroom data source reads through Grafana's resource proxy. */
const PROMETHEUS_UID = 'prometheus';
export const HEADROOM_UID = 'headroom';

const nestedByType = (type: string) => boot.nested.filter((meta) => meta.type === type);

/** Core visualisations the harness renders with @grafana/ui substitutes (see corePanels.tsx). */
const CORE_PANEL_NAMES: Record<string, string> = {
  timeseries: 'Time series',
  stat: 'Stat',
  table: 'Table',
  bargauge: 'Bar gauge',
  text: 'Text',
};

function corePanelMeta(id: string, name: string): PanelPluginMeta {
  return {
    id,
    name,
    type: 'panel',
    module: `core:plugin/${id}`,
    baseUrl: '',
    sort: 1,
    skipDataQuery: id === 'text',
    info: {
      author: { name: 'Grafana Labs' },
      description: name,
      links: [],
      logos: { small: '', large: '' },
      screenshots: [],
      updated: '',
      version: '12.4.10',
    },
  } as PanelPluginMeta;
}

export const PANELS: Record<string, PanelPluginMeta> = Object.fromEntries([
  ...Object.entries(CORE_PANEL_NAMES).map(([id, name]) => [id, corePanelMeta(id, name)]),
  ...nestedByType('panel').map((meta) => [meta.id, meta as PanelPluginMeta]),
]);

const headroomMeta = nestedByType('datasource')[0] as DataSourcePluginMeta | undefined;
if (!headroomMeta) {
  throw new Error('dist/ has no nested data source plugin.json');
}

const prometheusMeta = {
  id: 'prometheus',
  name: 'Prometheus',
  type: 'datasource',
  module: 'core:plugin/prometheus',
  baseUrl: 'public/app/plugins/datasource/prometheus',
  metrics: true,
  alerting: true,
  annotations: true,
  backend: true,
  info: corePanelMeta('prometheus', 'Prometheus').info,
} as DataSourcePluginMeta;

// The Headroom data source's options (src/datasource/types.ts): by default, read Prometheus through the data source
// above; a test may give its own (with a URL, through Headroom's own backend).
const headroomJsonData: DataSourceJsonData = boot.headroomJsonData ?? { prometheusUid: PROMETHEUS_UID };

export const DATA_SOURCES: DataSourceInstanceSettings[] = [
  {
    id: 1,
    uid: PROMETHEUS_UID,
    name: 'Prometheus',
    type: 'prometheus',
    meta: prometheusMeta,
    access: 'proxy',
    url: `/api/datasources/proxy/uid/${PROMETHEUS_UID}`,
    jsonData: {},
    readOnly: false,
    isDefault: true,
  },
  {
    id: 2,
    uid: HEADROOM_UID,
    name: 'Headroom',
    type: headroomMeta.id,
    meta: headroomMeta,
    access: 'proxy',
    jsonData: headroomJsonData,
    readOnly: false,
    isDefault: false,
  },
];
