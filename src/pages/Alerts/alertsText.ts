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

/** How the managed-rules table shows Grafana's evaluation of a rule: a badge, and a line explaining it. */
export interface AlertStateText {
  text: string;
  color: 'green' | 'orange' | 'red' | 'blue' | 'purple' | 'darkgrey';
  detail?: string;
}

const utcMinute = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');

/** `evaluation` undefined: Grafana did not list the rule (`loaded`) or has not answered yet. */
export function alertStateText(
  evaluation: { state: string; health: string; lastError?: string; activeSinceMs?: number } | undefined,
  loaded: boolean
): AlertStateText | undefined {
  if (!evaluation) {
    return loaded
      ? { text: 'Not reported', color: 'darkgrey', detail: "Grafana's evaluator does not list this rule yet." }
      : undefined;
  }
  const since = evaluation.activeSinceMs === undefined ? undefined : `since ${utcMinute(evaluation.activeSinceMs)} UTC`;
  if (evaluation.health === 'error') {
    return { text: 'Error', color: 'red', detail: evaluation.lastError ?? 'The last evaluation failed.' };
  }
  if (evaluation.health === 'nodata') {
    return { text: 'No data', color: 'blue', detail: 'The query returned no data at the last evaluation.' };
  }
  switch (evaluation.state) {
    case 'firing':
      return { text: 'Firing', color: 'red', detail: since };
    case 'pending':
      return { text: 'Pending', color: 'orange', detail: since };
    case 'recovering':
      return { text: 'Recovering', color: 'purple', detail: since };
    case 'inactive':
      return evaluation.health === 'unknown'
        ? { text: 'Not evaluated yet', color: 'darkgrey' }
        : { text: 'Normal', color: 'green' };
    default:
      return { text: evaluation.state, color: 'darkgrey' };
  }
}
