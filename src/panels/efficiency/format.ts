import { t } from '@grafana/i18n';
import { regionalFormat } from '../../datasource/translations';

/** Number formats of the efficiency panel, in the user's regional format: every number carries its unit. */
const dollars = () =>
  new Intl.NumberFormat(regionalFormat(), { style: 'currency', currency: 'USD', maximumFractionDigits: 2 });
const oneDecimal = () => new Intl.NumberFormat(regionalFormat(), { maximumFractionDigits: 1, minimumFractionDigits: 1 });

export const formatDollars = (value: number | undefined) =>
  value === undefined ? t('efficiency.format.no-price', 'no price') : dollars().format(value);
export const formatGpuHours = (value: number) =>
  t('efficiency.format.gpu-hours', '{{hours}} GPU-h', { hours: oneDecimal().format(value) });
export const formatPercent = (value: number | undefined) =>
  value === undefined ? '–' : `${oneDecimal().format(value)} %`;
