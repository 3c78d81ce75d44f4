import { gpusNeeded } from '../capacity';
import { requireCount, requirePositive, requireShare } from './errors';

export interface ReplicaInput {
  requestsPerSecond: number;
  /** Tokens each request costs, counted as the throughput figure counts them (output tokens for vLLM's generation rate). */
  tokensPerRequest: number;
  /**
   * Tokens/s one GPU sustains at the concurrency and latency target sized for: a benchmark figure or the fleet's own
   * vLLM history. A replica of `gpusPerReplica` GPUs serves that many times it.
   */
  tokensPerSecondPerGpu: number;
  gpusPerReplica: number;
  /** Share of that throughput the plan may use, in (0, 1], as in the capacity plan; 1 leaves no buffer. */
  targetUtilisation: number;
}

export interface ReplicaPlan {
  /** requests/s × tokens per request. */
  tokensPerSecond: number;
  /** ⌈tokens/s ÷ (tokens/s per GPU × GPUs per replica × target utilisation)⌉, at least 1. */
  replicas: number;
  /** replicas × GPUs per replica. */
  gpus: number;
}

/**
 * Replicas and GPUs to serve a target request rate: the capacity plan's requirement (`gpusNeeded`, the same rounding)
 * with a whole replica as the unit of capacity.
 */
export function replicasForRate(input: ReplicaInput): ReplicaPlan {
  const tokensPerSecond =
    requirePositive('requestsPerSecond', input.requestsPerSecond) *
    requirePositive('tokensPerRequest', input.tokensPerRequest);
  const gpusPerReplica = requireCount('gpusPerReplica', input.gpusPerReplica);
  const perGpu = requirePositive('tokensPerSecondPerGpu', input.tokensPerSecondPerGpu);
  const targetUtilisation = requireShare('targetUtilisation', input.targetUtilisation);
  const [replicas] = gpusNeeded([tokensPerSecond], {
    throughputPerGpu: perGpu * gpusPerReplica,
    targetUtilisation,
    minimumGpus: 1,
  });
  return { tokensPerSecond, replicas, gpus: replicas * gpusPerReplica };
}
