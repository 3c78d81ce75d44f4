// Evaluated before any @grafana/* module: @grafana/runtime reads window.grafanaBootData when it is first imported,
// and @grafana/ui resolves font and icon URLs from __grafana_public_path__.
import { DATA_SOURCES, PANELS } from './catalog';

declare global {
  interface Window {
    grafanaBootData: unknown;
    __grafana_public_path__: string;
  }
}

const search = new URLSearchParams(window.location.search);
const theme = search.get('theme') === 'light' ? 'light' : 'dark';
// The user's language preference (`?lang=zh-Hans`), which Grafana's backend puts in bootData.user.language and
// regionalFormat (pkg/api/index.go); Grafana's boot initialises i18n with them (services.ts).
const language = search.get('lang') ?? 'en-US';

window.__grafana_public_path__ = '/public/';
window.grafanaBootData = {
  assets: { dark: '', light: '' },
  navTree: [],
  user: {
    id: 1,
    uid: 'admin',
    login: 'admin',
    name: 'admin',
    email: 'admin@localhost',
    isSignedIn: true,
    isGrafanaAdmin: true,
    orgId: 1,
    orgName: 'Main Org.',
    orgRole: 'Admin',
    theme,
    // UTC keeps every date the pages print independent of the machine running the tests.
    timezone: 'utc',
    weekStart: 'monday',
    locale: language,
    language,
    regionalFormat: language,
    permissions: {},
  },
  settings: {
    appSubUrl: '',
    appUrl: `${window.location.origin}/`,
    buildInfo: { version: '12.4.10', commit: 'harness', env: 'production', edition: 'Open Source' },
    featureToggles: {},
    defaultDatasource: DATA_SOURCES.find((ds) => ds.isDefault)?.name,
    datasources: Object.fromEntries(DATA_SOURCES.map((ds) => [ds.name, ds])),
    panels: PANELS,
  },
};
