import pluginJson from './plugin.json';

export const PLUGIN_ID = pluginJson.id;
export const PLUGIN_BASE_URL = `/a/${PLUGIN_ID}`;

/** Plugin type id of the nested Headroom data source (src/datasource/plugin.json). */
export const HEADROOM_DATASOURCE_TYPE = 'headroom-capacity-datasource';

/**
 * What the service account Grafana manages for the data source may do (its `iam` block, scripts/package.ts): open the
 * app, which is what `GET /api/plugins/<app id>/settings` checks (pkg/api/plugins.go GetPluginSettingByID), so that
 * its backend can read the app's settings for queries that bring none (backend/appSettingsReader.ts).
 */
export const DATASOURCE_IAM_PERMISSIONS = [{ action: 'plugins.app:access', scope: `plugins:id:${PLUGIN_ID}` }];

/** Path segments of the app pages, as listed in plugin.json `includes`. */
export enum ROUTES {
  Overview = 'overview',
  Forecast = 'forecast',
  Fragmentation = 'fragmentation',
  Efficiency = 'efficiency',
  Alerts = 'alerts',
  Plan = 'plan',
}

export function prefixRoute(route: ROUTES): string {
  return `${PLUGIN_BASE_URL}/${route}`;
}

/**
 * The app's secret (`secureJsonData`) holding the service-account token the backend recalibrates alert rules with:
 * written by the configuration page, read only by the app's backend (Grafana never sends secrets to the browser).
 */
export const RECALIBRATION_TOKEN_KEY = 'recalibrationToken';
