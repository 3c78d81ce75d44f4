import { PanelPlugin } from '@grafana/data';
import { ForecastPanel } from './ForecastPanel';

export const plugin = new PanelPlugin(ForecastPanel);
