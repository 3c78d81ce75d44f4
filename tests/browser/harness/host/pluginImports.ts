// setPluginImportUtils: how scenes' VizPanel gets a panel plugin by id. Core ids come from corePanels.tsx,
// everything else is imported from dist/ with SystemJS, like Grafana's importPanelPlugin.
import type { PanelPlugin } from '@grafana/data';
import type { setPluginImportUtils } from '@grafana/runtime';
import { PANELS } from './catalog';
import { CORE_PANELS } from './corePanels';
import { importPluginModule } from './systemjs';

const loaded = new Map<string, PanelPlugin>();
const loading = new Map<string, Promise<PanelPlugin>>();

async function load(id: string): Promise<PanelPlugin> {
  const meta = PANELS[id];
  if (!meta) {
    throw new Error(`Panel plugin "${id}" is not known to the browser harness`);
  }
  const plugin = meta.module.startsWith('core:') ? CORE_PANELS[id]() : await importPluginModule<PanelPlugin>(meta);
  plugin.meta = meta;
  loaded.set(id, plugin);
  return plugin;
}

export const pluginImportUtils: Parameters<typeof setPluginImportUtils>[0] = {
  importPanelPlugin(id: string) {
    let promise = loading.get(id);
    if (!promise) {
      promise = load(id);
      loading.set(id, promise);
    }
    return promise;
  },
  getPanelPluginFromCache(id: string) {
    return loaded.get(id);
  },
};
