/**
 * fetchDeployedState reads each node group's bounds from cluster-autoscaler's gauges. A GCE managed instance group is
 * named by its URL, which holds ':' (https://…): the group's name must come back whole, with both its bounds.
 */
import { createPrometheusClient } from '../../src/prometheus/client';
import { fetchDeployedState } from '../../src/prometheus/deployedState';
import { createFetchTransport } from '../../src/prometheus/fetchTransport';
import { constantSamples, toOpenMetrics } from '../kit/openMetrics';
import { startPrometheus, type RunningPrometheus } from '../kit/prometheus';

const START_SECONDS = 1_700_006_400;
const MIG = 'https://www.googleapis.com/compute/v1/projects/p/zones/us-central1-a/instanceGroups/gpu-pool';

let prometheus: RunningPrometheus;

beforeAll(async () => {
  const gauge = (name: string, value: number) => ({
    name,
    labels: { node_group: MIG },
    samples: constantSamples(value, START_SECONDS, START_SECONDS + 600, 60),
  });
  prometheus = await startPrometheus({
    openMetricsText: toOpenMetrics([
      gauge('cluster_autoscaler_node_group_min_count', 2),
      gauge('cluster_autoscaler_node_group_max_count', 9),
    ]),
  });
});

afterAll(() => prometheus?.stop());

it('keeps a node group named by a URL whole, with its minimum and maximum', async () => {
  const client = createPrometheusClient(createFetchTransport(prometheus.url));
  const { values } = await fetchDeployedState(
    client,
    { namespace: 'ns', deployment: 'vllm', nodeGroups: [MIG] },
    START_SECONDS + 600
  );
  expect(values.nodeGroups).toEqual({ [MIG]: { minNodes: 2, maxNodes: 9 } });
});
