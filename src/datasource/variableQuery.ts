/**
 * Template-variable queries: `nodes()`, `namespaces()`, `gpu_models()`, optionally narrowed by another variable,
 * e.g. `namespaces(node=$node)` or `nodes(gpu_model=$gpu_model)`. Each becomes one Prometheus label-values lookup.
 */
import { DEFAULT_DCGM_HOSTNAME_LABEL, DEFAULT_DCGM_MODEL_LABEL, type MetricCatalog } from '../prometheus/catalog';
import { NODE_LABEL, anyGpuResourceMatcher } from '../prometheus/inventoryQueries';
import { anyOfMatcher, matcher, regexEscape, selector } from '../prometheus/promql';

export const VARIABLE_QUERY_KINDS = ['nodes', 'namespaces', 'gpu_models'] as const;
export type VariableQueryKind = (typeof VARIABLE_QUERY_KINDS)[number];
export type VariableFilterKey = 'node' | 'namespace' | 'gpu_model';

export interface VariableQuery {
  kind: VariableQueryKind;
  /** Raw filter texts, template variables not yet replaced. */
  filters: Partial<Record<VariableFilterKey, string>>;
}

/** Which filters each query understands; other combinations would need joins a label lookup cannot do. */
const ALLOWED_FILTERS: Record<VariableQueryKind, VariableFilterKey[]> = {
  nodes: ['namespace', 'gpu_model'],
  namespaces: ['node'],
  gpu_models: ['node'],
};

const USAGE =
  'Use nodes(), namespaces() or gpu_models(), optionally with one filter: nodes(namespace=$namespace), ' +
  'nodes(gpu_model=$gpu_model), namespaces(node=$node), gpu_models(node=$node).';

export function parseVariableQuery(text: string): VariableQuery {
  const call = /^\s*(\w+)\s*\(\s*(.*?)\s*\)\s*$/s.exec(text);
  const kind = VARIABLE_QUERY_KINDS.find((candidate) => candidate === call?.[1]);
  if (!call || !kind) {
    throw new Error(`"${text}" is not a Headroom variable query. ${USAGE}`);
  }
  const filters: VariableQuery['filters'] = {};
  if (call[2] !== '') {
    const argument = /^(\w+)\s*=\s*(.+)$/s.exec(call[2]);
    const key = ALLOWED_FILTERS[kind].find((candidate) => candidate === argument?.[1]);
    if (!argument || !key) {
      throw new Error(`${kind}() does not accept "${call[2]}". ${USAGE}`);
    }
    filters[key] = argument[2].trim();
  }
  return { kind, filters };
}

/** The label whose values answer the query, and the series selector that scopes them. */
export interface LabelValuesLookup {
  label: string;
  matchers: string[];
}

/**
 * @param filterValues literal values of the query's filter after template interpolation; undefined means all.
 */
export function labelValuesLookup(
  query: VariableQuery,
  catalog: MetricCatalog,
  filterValues: Partial<Record<VariableFilterKey, string[]>>
): LabelValuesLookup {
  // MIG-only nodes and namespaces hold no `nvidia_com_gpu`, only `nvidia_com_mig_<profile>` resources.
  const gpuResource = anyGpuResourceMatcher(catalog);
  const hostnameLabel = catalog.name(DEFAULT_DCGM_HOSTNAME_LABEL);
  const modelLabel = catalog.name(DEFAULT_DCGM_MODEL_LABEL);
  const requests = (extra: string | undefined) =>
    selector(catalog.name('kube_pod_container_resource_requests'), [gpuResource, extra]);
  // Coarse and profiling activity: a fleet may export only one of them, and both carry the DCGM labels.
  const dcgm = (extra: string | undefined) => {
    const names = [catalog.name('DCGM_FI_DEV_GPU_UTIL'), catalog.name('DCGM_FI_PROF_GR_ENGINE_ACTIVE')];
    const nameMatcher = matcher('__name__', '=~', names.map(regexEscape).join('|'));
    return `{${[nameMatcher, extra].filter((m) => m !== undefined).join(',')}}`;
  };

  switch (query.kind) {
    case 'nodes':
      if (query.filters.gpu_model !== undefined) {
        return { label: hostnameLabel, matchers: [dcgm(anyOfMatcher(modelLabel, filterValues.gpu_model))] };
      }
      if (query.filters.namespace !== undefined) {
        return { label: NODE_LABEL, matchers: [requests(anyOfMatcher('namespace', filterValues.namespace))] };
      }
      return {
        label: NODE_LABEL,
        matchers: [selector(catalog.name('kube_node_status_allocatable'), [gpuResource])],
      };
    case 'namespaces':
      return { label: 'namespace', matchers: [requests(anyOfMatcher(NODE_LABEL, filterValues.node))] };
    case 'gpu_models':
      return { label: modelLabel, matchers: [dcgm(anyOfMatcher(hostnameLabel, filterValues.node))] };
  }
}
