import { t } from '@grafana/i18n';
import { FieldType } from '@grafana/data';
import { PanelBuilders, VizPanel } from '@grafana/scenes';
import { TableCellTooltipPlacement } from '@grafana/schema';
import { CAPACITY_FIELD, CAPACITY_FRAMES, COST_MIX_TOTAL } from '../../datasource/forecast/capacityFrames';
import { FORECAST_FRAMES } from '../../datasource/forecast/forecastFrames';
import { LEVELS } from '../../datasource/forecast/forecastQuery';
import { countUnits, overrideFields, textMappings, type FieldText } from '../shared/fieldText';
import { costMixData, frameNamed, PRICE_CITATION_FIELD } from './forecastQueries';

export const FORECAST_PANEL_ID = 'headroom-forecast-panel';

/** History, forecast with its 80 % and 95 % bands, capacity line and exhaustion date (data from the page runner). */
export function buildForecastPanel(): VizPanel {
  return new VizPanel({
    pluginId: FORECAST_PANEL_ID,
    title: t('forecast.panels.forecast.title', 'Demand forecast'),
    description: t(
      'forecast.panels.forecast.description',
      'Hourly history of the target and its forecast past the end of the time range, with 80 % and 95 % intervals, the capacity line and when the forecast first exceeds it.'
    ),
  });
}

/**
 * A table rather than a time series: the hours lie past the end of the time range, where a time series panel on the
 * page's range would draw nothing.
 */
export function buildGpusNeeded(): VizPanel {
  return gpuTable(
    t('forecast.panels.gpus-needed.title', 'GPUs needed per hour'),
    t(
      'forecast.panels.gpus-needed.description',
      'GPUs the forecast needs each hour of the horizon at the planned utilisation, against the capacity in GPUs today.'
    ),
    CAPACITY_FRAMES.gpusNeeded
  );
}

/** The columns of the GPU tables (GPUs needed, the what-if's changed hours and totals) in the user's language. */
export const gpuTableFields = (): Record<string, FieldText> => ({
  Time: { displayName: t('forecast.fields.time', 'Time') },
  'GPUs needed': { displayName: t('forecast.fields.gpus-needed', 'GPUs needed') },
  [CAPACITY_FIELD]: { displayName: t('overview.fields.capacity', 'Capacity') },
  Baseline: { displayName: t('forecast.fields.baseline', 'Baseline') },
  'With the launch': { displayName: t('forecast.fields.with-launch', 'With the launch') },
  Difference: { displayName: t('forecast.fields.difference', 'Difference') },
  'Over the horizon': { displayName: t('forecast.fields.over-horizon', 'Over the horizon') },
});

/** One frame of the answer as a table of whole GPUs. */
export function gpuTable(title: string, description: string, frameName: string): VizPanel {
  return PanelBuilders.table()
    .setTitle(title)
    .setDescription(description)
    .setData(frameNamed(frameName))
    .setDecimals(0)
    .setOverrides((overrides) => {
      // Every number of these frames is a count of GPUs; the frames carry the English unit.
      overrides.matchFieldsByType(FieldType.number).overrideUnit(countUnits().gpus);
      overrideFields(overrides, gpuTableFields());
    })
    .build();
}

function scheduleFields(): Record<string, FieldText> {
  const gpus = countUnits().gpus;
  return {
    Action: {
      displayName: t('forecast.fields.action', 'Action'),
      mappings: [
        textMappings({
          'scale-out': t('forecast.fields.scale-out', 'scale-out'),
          'scale-in': t('forecast.fields.scale-in', 'scale-in'),
        }),
      ],
    },
    'Start scaling at': { displayName: t('forecast.fields.start-at', 'Start scaling at') },
    'Needed at': { displayName: t('forecast.fields.needed-at', 'Needed at') },
    From: { displayName: t('forecast.fields.from', 'From'), unit: gpus },
    To: { displayName: t('forecast.fields.to', 'To'), unit: gpus },
  };
}

function costMixFields(): Record<string, FieldText> {
  const units = countUnits();
  const notCosted = t('forecast.fields.not-costed', 'not costed');
  const none = t('forecast.fields.none', 'none');
  return {
    'GPU model': {
      displayName: t('overview.fields.gpu-model', 'GPU model'),
      mappings: [textMappings({ [COST_MIX_TOTAL]: t('forecast.fields.all-priced', 'All priced models') })],
    },
    'Share of GPUs': { displayName: t('forecast.fields.share-of-gpus', 'Share of GPUs') },
    'Reserved GPUs': {
      displayName: t('forecast.fields.reserved-gpus', 'Reserved GPUs'),
      unit: units.gpus,
      noValue: t('forecast.fields.no-reserved-price', 'no reserved price known'),
    },
    'Demand quantile': { displayName: t('forecast.fields.demand-quantile', 'Demand quantile') },
    'Expected cost / h': { displayName: t('forecast.fields.expected-cost', 'Expected cost / h'), noValue: notCosted },
    'All on-demand / h': { displayName: t('forecast.fields.all-on-demand', 'All on-demand / h'), noValue: notCosted },
    'Savings / h': { displayName: t('forecast.fields.savings', 'Savings / h'), noValue: notCosted },
    'On-demand GPU-hours': {
      displayName: t('forecast.fields.on-demand-hours', 'On-demand GPU-hours'),
      unit: units.gpuHours,
    },
    'Spot GPU-hours': { displayName: t('forecast.fields.spot-hours', 'Spot GPU-hours'), unit: units.gpuHours },
    'On-demand / GPU-h': {
      displayName: t('forecast.fields.on-demand-price', 'On-demand / GPU-h'),
      noValue: t('efficiency.format.no-price', 'no price'),
    },
    'Reserved / GPU-h': { displayName: t('forecast.fields.reserved-price', 'Reserved / GPU-h'), noValue: none },
    'Spot / GPU-h': { displayName: t('forecast.fields.spot-price', 'Spot / GPU-h'), noValue: none },
    'Price source': { displayName: t('forecast.fields.price-source', 'Price source') },
  };
}

