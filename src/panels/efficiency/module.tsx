import { PanelPlugin } from '@grafana/data';
import { EfficiencyPanel } from './EfficiencyPanel';

export const plugin = new PanelPlugin(EfficiencyPanel);
