import type { AppPluginMeta } from '@grafana/data';
import { getBackendSrv, isFetchError } from '@grafana/runtime';
import { PLUGIN_ID } from '../../constants';
import type { HeadroomAppSettings } from '../../datasource/appSettings';
import { errorMessage, redactCredentials } from '../../prometheus/redact';

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

/**
 * Why saving failed, in Grafana's words: BackendSrv rejects with a FetchError (not an Error) whose `data.message` is
 * Grafana's reason, such as a missing permission.
 */
export function saveFailureMessage(error: unknown): string {
  if (isFetchError(error)) {
    const message: unknown = (error.data as { message?: unknown } | undefined)?.message;
    const reason = typeof message === 'string' && message.trim() !== '' ? message : error.statusText;
    if (error.status > 0) {
      return redactCredentials(`Grafana answered ${error.status}${reason ? `: ${reason}` : ''}`);
    }
    return redactCredentials(`Grafana did not answer${reason ? ` (${reason})` : ''}; reload the page and try again.`);
  }
  return errorMessage(error);
}
