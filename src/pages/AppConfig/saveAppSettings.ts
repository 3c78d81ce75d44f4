import type { AppPluginMeta } from '@grafana/data';
import { getBackendSrv } from '@grafana/runtime';
import { PLUGIN_ID } from '../../constants';
import type { HeadroomAppSettings } from '../../datasource/appSettings';

/**
 * Stores the app's settings. Grafana replaces jsonData, enabled and pinned with what is sent (pkg/api/plugins.go
 * UpdatePluginSetting, pkg/services/pluginsettings/service/service.go), so `jsonData` must be whole and `enabled` and
 * `pinned` are sent back unchanged. Grafana's error toast is off: the page says why in its own alert.
 */
export function saveAppSettings(
  meta: AppPluginMeta<HeadroomAppSettings>,
  jsonData: HeadroomAppSettings,
  secureJsonData?: Record<string, string>
): Promise<unknown> {
  // Grafana stores secrets key by key (pkg/services/pluginsettings/service/service.go): a key not sent is kept.
  return getBackendSrv().post(
    `/api/plugins/${PLUGIN_ID}/settings`,
    { enabled: meta.enabled, pinned: meta.pinned, jsonData, ...(secureJsonData ? { secureJsonData } : {}) },
    { showErrorAlert: false }
  );
}
