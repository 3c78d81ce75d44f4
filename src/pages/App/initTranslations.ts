import { loadResources } from '@grafana/scenes';
import { PLUGIN_ID } from '../../constants';
import { initTranslations as initPluginNamespace } from '../../datasource/translations';

/**
 * The app's namespace, plus scenes' own labels (time picker, "Not found"): scenes is bundled, so Grafana does not
 * load its translations; its loader adds them for the user's language.
 */
export function initTranslations(): Promise<void> {
  return initPluginNamespace(PLUGIN_ID, [loadResources]);
}
