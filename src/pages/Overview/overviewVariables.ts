import { t } from '@grafana/i18n';
import { QueryVariable, SceneVariableSet } from '@grafana/scenes';
import { VariableRefresh } from '@grafana/schema';
import { OVERVIEW_DATASOURCE } from './inventoryQueries';
import { headroomDatasourceVariable } from '../shared/headroomDatasourceVariable';

/** A multi-value filter listing what the Headroom data source finds for `query` (`nodes()`, ...). */
function inventoryFilter(name: string, label: string, query: string): QueryVariable {
  return new QueryVariable({
    name,
    label,
    datasource: OVERVIEW_DATASOURCE,
    query,
    isMulti: true,
    includeAll: true,
    defaultToAll: true,
    // All means "no filter", not a list of today's names: the data source reads `$__all` as that, so a node that
    // appears mid-range, or one the list query cannot see, is still counted.
    allValue: '$__all',
    // Nodes and namespaces come and go: list those present in the chosen time range.
    refresh: VariableRefresh.onTimeRangeChanged,
  });
}

/**
 * @param defaultDatasourceUid the app's configured default; when unset or missing, the
 * variable falls back to Grafana's default or first Headroom data source.
 */
export function buildOverviewVariables(defaultDatasourceUid?: string): SceneVariableSet {
  return new SceneVariableSet({
    variables: [
      headroomDatasourceVariable(defaultDatasourceUid),
      inventoryFilter('node', t('variables.node', 'Node'), 'nodes()'),
      inventoryFilter('namespace', t('variables.namespace', 'Namespace'), 'namespaces()'),
      inventoryFilter('gpu_model', t('variables.gpu-model', 'GPU model'), 'gpu_models()'),
    ],
  });
}
