// Numbers the Alerts page writes, in the user's regional format (docs/i18n.md) with their units translated.
import { t } from '@grafana/i18n';
import { fixed, formatShare } from '../../datasource/wording/localeNumbers';

/** Shown while a number is being computed, in every language. */
export const PENDING = '…';

/** "3.2 h" below two days, "4.1 d" above, minutes below an hour: how long an alert fired. */
export function formatDurationSeconds(seconds: number): string {
  if (seconds < 3600) {
    return t('alerts.format.minutes', '{{value}} min', { value: fixed(Math.round(seconds / 60), 0) });
  }
  return seconds < 2 * 86_400
    ? t('alerts.format.hours', '{{value}} h', { value: fixed(seconds / 3600, 1) })
    : t('alerts.format.days', '{{value}} d', { value: fixed(seconds / 86_400, 1) });
}

/** Drift as a percentage of the series' size, or why there is none. */
export function formatDrift(fraction: number | undefined): string {
  if (fraction === undefined) {
    return PENDING;
  }
  return Number.isFinite(fraction) ? formatShare(fraction) : t('alerts.format.not-available', 'n/a');
}

/** "0.42 /week": how often a rule is expected to start firing; "–" when unknown. */
export function formatPerWeek(startsPerWeek: number): string {
  if (!Number.isFinite(startsPerWeek)) {
    return '–';
  }
  return t('alerts.format.per-week', '{{value}} /week', { value: fixed(startsPerWeek, 2) });
}
