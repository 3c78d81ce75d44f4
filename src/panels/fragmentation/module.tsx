import { PanelPlugin } from '@grafana/data';
import { initTranslations } from '../../datasource/translations';
import { FragmentationPanel } from './FragmentationPanel';
import pluginJson from './plugin.json';

// As the data source's module.ts: Grafana has added this panel's translations; bind `t` to its namespace.
void initTranslations(pluginJson.id);

export const plugin = new PanelPlugin(FragmentationPanel);
