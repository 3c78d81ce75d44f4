import React from 'react';
import { Alert, Grid, Stack, Text } from '@grafana/ui';
import { GPU_DATASHEETS, VLLM_GPU_MEMORY_UTILIZATION } from '../../engine/sizing';
import {
  GpuField,
  NumberField,
  Result,
  Results,
  SectionError,
  type NumberFieldSpec,
  type PlanChange,
} from './PlanFields';
import { formatGigabytes } from './planFormat';
import { CUSTOM_GPU_MEMORY, type PlanInputs } from './planInputs';
import { inferenceOutcome } from './planResults';

const SERVING_FIELDS: NumberFieldSpec[] = [
  { field: 'inferenceParams', label: 'Parameters', description: 'e.g. 70e9' },
  {
    field: 'inferenceBytes',
    label: 'Bytes per parameter',
    description: '2 for bf16/fp16, 1 for fp8; the KV cache in the same type',
  },
  { field: 'inferenceLayers', label: 'Layers', description: 'Transformer layers' },
  {
    field: 'inferenceKvHeads',
    label: 'KV heads',
    description: "Key/value heads (8 under Llama 2 70B's grouped-query attention)",
  },
  { field: 'inferenceHeadDim', label: 'Head dimension', description: 'e.g. 128' },
  { field: 'inferenceContext', label: 'Context (tokens)', description: 'Per sequence, vLLM --max-model-len' },
  { field: 'inferenceConcurrency', label: 'Concurrency', description: 'Sequences held at once, vLLM --max-num-seqs' },
];

const GPU_OPTIONS = [
  ...GPU_DATASHEETS.map((row) => ({ label: `${row.id} (${row.memoryBytes / 1e9} GB)`, value: row.id })),
  { label: 'Other: enter its memory', value: CUSTOM_GPU_MEMORY },
];

/** Serving: weights + KV cache per replica, and the GPUs (tensor-parallel size) a replica needs for them. */
export function InferenceSection({ inputs, onChange }: { inputs: PlanInputs; onChange: PlanChange }) {
  const outcome = inferenceOutcome(inputs);
  const common = { inputs, outcome, onChange };
  return (
    <Stack direction="column" gap={2}>
      <Text element="h2" variant="h3">
        Inference
      </Text>
      <Grid gap={2} minColumnWidth={34}>
        {SERVING_FIELDS.map((spec) => (
          <NumberField key={spec.field} {...spec} {...common} />
        ))}
        <GpuField field="inferenceGpu" description="Memory from its datasheet" options={GPU_OPTIONS} {...common} />
        {inputs.inferenceGpu === CUSTOM_GPU_MEMORY && (
          <NumberField
            field="inferenceGpuMemoryGib"
            label="GPU memory (GiB)"
            description="As nvidia-smi shows it, e.g. 80"
            {...common}
          />
        )}
      </Grid>
      <SectionError outcome={outcome} title="Cannot size this replica" />
      <Results outcome={outcome}>
        {(replica) => (
          <>
            <Result
              testId="headroom-plan-weights"
              label="Weights"
              value={formatGigabytes(replica.weightsBytes)}
              how="parameters × bytes per parameter"
            />
            <Result
              testId="headroom-plan-kv-cache"
              label="KV cache"
              value={formatGigabytes(replica.kvCacheBytes)}
              how="layers × KV heads × head dim × 2 (K and V) × bytes × context × concurrency"
            />
            <Result
              testId="headroom-plan-gpus-per-replica"
              label="GPUs per replica"
              value={`${replica.gpusPerReplica} ${replica.gpusPerReplica === 1 ? 'GPU' : 'GPUs'}`}
              how={
                `Tensor-parallel ${replica.gpusPerReplica}: ${formatGigabytes(replica.bytesPerGpu)} on each GPU, ` +
                `${formatGigabytes(replica.usableBytesPerGpu)} usable (${VLLM_GPU_MEMORY_UTILIZATION * 100} % of its ` +
                `memory, vLLM's default)`
              }
            />
          </>
        )}
      </Results>
      {outcome.ok &&
        outcome.value.notes.map((note) => (
          <Alert key={note} severity="info" title={note} data-testid="headroom-plan-note" />
        ))}
    </Stack>
  );
}
