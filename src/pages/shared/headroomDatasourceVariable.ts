import { t } from '@grafana/i18n';
import { DataSourceVariable } from '@grafana/scenes';
import { HEADROOM_DATASOURCE_TYPE } from '../../constants';

/**
 * The `ds` variable every page starts with. With no configured default (or a missing one) Grafana falls back to
 * its default or first Headroom data source.
 */
export function headroomDatasourceVariable(defaultDatasourceUid?: string): DataSourceVariable {
  return new DataSourceVariable({
    name: 'ds',
    label: t('variables.datasource', 'Data source'),
    pluginId: HEADROOM_DATASOURCE_TYPE,
    value: defaultDatasourceUid ?? '',
  });
}
