import { getBackendSrv } from '@grafana/runtime';
import { PLUGIN_ID } from '../constants';
import type { HeadroomAppSettings } from './appSettings';

/** The Headroom app's saved settings (business calendar, GPU prices); the data source has no copy of its own. */
export async function loadAppSettings(): Promise<HeadroomAppSettings> {
  const settings = await getBackendSrv().get<{ jsonData?: HeadroomAppSettings }>(`/api/plugins/${PLUGIN_ID}/settings`);
  return settings.jsonData ?? {};
}