/** The backtest's columns: the model, and each interval's coverage (`Coverage 80`, by the forecast's levels). */
const backtestFields = (): Record<string, FieldText> => ({
  Model: { displayName: t('forecast.fields.model', 'Model') },
  ...Object.fromEntries(
    LEVELS.map((level) => [
      `Coverage ${level}`,
      { displayName: t('forecast.fields.coverage', 'Coverage {{level}}', { level }) },
    ])
  ),
});

export function buildScheduleTable(): VizPanel {
  return PanelBuilders.table()
    .setTitle(t('forecast.panels.schedule.title', 'Scaling schedule'))
    .setDescription(
      t(
        'forecast.panels.schedule.description',
        'When to ask for more GPUs (scale-out, a cold-start lead early, so they serve by the hour the forecast needs them) and when to release them (scale-in, once no higher need is due within the lead).'
      )
    )
    .setData(frameNamed(CAPACITY_FRAMES.schedule))
    .setNoValue(t('forecast.panels.schedule.no-value', 'No scale-out or scale-in needed within the horizon'))
    .setOverrides((overrides) => {
      overrideFields(overrides, scheduleFields());
      // Narrow columns for the action and the GPU counts, so both times and From → To fit a half-width panel.
      overrides.matchFieldsWithName('Action').overrideCustomFieldConfig('width', 90);
      overrides.matchFieldsWithName('From').overrideCustomFieldConfig('width', 80);
      overrides.matchFieldsWithName('To').overrideCustomFieldConfig('width', 80);
    })
    .build();
}

const COST_MIX_WIDTHS_PX: Record<string, number> = {
  // "NVIDIA H100 80GB HBM3" on one line.
  'GPU model': 190,
  'Share of GPUs': 80,
  // "无已知预留价格" on one line; the English "no reserved price known" on two.
  'Reserved GPUs': 110,
  'Demand quantile': 76,
  'Expected cost / h': 90,
  'All on-demand / h': 90,
  'Savings / h': 76,
  'On-demand GPU-hours': 110,
  'Spot GPU-hours': 110,
  'On-demand / GPU-h': 84,
  'Reserved / GPU-h': 84,
  'Spot / GPU-h': 84,
};

const COST_MIX_WRAPPED = ['GPU model', 'Reserved GPUs', 'On-demand GPU-hours', 'Spot GPU-hours', 'Price source'];

export function buildCostMixTable(): VizPanel {
  return PanelBuilders.table()
    .setTitle(t('forecast.panels.cost-mix.title', 'Cost mix'))
    .setDescription(
      t(
        'forecast.panels.cost-mix.description',
        'Reserved GPUs for the steady part of the GPUs needed, the rest on demand or spot, priced as the fleet’s GPU models: each model for its share of the GPUs, at its prices from the app configuration (the source of each price beside it). A model without a reserved price below on-demand gets no reserved recommendation.'
      )
    )
    .setData(costMixData())
    .setOverrides((overrides) => {
      // A shipped list price shows its provider and instance; the whole citation is the cell's tooltip.
      overrides.matchFieldsWithName('Price source').overrideCustomFieldConfig('tooltip', {
        field: PRICE_CITATION_FIELD,
        placement: TableCellTooltipPlacement.Auto,
      });
      overrides
        .matchFieldsWithName(PRICE_CITATION_FIELD)
        .overrideCustomFieldConfig('hideFrom', { viz: true, legend: true, tooltip: true });
      // Thirteen columns in a full-width panel: every column but the price source as narrow as its values, with its
      // header wrapped, in English and in Chinese; the price source takes the rest, wrapped, so no column is hidden
      // past a horizontal scroll.
      for (const [name, widthPx] of Object.entries(COST_MIX_WIDTHS_PX)) {
        overrides
          .matchFieldsWithName(name)
          .overrideCustomFieldConfig('width', widthPx)
          .overrideCustomFieldConfig('wrapHeaderText', true);
      }
      // Long values wrap too: a long model name, "no reserved price known", "66.9 GPU-hours" in English.
      for (const name of COST_MIX_WRAPPED) {
        overrides.matchFieldsWithName(name).overrideCustomFieldConfig('wrapText', true);
      }
      overrideFields(overrides, costMixFields());
    })
    .build();
}

export function buildBacktestTable(): VizPanel {
  return PanelBuilders.table()
    .setTitle(t('forecast.panels.backtest.title', 'Backtest'))
    .setDescription(
      t(
        'forecast.panels.backtest.description',
        'Accuracy on held-out recent history: the chosen model first ("auto → …" names what auto picked from the history before the held-out hours, which can differ from the model fitted on all of it), then every model tried. WAPE is the error as a share of demand, MASE below 1 beats repeating the day before, coverage is how often the truth fell in the band.'
      )
    )
    .setData(frameNamed(FORECAST_FRAMES.backtest))
    .setOverrides((overrides) => {
      // The chosen model reads "auto → weighted median of 6: drift, naive, seasonal_naive_day +3" (modelLabel.ts):
      // 480 px keeps it whole; wrapped as well as wide, so it stays whole on a narrow screen.
      overrides
        .matchFieldsWithName('Model')
        .overrideCustomFieldConfig('width', 480)
        .overrideCustomFieldConfig('wrapText', true);
      overrideFields(overrides, backtestFields());
    })
    .build();
}
