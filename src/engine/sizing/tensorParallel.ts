import { requireCount, requirePositive, requireShare, SizingInputError } from './errors';

/**
 * vLLM's default `gpu_memory_utilization` (`EngineArgs`, vllm/engine/arg_utils.py; "--gpu-memory-utilization" in
 * https://docs.vllm.ai/en/latest/models/engine_args.html): the share of each GPU's memory vLLM takes for weights,
 * activations and KV cache. The rest is left to the CUDA context and other processes, so sizing with it matches what
 * a default vLLM deployment can hold.
 */
export const VLLM_GPU_MEMORY_UTILIZATION = 0.9;

/**
 * The tensor-parallel sizes tried, smallest first: powers of two, as GPU nodes come in, up to 8, because tensor
 * parallelism stays inside one node's NVLink domain (8 GPUs on HGX/DGX boards); beyond that a replica needs pipeline
 * parallelism across nodes, which this planner does not size.
 */
const TENSOR_PARALLEL_SIZES = [1, 2, 4, 8];

export interface TensorParallelInput {
  weightsBytes: number;
  /** The whole replica's KV cache. */
  kvCacheBytes: number;
  kvHeads: number;
  /** Attention (query) heads; when given, only sizes that divide them are accepted, as vLLM requires. */
  attentionHeads?: number;
  gpuMemoryBytes: number;
  /** Share of each GPU's memory the server may use, in (0, 1]. */
  usableFraction: number;
}

export interface TensorParallelFit {
  /** GPUs per replica: the smallest accepted tensor-parallel size at which one GPU's share fits. */
  size: number;
  /** Weights ÷ size plus the KV heads one GPU holds, at that size. */
  bytesPerGpu: number;
  usableBytesPerGpu: number;
  /** The sizes vLLM would accept, smallest first: powers of two up to 8 that divide the attention heads. */
  acceptedSizes: number[];
}

/**
 * One GPU's share of a replica at tensor-parallel size `size`: weights split evenly, and ⌈kv-heads ÷ size⌉ of the KV
 * heads, since vLLM replicates a KV head on every GPU once the size exceeds the KV heads
 * (`ModelConfig.get_num_kv_heads`, vllm/config.py: max(1, kv-heads ÷ size)).
 */
export function bytesPerGpu(input: TensorParallelInput, size: number): number {
  const kvShare = Math.ceil(input.kvHeads / size) / input.kvHeads;
  return input.weightsBytes / size + input.kvCacheBytes * kvShare;
}

/**
 * The smallest tensor-parallel size at which weights and KV cache fit the usable memory of each GPU. vLLM accepts
 * a size only if it divides the attention heads ("Total number of attention heads must be divisible by tensor
 * parallel size", `ModelConfig.verify_with_parallel_config`, vllm/config.py).
 * A replica that fits no accepted size up to 8 is a `SizingInputError` saying how many GPUs' memory it would need.
 */
export function tensorParallelSize(input: TensorParallelInput): TensorParallelFit {
  requirePositive('gpuMemoryBytes', input.gpuMemoryBytes);
  requireCount('kvHeads', input.kvHeads);
  const usableFraction = requireShare('usableFraction', input.usableFraction);
  const heads = input.attentionHeads === undefined ? undefined : requireCount('attentionHeads', input.attentionHeads);
  const usableBytesPerGpu = input.gpuMemoryBytes * usableFraction;
  const acceptedSizes = TENSOR_PARALLEL_SIZES.filter((size) => heads === undefined || heads % size === 0);
  const size = acceptedSizes.find((s) => bytesPerGpu(input, s) <= usableBytesPerGpu);
  if (size === undefined) {
    throw new SizingInputError('gpuMemoryBytes', doesNotFit(input, usableBytesPerGpu, acceptedSizes));
  }
  return { size, bytesPerGpu: bytesPerGpu(input, size), usableBytesPerGpu, acceptedSizes };
}

const gb = (bytes: number) => `${(bytes / 1e9).toFixed(1)} GB`;

function doesNotFit(input: TensorParallelInput, usable: number, accepted: number[]): string {
  const total = input.weightsBytes + input.kvCacheBytes;
  const largest = accepted[accepted.length - 1];
  const headsNote =
    largest < TENSOR_PARALLEL_SIZES[TENSOR_PARALLEL_SIZES.length - 1]
      ? ` (${input.attentionHeads} attention heads allow tensor-parallel sizes ${accepted.join(', ')} only)`
      : '';
  return (
    `Weights ${gb(input.weightsBytes)} + KV cache ${gb(input.kvCacheBytes)} = ${gb(total)} per replica do not fit ` +
    `even on ${largest} GPUs of ${gb(input.gpuMemoryBytes)} (${gb(usable)} usable each, ${gb(bytesPerGpu(input, largest))} ` +
    `needed per GPU)${headsNote}; the replica needs the memory of at least ${Math.ceil(total / usable)} such GPUs. ` +
    'Use fewer bytes per parameter or per KV value, a shorter context or fewer concurrent sequences, a GPU with more ' +
    'memory, or pipeline parallelism across nodes.'
  );
}
