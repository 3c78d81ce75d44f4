// English texts of the page that the browser tests read; the page shows them through t() (forecastPanels.ts,
// whatIfPanels.ts), whose en-US default they must equal. Free of scenes imports so Node tests can import them.

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
