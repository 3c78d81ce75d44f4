/**
 * The 10,000-GPU fleet of the scale benchmark (issue 16): the default fleet's mix of models and workloads, on
 * 1,250 nodes of 8 GPUs each, written with only the metric families Headroom's pages read.
 */
import { defaultFleetSpec, type FleetSpec } from '../src/simulator';

export const SCALE_GPUS = 10_000;
export const SCALE_GPUS_PER_NODE = 8;

/**
 * Families the Overview, Forecast, Fragmentation and Efficiency pages select (inventory, capacity, fragmentation
 * and efficiency queries). Left out: DCGM fields no page reads (GPU_UTIL is only the fallback without profiling,
 * power, clocks, SM occupancy, DRAM) and the vLLM latency histograms. The benchmark checks every metric its
 * recorded queries select is in this list.
 */
export const SCALE_FAMILIES = [
  'kube_node_status_allocatable',
  'kube_node_labels',
  'kube_pod_container_resource_requests',
  'kube_pod_status_phase',
  'DCGM_FI_DEV_FB_USED',
  'DCGM_FI_DEV_FB_FREE',
  'DCGM_FI_PROF_GR_ENGINE_ACTIVE',
  'DCGM_FI_PROF_PIPE_TENSOR_ACTIVE',
  'vllm:num_requests_waiting',
  'vllm:kv_cache_usage_perc',
  'vllm:generation_tokens',
];

/** Each pool of the default fleet keeps its GPUs (to the nearest node) on 8-GPU nodes; the H100 pool takes the rest. */
export function scaleFleetSpec(seed = 1): FleetSpec {
  const spec = defaultFleetSpec({ gpuCount: SCALE_GPUS, seed });
  const pools = spec.nodePools.map((pool) => ({
    ...pool,
    gpusPerNode: SCALE_GPUS_PER_NODE,
    nodeCount: Math.round((pool.nodeCount * pool.gpusPerNode) / SCALE_GPUS_PER_NODE),
  }));
  const others = pools.slice(1).reduce((sum, pool) => sum + pool.nodeCount, 0);
  pools[0] = { ...pools[0], nodeCount: SCALE_GPUS / SCALE_GPUS_PER_NODE - others };
  return { ...spec, nodePools: pools };
}
