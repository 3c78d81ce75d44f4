// Titles and wording the page shows and the browser test reads; free of React so Node tests import them too.

import type { RuleEvaluation } from '../../alerting/ruleStates';
import type { BandMethod, SeasonMode } from '../../engine/thresholds';

export const ALERTS_PANEL_TITLES = {
  band: 'Learnt band',
  backtest: 'Backtest',
  rules: 'Rules for this series',
  managed: 'Managed rules',
  budget: 'Budget guard rails',
  queryRules: 'Rules on Headroom queries',
} as const;

export const STATUS_TEXT = {
  active: 'Active',
  paused: 'Paused',
  edited: 'Edited by a person',
} as const;

const RHYTHM_TEXT: Record<SeasonMode, string> = {
  'hour-of-week': 'per hour of week',
  'hour-of-day': 'per hour of day',
  flat: 'one level for every hour (no rhythm kept)',
};

/** The band's model in a few words, e.g. "median ± 3·MAD, per hour of week": the rhythm it kept and its width. */
export function bandModelText(mode: SeasonMode, method: BandMethod, width: number): string {
  const reach = method === 'median-mad' ? `${width}·MAD` : `${width}× the quantile reach`;
  return `median ± ${reach}, ${RHYTHM_TEXT[mode]}`;
}

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

/** "2025-06-02 10:05" in UTC: how the Alerts page writes a time, beside a "(UTC)" or "UTC" label. */
export function utcMinute(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}

/**
 * `evaluation` undefined: Grafana did not list the rule (`loaded`) or has not answered yet. The state leads; an
 * evaluation error or missing data is its detail, since Grafana can fire on an error or on no data (the rule's
 * error and no-data handling). A rule Grafana has not evaluated yet has state inactive, health ok and no time of
 * last evaluation.
 */
export function alertStateText(
  evaluation: Omit<RuleEvaluation, 'uid'> | undefined,
  loaded: boolean
): AlertStateText | undefined {
  if (!evaluation) {
    return loaded
      ? {
          text: 'Not listed',
          color: 'darkgrey',
          detail: 'Grafana did not list this rule: not evaluated yet, or no permission to read alert states.',
        }
      : undefined;
  }
  const since = evaluation.activeSinceMs === undefined ? undefined : `since ${utcMinute(evaluation.activeSinceMs)} UTC`;
  const problem =
    evaluation.health === 'error'
      ? (evaluation.lastError ?? 'The last evaluation failed.')
      : evaluation.health === 'nodata'
        ? 'The query returned no data at the last evaluation.'
        : undefined;
  const detail = [since, problem].filter(Boolean).join(' · ') || undefined;
  switch (evaluation.state) {
    case 'firing':
      return { text: 'Firing', color: 'red', detail };
    case 'pending':
      return { text: 'Pending', color: 'orange', detail };
    case 'recovering':
      return { text: 'Recovering', color: 'purple', detail };
    case 'inactive':
      if (evaluation.health === 'error') {
        return { text: 'Error', color: 'red', detail: problem };
      }
      if (evaluation.health === 'nodata') {
        return { text: 'No data', color: 'blue', detail: problem };
      }
      return evaluation.lastEvaluationMs === undefined
        ? { text: 'Not evaluated yet', color: 'darkgrey' }
        : { text: 'Normal', color: 'green' };
    default:
      return { text: evaluation.state, color: 'darkgrey', detail: problem };
  }
}
