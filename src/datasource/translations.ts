import { initPluginTranslations, type ResourceLoader } from '@grafana/i18n';
import { config } from '@grafana/runtime';

/**
 * Binds this bundle's `t` and `<Trans>` to the plugin's namespace (its id). Grafana 12.1+ has already added the
 * plugin's `locales/<language>/<id>.json` to the shared i18next before importing the module
 * (docs/grafana-compatibility.md), so nothing is fetched here unless `loaders` are given. On failure the plugin
 * still works, in the English written in the source.
 */
export async function initTranslations(pluginId: string, loaders: ResourceLoader[] = []): Promise<void> {
  try {
    await initPluginTranslations(pluginId, loaders);
  } catch (error) {
    console.warn(`Headroom: translations for ${pluginId} not loaded, using English`, error);
  }
}

/**
 * The locale numbers and dates are written in: the user's regional format, which Grafana puts in
 * `bootData.user.regionalFormat` (config.regionalFormat, Grafana 12.1+), else en-US (older Grafana, Node tests).
 */
export function regionalFormat(): string {
  return config.regionalFormat || 'en-US';
}
