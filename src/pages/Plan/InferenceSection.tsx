import React from 'react';
import { t } from '@grafana/i18n';
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

/** The serving model's fields, labelled in the user's language (so built at render, not at load). */
function servingFields(): NumberFieldSpec[] {
  return [
    {
      field: 'inferenceParams',
      label: t('plan.inference.params.label', 'Parameters'),
      description: t('plan.inference.params.description', 'e.g. 70e9'),
    },
    {
      field: 'inferenceBytes',
      label: t('plan.inference.bytes.label', 'Bytes per parameter'),
      description: t('plan.inference.bytes.description', '2 for bf16/fp16, 1 for fp8; the KV cache in the same type'),
    },
    {
      field: 'inferenceLayers',
      label: t('plan.inference.layers.label', 'Layers'),
      description: t('plan.inference.layers.description', 'Transformer layers'),
    },
    {
      field: 'inferenceKvHeads',
      label: t('plan.inference.kv-heads.label', 'KV heads'),
      description: t(
        'plan.inference.kv-heads.description',
        "Key/value heads (8 under Llama 2 70B's grouped-query attention)"
      ),
    },
    {
      field: 'inferenceHeadDim',
      label: t('plan.inference.head-dim.label', 'Head dimension'),
      description: t('plan.inference.head-dim.description', 'e.g. 128'),
    },
    {
      field: 'inferenceContext',
      label: t('plan.inference.context.label', 'Context (tokens)'),
      description: t('plan.inference.context.description', 'Per sequence, vLLM --max-model-len'),
    },
    {
      field: 'inferenceConcurrency',
      label: t('plan.inference.concurrency.label', 'Concurrency'),
      description: t('plan.inference.concurrency.description', 'Sequences held at once, vLLM --max-num-seqs'),
    },
  ];
}

function gpuOptions() {
  return [
    ...GPU_DATASHEETS.map((row) => ({ label: `${row.id} (${row.memoryBytes / 1e9} GB)`, value: row.id })),
    { label: t('plan.inference.gpu-other', 'Other: enter its memory'), value: CUSTOM_GPU_MEMORY },
  ];
}

/** Serving: weights + KV cache per replica, and the GPUs (tensor-parallel size) a replica needs for them. */
export function InferenceSection({ inputs, onChange }: { inputs: PlanInputs; onChange: PlanChange }) {
  const outcome = inferenceOutcome(inputs);
  const common = { inputs, outcome, onChange };
  return (
    <Stack direction="column" gap={2}>
      <Text element="h2" variant="h3">
        {t('plan.inference.title', 'Inference')}
      </Text>
      <Grid gap={2} minColumnWidth={34}>
        {servingFields().map((spec) => (
          <NumberField key={spec.field} {...spec} {...common} />
        ))}
        <GpuField
          field="inferenceGpu"
          description={t('plan.inference.gpu.description', 'Memory from its datasheet')}
          options={gpuOptions()}
          {...common}
        />
        {inputs.inferenceGpu === CUSTOM_GPU_MEMORY && (
          <NumberField
            field="inferenceGpuMemoryGib"
            label={t('plan.inference.gpu-memory.label', 'GPU memory (GiB)')}
            description={t('plan.inference.gpu-memory.description', 'As nvidia-smi shows it, e.g. 80')}
            {...common}
          />
        )}
      </Grid>
      <SectionError outcome={outcome} title={t('plan.inference.error-title', 'Cannot size this replica')} />
      <Results outcome={outcome}>
        {(replica) => (
          <>
            <Result
              testId="headroom-plan-weights"
              label={t('plan.inference.weights.label', 'Weights')}
              value={formatGigabytes(replica.weightsBytes)}
              how={t('plan.inference.weights.how', 'parameters × bytes per parameter')}
            />
            <Result
              testId="headroom-plan-kv-cache"
              label={t('plan.inference.kv-cache.label', 'KV cache')}
              value={formatGigabytes(replica.kvCacheBytes)}
              how={t(
                'plan.inference.kv-cache.how',
                'layers × KV heads × head dim × 2 (K and V) × bytes × context × concurrency'
              )}
            />
            <Result
              testId="headroom-plan-gpus-per-replica"
              label={t('plan.inference.gpus-per-replica.label', 'GPUs per replica')}
              value={
                replica.gpusPerReplica === 1
                  ? t('plan.inference.gpus-per-replica.one', '1 GPU')
                  : t('plan.inference.gpus-per-replica.many', '{{gpus}} GPUs', { gpus: replica.gpusPerReplica })
              }
              how={t(
                'plan.inference.gpus-per-replica.how',
                "Tensor-parallel {{gpus}}: {{perGpu}} on each GPU, {{usable}} usable ({{percent}} % of its memory, vLLM's default)",
                {
                  gpus: replica.gpusPerReplica,
                  perGpu: formatGigabytes(replica.bytesPerGpu),
                  usable: formatGigabytes(replica.usableBytesPerGpu),
                  percent: VLLM_GPU_MEMORY_UTILIZATION * 100,
                  interpolation: { escapeValue: false },
                }
              )}
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
