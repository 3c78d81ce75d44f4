// Titles and wording the page shows and the browser test reads; free of React so Node tests import them too.

export const ALERTS_PANEL_TITLES = {
  band: 'Learnt band',
  backtest: 'Backtest',
  rules: 'Rules for this series',
  managed: 'Managed rules',
} as const;

export const STATUS_TEXT = {
  active: 'Active',
  paused: 'Paused',
  edited: 'Edited by a person',
} as const;

/** "3.2 h" below two days, "4.1 d" above: how long an alert fired. */
export function formatDurationSeconds(seconds: number): string {
  if (seconds < 3600) {
    return `${Math.round(seconds / 60)} min`;
  }
  return seconds < 2 * 86_400 ? `${(seconds / 3600).toFixed(1)} h` : `${(seconds / 86_400).toFixed(1)} d`;
}

/** Drift as a percentage of the series' size, or why there is none. */
export function formatDrift(fraction: number | undefined): string {
  if (fraction === undefined) {
    return '…';
  }
  return Number.isFinite(fraction) ? `${(fraction * 100).toFixed(1)} %` : 'n/a';
}
