/** Test fakes shared by the fleet state's and the fragmentation query's tests. */
import type { PrometheusClient } from '../types';

/**
 * The metadata answers of a Prometheus holding DCGM's GR engine activity with pod labels and kube-state-metrics,
 * enough for detectFamilies to find both; a fake client adds its own query answers.
 */
export const FLEET_METADATA: Pick<PrometheusClient, 'series' | 'labelNames' | 'labelValues'> = {
  series: async () => [],
  labelNames: async () => ['Hostname', 'UUID', 'gpu', 'modelName', 'namespace', 'node', 'pod', 'resource'],
  labelValues: async () => [
    'DCGM_FI_PROF_GR_ENGINE_ACTIVE',
    'kube_node_status_allocatable',
    'kube_pod_container_resource_requests',
    'kube_pod_status_phase',
  ],
};
