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
