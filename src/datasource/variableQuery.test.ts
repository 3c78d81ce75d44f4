import { createCatalog } from '../prometheus/catalog';
import { labelValuesLookup, parseVariableQuery } from './variableQuery';

describe('parseVariableQuery', () => {
  it('reads the three queries with and without a filter', () => {
    expect(parseVariableQuery('nodes()')).toEqual({ kind: 'nodes', filters: {} });
    expect(parseVariableQuery('  gpu_models( )  ')).toEqual({ kind: 'gpu_models', filters: {} });
    expect(parseVariableQuery('namespaces(node = $node)')).toEqual({ kind: 'namespaces', filters: { node: '$node' } });
    expect(parseVariableQuery('nodes(gpu_model=${gpu_model})')).toEqual({
      kind: 'nodes',
      filters: { gpu_model: '${gpu_model}' },
    });
  });

  it('rejects an unknown query with the list of valid ones', () => {
    expect(() => parseVariableQuery('label_values(up, job)')).toThrow(
      /"label_values\(up, job\)" is not a Headroom variable query\. Use nodes\(\), namespaces\(\) or gpu_models\(\)/
    );
    expect(() => parseVariableQuery('nodes')).toThrow(/not a Headroom variable query/);
  });

  it('rejects a filter the query cannot apply', () => {
    expect(() => parseVariableQuery('namespaces(gpu_model=$gpu_model)')).toThrow(
      /namespaces\(\) does not accept "gpu_model=\$gpu_model"/
    );
    expect(() => parseVariableQuery('gpu_models($node)')).toThrow(/gpu_models\(\) does not accept/);
  });
});

describe('labelValuesLookup', () => {
  const catalog = createCatalog();

  it('nodes(): node label of nodes offering whole GPUs or MIG instances', () => {
    expect(labelValuesLookup(parseVariableQuery('nodes()'), catalog, {})).toEqual({
      label: 'node',
      matchers: ['kube_node_status_allocatable{resource=~"nvidia_com_gpu|nvidia_com_mig_.+"}'],
    });
  });

  it('namespaces(node=...): namespaces requesting GPUs on those nodes, regex characters escaped', () => {
    const lookup = labelValuesLookup(parseVariableQuery('namespaces(node=$node)'), catalog, { node: ['n1', 'n.2'] });

    expect(lookup).toEqual({
      label: 'namespace',
      matchers: [
        'kube_pod_container_resource_requests{resource=~"nvidia_com_gpu|nvidia_com_mig_.+",node=~"n1|n\\\\.2"}',
      ],
    });
  });

  it('namespaces(node=$node) with node at All: no node matcher', () => {
    const lookup = labelValuesLookup(parseVariableQuery('namespaces(node=$node)'), catalog, { node: undefined });

    expect(lookup.matchers).toEqual([
      'kube_pod_container_resource_requests{resource=~"nvidia_com_gpu|nvidia_com_mig_.+"}',
    ]);
  });

  it('gpu_models(): DCGM model label over both activity metrics', () => {
    expect(labelValuesLookup(parseVariableQuery('gpu_models()'), catalog, {})).toEqual({
      label: 'modelName',
      matchers: ['{__name__=~"DCGM_FI_DEV_GPU_UTIL|DCGM_FI_PROF_GR_ENGINE_ACTIVE"}'],
    });
  });

  it('nodes(gpu_model=...): DCGM host names of that model, with renamed labels from the catalog', () => {
    const renamed = createCatalog({ Hostname: 'node_name', DCGM_FI_DEV_GPU_UTIL: 'gpu_util' });
    const lookup = labelValuesLookup(parseVariableQuery('nodes(gpu_model=$gpu_model)'), renamed, {
      gpu_model: ['NVIDIA A100-SXM4-80GB'],
    });

    expect(lookup).toEqual({
      label: 'node_name',
      matchers: ['{__name__=~"gpu_util|DCGM_FI_PROF_GR_ENGINE_ACTIVE",modelName="NVIDIA A100-SXM4-80GB"}'],
    });
  });

  it('nodes(namespace=...): nodes where those namespaces request GPUs', () => {
    const lookup = labelValuesLookup(parseVariableQuery('nodes(namespace=team-a)'), catalog, { namespace: ['team-a'] });

    expect(lookup).toEqual({
      label: 'node',
      matchers: [
        'kube_pod_container_resource_requests{resource=~"nvidia_com_gpu|nvidia_com_mig_.+",namespace="team-a"}',
      ],
    });
  });
});
