// Numbers the panels and pages write, in the user's regional format (docs/i18n.md) with their units translated.
// In datasource/ so that the data source's worded errors, the panels and the pages use the same formats.
import { formattedValueToString, getValueFormat, type DecimalCount } from '@grafana/data';
import { t } from '@grafana/i18n';
import { regionalFormat } from '../translations';

/** `value` with exactly `digits` decimals, grouped as the user's regional format groups them. */
export function fixed(value: number, digits: number): string {
  return new Intl.NumberFormat(regionalFormat(), {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(value);
}

/** `value` with at most `maxDigits` decimals (`16`, `0.5`), grouped as the user's regional format groups them. */
export function formatNumber(value: number, maxDigits = 2): string {
  return new Intl.NumberFormat(regionalFormat(), { maximumFractionDigits: maxDigits }).format(value);
}

/** Between the items of a list of names or figures: ", " in English, "、" in Chinese. */
export const listSeparator = () => t('panels.format.list-separator', ', ');

/** A percentage as "12.9 %" (one decimal), or "–" when there is none. */
export function formatPercent(percent: number | undefined): string {
  return percent !== undefined && Number.isFinite(percent)
    ? t('panels.format.percent', '{{value}} %', { value: fixed(percent, 1) })
    : '–';
}

/** A share (0.129) as "12.9 %", or "–" when there is none. */
export const formatShare = (share: number) => formatPercent(share * 100);

/**
 * The Grafana units Headroom's frames give counts (`suffix: GPUs`, `suffix: requests`), written with their unit in
 * the user's language; the frames keep the English unit, the same for every viewer (docs/i18n.md).
 */
const TRANSLATED_SUFFIXES: Record<string, (value: string) => string> = {
  'suffix: GPUs': (value) => t('panels.unit.gpus', '{{value}} GPUs', { value }),
  'suffix: requests': (value) => t('panels.unit.requests', '{{value}} requests', { value }),
};

/** `value` in a Grafana unit, as Grafana's formatter writes it, with Headroom's count units translated. */
export function formatInUnit(unit: string | undefined, value: number, decimals?: DecimalCount): string {
  const translated = unit === undefined ? undefined : TRANSLATED_SUFFIXES[unit];
  return translated
    ? translated(formattedValueToString(getValueFormat('none')(value, decimals)))
    : formattedValueToString(getValueFormat(unit)(value, decimals));
}
