// Titles and wording the page shows and the browser tests read; free of React so Node tests import them too.
import { t } from '@grafana/i18n';
import type { RuleEvaluation } from '../../alerting/ruleStates';
import type { BandMethod, SeasonMode } from '../../engine/thresholds';

/** The panels' titles in the user's language (English where `t` has no catalog, as in Node tests). */
export function alertsPanelTitles() {
  return {
    band: t('alerts.panels.band.title', 'Learnt band'),
    backtest: t('alerts.panels.backtest.title', 'Backtest'),
    rules: t('alerts.panels.rules.title', 'Rules for this series'),
    managed: t('alerts.panels.managed.title', 'Managed rules'),
    budget: t('alerts.panels.budget.title', 'Budget guard rails'),
    queryRules: t('alerts.panels.query-rules.title', 'Rules on Headroom queries'),
  };
}

/** A managed rule's status badge. */
export function statusText() {
  return {
    active: t('alerts.managed.status.active', 'Active'),
    paused: t('alerts.managed.status.paused', 'Paused'),
    edited: t('alerts.managed.status.edited', 'Edited by a person'),
  };
}

function rhythmText(mode: SeasonMode): string {
  switch (mode) {
    case 'hour-of-week':
      return t('alerts.band-model.hour-of-week', 'per hour of week');
    case 'hour-of-day':
      return t('alerts.band-model.hour-of-day', 'per hour of day');
    case 'flat':
      return t('alerts.band-model.flat', 'one level for every hour (no rhythm kept)');
  }
}

/** The band's model in a few words, e.g. "median ± 3·MAD, per hour of week": the rhythm it kept and its width. */
export function bandModelText(mode: SeasonMode, method: BandMethod, width: number): string {
  const rhythm = rhythmText(mode);
  return method === 'median-mad'
    ? t('alerts.band-model.mad', 'median ± {{width}}·MAD, {{rhythm}}', {
        width,
        rhythm,
        interpolation: { escapeValue: false },
      })
    : t('alerts.band-model.quantile', 'median ± {{width}}× the quantile reach, {{rhythm}}', {
        width,
        rhythm,
        interpolation: { escapeValue: false },
      });
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
          text: t('alerts.state.not-listed', 'Not listed'),
          color: 'darkgrey',
          detail: t(
            'alerts.state.not-listed-detail',
            'Grafana did not list this rule: not evaluated yet, or no permission to read alert states.'
          ),
        }
      : undefined;
  }
  const since =
    evaluation.activeSinceMs === undefined
      ? undefined
      : t('alerts.state.since', 'since {{time}} UTC', {
          time: utcMinute(evaluation.activeSinceMs),
          interpolation: { escapeValue: false },
        });
  const problem =
    evaluation.health === 'error'
      ? (evaluation.lastError ?? t('alerts.state.failed', 'The last evaluation failed.'))
      : evaluation.health === 'nodata'
        ? t('alerts.state.no-data-detail', 'The query returned no data at the last evaluation.')
        : undefined;
  const detail = [since, problem].filter(Boolean).join(' · ') || undefined;
  switch (evaluation.state) {
    case 'firing':
      return { text: t('alerts.state.firing', 'Firing'), color: 'red', detail };
    case 'pending':
      return { text: t('alerts.state.pending', 'Pending'), color: 'orange', detail };
    case 'recovering':
      return { text: t('alerts.state.recovering', 'Recovering'), color: 'purple', detail };
    case 'inactive':
      if (evaluation.health === 'error') {
        return { text: t('alerts.state.error', 'Error'), color: 'red', detail: problem };
      }
      if (evaluation.health === 'nodata') {
        return { text: t('alerts.state.no-data', 'No data'), color: 'blue', detail: problem };
      }
      return evaluation.lastEvaluationMs === undefined
        ? { text: t('alerts.state.not-evaluated', 'Not evaluated yet'), color: 'darkgrey' }
        : { text: t('alerts.state.normal', 'Normal'), color: 'green' };
    default:
      return { text: evaluation.state, color: 'darkgrey', detail: problem };
  }
}
