import { t } from '@grafana/i18n';
import { regionalFormat } from '../../datasource/translations';
import { fixed } from '../../datasource/wording/localeNumbers';

/** Number formats of the efficiency panel, in the user's regional format: every number carries its unit. */
const dollars = () =>
  new Intl.NumberFormat(regionalFormat(), { style: 'currency', currency: 'USD', maximumFractionDigits: 2 });

export const formatDollars = (value: number | undefined) =>
  value === undefined ? t('efficiency.format.no-price', 'no price') : dollars().format(value);
export const formatGpuHours = (value: number) =>
  t('efficiency.format.gpu-hours', '{{hours}} GPU-h', { hours: fixed(value, 1) });
