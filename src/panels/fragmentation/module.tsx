import { PanelPlugin } from '@grafana/data';
import { FragmentationPanel } from './FragmentationPanel';

export const plugin = new PanelPlugin(FragmentationPanel);
