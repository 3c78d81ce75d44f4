import { kvCacheBytes, kvCacheBytesPerToken, weightsBytes, type KvCacheShape } from './memory';
import { replicasForRate, type ReplicaInput, type ReplicaPlan } from './replicas';
import { tensorParallelSize } from './tensorParallel';

export interface InferenceInput extends KvCacheShape {
  parameters: number;
  bytesPerParameter: number;
  /** Tokens of one sequence (prompt and output) the KV cache holds, e.g. vLLM's `--max-model-len`. */
  context: number;
  /** Sequences one replica holds at once, e.g. vLLM's `--max-num-seqs` at full context. */
  concurrency: number;
  attentionHeads?: number;
  gpuMemoryBytes: number;
  usableFraction: number;
  /** When given, replicas and GPUs for that rate are worked out too. */
  rate?: Omit<ReplicaInput, 'gpusPerReplica'>;
}

export interface InferenceSizing {
  weightsBytes: number;
  kvCacheBytesPerToken: number;
  kvCacheBytes: number;
  /** Weights + KV cache of one replica. */
  memoryPerReplicaBytes: number;
  /** The smallest tensor-parallel size vLLM accepts at which the replica fits (`tensorParallel.ts`). */
  gpusPerReplica: number;
  bytesPerGpu: number;
  usableBytesPerGpu: number;
  replicas?: ReplicaPlan;
  /** Things a person should know about the answer, in words (weights alone too big for one GPU). */
  notes: string[];
}

const gb = (bytes: number) => `${(bytes / 1e9).toFixed(1)} GB`;

/** Memory per replica, GPUs per replica from memory, and replicas for a target rate: docs/formulas.md, "Sizing". */
export function sizeInference(input: InferenceInput): InferenceSizing {
  const weights = weightsBytes(input.parameters, input.bytesPerParameter);
  const kv = kvCacheBytes(input, input.context, input.concurrency);
  const fit = tensorParallelSize({
    weightsBytes: weights,
    kvCacheBytes: kv,
    kvHeads: input.kvHeads,
    attentionHeads: input.attentionHeads,
    gpuMemoryBytes: input.gpuMemoryBytes,
    usableFraction: input.usableFraction,
  });
  const notes: string[] = [];
  if (weights > fit.usableBytesPerGpu) {
    notes.push(
      `The weights (${gb(weights)} at ${input.bytesPerParameter} bytes per parameter) do not fit one GPU ` +
        `(${gb(fit.usableBytesPerGpu)} usable): a replica needs tensor-parallel size ${fit.size}.`
    );
  }
  return {
    weightsBytes: weights,
    kvCacheBytesPerToken: kvCacheBytesPerToken(input),
    kvCacheBytes: kv,
    memoryPerReplicaBytes: weights + kv,
    gpusPerReplica: fit.size,
    bytesPerGpu: fit.bytesPerGpu,
    usableBytesPerGpu: fit.usableBytesPerGpu,
    replicas: input.rate && replicasForRate({ ...input.rate, gpusPerReplica: fit.size }),
    notes,
  };
}
