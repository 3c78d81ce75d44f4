/** A query type's name and description as the query editor offers it, in the user's language (docs/i18n.md). */
import { t } from '@grafana/i18n';

import type { HeadroomQueryType } from './types';

export function queryTypeText(type: HeadroomQueryType): { label: string; description: string } {
  switch (type) {
    case 'inventory':
      return {
        label: t('datasource.query-editor.types.inventory.label', 'Inventory'),
        description: t(
          'datasource.query-editor.types.inventory.description',
          'GPU capacity, allocated, busy and free GPUs'
        ),
      };
    case 'forecast':
      return {
        label: t('datasource.query-editor.types.forecast.label', 'Forecast'),
        description: t(
          'datasource.query-editor.types.forecast.description',
          'History and forecast of one series with 80 and 95 % bands'
        ),
      };
    case 'capacity':
      return {
        label: t('datasource.query-editor.types.capacity.label', 'Capacity'),
        description: t(
          'datasource.query-editor.types.capacity.description',
          'Forecast plus GPUs needed, scale-out schedule, cost mix and exhaustion'
        ),
      };
    case 'fragmentation':
      return {
        label: t('datasource.query-editor.types.fragmentation.label', 'Fragmentation'),
        description: t(
          'datasource.query-editor.types.fragmentation.description',
          'Free GPUs the jobs people submit cannot use, what fits now, and the moves that make room'
        ),
      };
    case 'efficiency':
      return {
        label: t('datasource.query-editor.types.efficiency.label', 'Efficiency'),
        description: t(
          'datasource.query-editor.types.efficiency.description',
          'Idle and wasted GPU-hours and their cost, MFU estimate, monthly burn'
        ),
      };
    case 'alert':
      return {
        label: t('datasource.query-editor.types.alert.label', 'Alert'),
        description: t(
          'datasource.query-editor.types.alert.description',
          "One number per series for Grafana's alert rules (reduce and threshold expressions)"
        ),
      };
    case 'serving':
      return {
        label: t('datasource.query-editor.types.serving.label', 'Serving'),
        description: t(
          'datasource.query-editor.types.serving.description',
          'Inference services from vLLM and kube-state-metrics, what one runs now, measured tokens/s per GPU'
        ),
      };
  }
}
