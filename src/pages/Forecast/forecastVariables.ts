import { t } from '@grafana/i18n';
import { CustomVariable, SceneVariableSet, TextBoxVariable } from '@grafana/scenes';
import { VariableHide } from '@grafana/schema';
import { LSTM_MODEL, OFFERED_MODELS } from '../../datasource/forecast/forecastTask';
import { MAX_HORIZON_HOURS } from '../../datasource/forecast/forecastQuery';
import { EXPR_TARGET, FORECASTABLE_TARGETS } from '../../datasource/forecast/runForecastQuery';
import { targetLabel } from '../../datasource/targetLabels';
import { FORECAST_DEFAULTS } from '../../datasource/types';
import { headroomDatasourceVariable } from '../shared/headroomDatasourceVariable';

/**
 * `label : id` pairs of a CustomVariable (text shown, then value): the data source's presets, then custom PromQL, in
 * the user's language. Built when the page is built (a `t()` at a module's top level runs before the namespace is
 * bound); the values stay the ids, so URLs are the same in every language.
 */
export function targetOptions(): string {
  return [
    ...FORECASTABLE_TARGETS.map((target) => `${optionText(targetLabel(target.id, target.label))} : ${target.id}`),
    `${optionText(t('forecast.variables.target.custom-promql', 'Custom PromQL'))} : ${EXPR_TARGET}`,
  ].join(', ');
}

/** `label : name` pairs of the model variable; models keep their names, the LSTM's label says why it is slower. */
export function modelOptions(): string {
  return OFFERED_MODELS.map((name) =>
    name === LSTM_MODEL
      ? `${optionText(t('forecast.variables.model.lstm', 'lstm (trains in the browser)'))} : ${name}`
      : `${name} : ${name}`
  ).join(', ');
}

/** A label as one option of a CustomVariable query, whose options are separated by commas (escaped as `\,`). */
function optionText(label: string): string {
  return label.replace(/,/g, '\\,');
}

/** The launch what-if's variable: its text is `headroom capacity --what-if`'s, empty for none. */
export const WHAT_IF_VARIABLE = 'whatif';

/**
 * The page's state, all in variables so the URL reproduces the view: data source, target preset or PromQL,
 * horizon in hours, model, capacity in GPUs (empty: the fleet's latest gpu_capacity) and the launch what-if.
 */
export function buildForecastVariables(defaultDatasourceUid?: string): SceneVariableSet {
  return new SceneVariableSet({
    variables: [
      headroomDatasourceVariable(defaultDatasourceUid),
      new CustomVariable({
        name: 'target',
        label: t('forecast.variables.target.label', 'Target'),
        query: targetOptions(),
        value: FORECAST_DEFAULTS.target,
        description: t(
          'forecast.variables.target.description',
          'What to forecast: a preset of the data source, or "Custom PromQL" for the expression below.'
        ),
      }),
      new TextBoxVariable({
        name: 'promql',
        label: t('forecast.variables.promql.label', 'PromQL (Custom PromQL target)'),
        value: '',
        description: t(
          'forecast.variables.promql.description',
          'A PromQL expression returning one series; used when the target is "Custom PromQL".'
        ),
      }),
      new TextBoxVariable({
        name: 'horizon',
        label: t('forecast.variables.horizon.label', 'Horizon (hours)'),
        value: FORECAST_DEFAULTS.horizonHours,
        description: t(
          'forecast.variables.horizon.description',
          'Hours to forecast past the end of the time range, 1 to {{maxHours}}, and at most the history before it (a forecast looks no further ahead than its history looks back). The first hours of the forecast and their intervals do not change with the horizon.',
          { maxHours: MAX_HORIZON_HOURS }
        ),
      }),
      new CustomVariable({
        name: 'model',
        label: t('forecast.variables.model.label', 'Model'),
        query: modelOptions(),
        value: FORECAST_DEFAULTS.model,
        description: t(
          'forecast.variables.model.description',
          'auto backtests every model on the series and combines the best; lstm trains a neural network in the browser.'
        ),
      }),
      new TextBoxVariable({
        name: 'capacity',
        label: t('forecast.variables.capacity.label', 'Capacity (GPUs)'),
        value: '',
        description: t(
          'forecast.variables.capacity.description',
          "GPUs available. Empty: the fleet's latest GPU capacity."
        ),
      }),
      // Hidden from the variable bar (the what-if form writes it), still synced to the URL as `var-whatif`.
      new TextBoxVariable({
        name: WHAT_IF_VARIABLE,
        label: t('forecast.variables.what-if.label', 'Launch what-if'),
        value: '',
        hide: VariableHide.hideVariable,
        description: t(
          'forecast.variables.what-if.description',
          'Launch events, start=<ISO>,end=<ISO>,multiplier=<x>, as `headroom capacity --what-if` takes them.',
          { interpolation: { escapeValue: false } }
        ),
      }),
    ],
  });
}
