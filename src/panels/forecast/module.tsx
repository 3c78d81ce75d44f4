import { PanelPlugin } from '@grafana/data';
import { t } from '@grafana/i18n';
import { initTranslations } from '../../datasource/translations';
import { ForecastPanel } from './ForecastPanel';
import { DEFAULT_FORECAST_PANEL_OPTIONS, type ForecastPanelOptions } from './options';
import pluginJson from './plugin.json';

// As the data source's module.ts: Grafana has added this panel's translations; bind `t` to its namespace.
void initTranslations(pluginJson.id);

export const plugin = new PanelPlugin<ForecastPanelOptions>(ForecastPanel).setPanelOptions((builder) =>
  builder
    .addNumberInput({
      path: 'horizonHours',
      name: t('forecast.options.horizon.name', 'Horizon (hours)'),
      description: t(
        'forecast.options.horizon.description',
        'How far ahead to forecast a series that is not already a Headroom forecast.'
      ),
      defaultValue: DEFAULT_FORECAST_PANEL_OPTIONS.horizonHours,
      settings: { min: 1, max: 720, integer: true },
    })
    .addTextInput({
      path: 'levels',
      name: t('forecast.options.levels.name', 'Interval levels (%)'),
      description: t('forecast.options.levels.description', 'Comma-separated, e.g. 80, 95.'),
      defaultValue: DEFAULT_FORECAST_PANEL_OPTIONS.levels,
    })
    .addNumberInput({
      path: 'capacity',
      name: t('forecast.options.capacity.name', 'Capacity'),
      description: t(
        'forecast.options.capacity.description',
        "In the series' unit. Draws a capacity line and the date the mean forecast exceeds it."
      ),
    })
);
