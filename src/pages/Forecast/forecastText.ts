// Texts the page shows and the browser tests read; free of scenes imports so Node tests can import them.

export const FORECAST_PANEL_TITLES = {
  forecast: 'Demand forecast',
  gpusNeeded: 'GPUs needed per hour',
  schedule: 'Scale-out schedule',
  costMix: 'Cost mix',
  backtest: 'Backtest',
} as const;

/** Shown by the schedule table when the forecast never needs more GPUs than there are. */
export const NO_SCALE_OUT_TEXT = 'No scale-out needed within the horizon';
