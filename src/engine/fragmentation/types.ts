/** One GPU of a node: how much of it is not allocated, in thousandths of a GPU (1000 = fully free). */
export interface GpuFree {
  index: number;
  freeMilli: number;
}

/** A node as the scheduler sees it now: free CPU and the unallocated share of each GPU. */
export interface NodeState {
  name: string;
  /** GPU model as the cluster names it (`A100`, `T4`); empty only for a node without GPUs. */
  gpuModel: string;
  gpuCount: number;
  cpuFreeMilli: number;
  gpus: GpuFree[];
}

/**
 * What one pod asks for. `gpuMilli` is the share of each of its GPUs: a request of k whole GPUs has gpuMilli 1000,
 * a shared request (one GPU, part of it) has gpuCount 1 and gpuMilli < 1000, a CPU-only pod has gpuCount 0.
 * `gpuSpec` is the GPU-model constraint as the Alibaba trace writes it: empty for any model, else one model or
 * several separated by `|`.
 */
export interface PodRequest {
  cpuMilli: number;
  gpuCount: number;
  gpuMilli: number;
  gpuSpec: string;
}

/** One task type m of the target workload M, with its popularity p_m (the share of recent pods of this type). */
export interface TaskType extends PodRequest {
  id: string;
  popularity: number;
}
