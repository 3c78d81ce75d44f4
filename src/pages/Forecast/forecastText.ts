// Texts the page shows and the browser tests read; free of scenes imports so Node tests can import them.

export const FORECAST_PANEL_TITLES = {
  forecast: 'Demand forecast',
  gpusNeeded: 'GPUs needed per hour',
  schedule: 'Scaling schedule',
  costMix: 'Cost mix',
  backtest: 'Backtest',
} as const;

/** Shown by the schedule table when the GPUs needed stay the same over the whole horizon. */
export const NO_SCALE_OUT_TEXT = 'No scale-out or scale-in needed within the horizon';

/** The launch what-if's side-by-side panels (whatIfPanels.ts). */
export const WHAT_IF_PANEL_TITLES = {
  baselineForecast: 'Demand forecast: baseline',
  scenarioForecast: 'Demand forecast: with the launch',
  baselineSchedule: 'Scaling schedule: baseline',
  scenarioSchedule: 'Scaling schedule: with the launch',
  changedHours: 'GPUs needed: hours the launch changes',
  totals: 'Totals: baseline and with the launch',
} as const;
