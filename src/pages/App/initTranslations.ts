import { initPluginTranslations } from '@grafana/i18n';
import { loadResources } from '@grafana/scenes';
import { PLUGIN_ID } from '../../constants';

/**
 * Scenes is bundled with its own copy of @grafana/i18n: load scenes' labels (time picker, "Not found")
 * into it. On failure the pages still work, with the English text written in the source.
 */
export async function initTranslations(): Promise<void> {
  try {
    await initPluginTranslations(PLUGIN_ID, [loadResources]);
  } catch (error) {
    console.warn('Headroom: translations not loaded, using English', error);
  }
}
