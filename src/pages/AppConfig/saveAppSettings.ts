import type { AppPluginMeta } from '@grafana/data';
import { getBackendSrv } from '@grafana/runtime';
import { PLUGIN_ID } from '../../constants';
import type { HeadroomAppSettings } from '../../datasource/appSettings';

/** Stores the app's settings; `enabled` and `pinned` are sent back unchanged because the endpoint replaces them too. */
export function saveAppSettings(
  meta: AppPluginMeta<HeadroomAppSettings>,
  jsonData: HeadroomAppSettings
): Promise<unknown> {
  return getBackendSrv().post(`/api/plugins/${PLUGIN_ID}/settings`, {
    enabled: meta.enabled,
    pinned: meta.pinned,
    jsonData,
  });
}
