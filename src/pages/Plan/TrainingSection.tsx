import React from 'react';
import { Field, Grid, RadioButtonGroup, Stack, Text } from '@grafana/ui';
import { DTYPES, dtypesOf, GPU_DATASHEETS } from '../../engine/sizing';
import { errorFor, GpuField, NumberField, Result, Results, SectionError, type PlanChange } from './PlanFields';
import { formatPowerOfTen, formatScaled } from './planFormat';
import type { PlanInputs } from './planInputs';
import { trainingOutcome } from './planResults';

/** GPU models with at least one peak FLOP/s: the ones training can be sized on. */
const TRAINING_GPUS = GPU_DATASHEETS.filter((row) => dtypesOf(row).length > 0);
const DTYPE_OPTIONS = DTYPES.map((dtype) => ({ label: dtype, value: dtype }));

/** Training: 6·N·D FLOPs, GPU-hours at the GPU's peak and the MFU, and days on a GPU count. */
export function TrainingSection({ inputs, onChange }: { inputs: PlanInputs; onChange: PlanChange }) {
  const outcome = trainingOutcome(inputs);
  const row = TRAINING_GPUS.find((r) => r.id === inputs.trainingGpu);
  const common = { inputs, outcome, onChange };
  const dtypeError = errorFor(outcome, 'trainingDtype');
  return (
    <Stack direction="column" gap={2}>
      <Text element="h2" variant="h3">
        Training
      </Text>
      <Grid gap={2} minColumnWidth={34}>
        <NumberField field="trainingParams" label="Parameters" description="N, e.g. 70e9" {...common} />
        <NumberField field="trainingTokens" label="Training tokens" description="D, e.g. 2e12" {...common} />
        <GpuField
          field="trainingGpu"
          description="Peak FLOP/s from its NVIDIA datasheet"
          options={TRAINING_GPUS.map((r) => ({ label: r.id, value: r.id }))}
          {...common}
        />
        <Field label="Data type" description="Of the matmuls" invalid={!!dtypeError} error={dtypeError}>
          <RadioButtonGroup
            aria-label="Data type"
            options={DTYPE_OPTIONS}
            disabledOptions={row ? DTYPES.filter((d) => !dtypesOf(row).includes(d)) : []}
            value={inputs.trainingDtype}
            onChange={(trainingDtype) => onChange({ trainingDtype })}
          />
        </Field>
        <NumberField
          field="trainingMfu"
          label="MFU"
          description="Model FLOPs utilisation in (0, 1]: measured (headroom mfu) or assumed"
          {...common}
        />
        <NumberField
          field="trainingGpus"
          label="GPUs (optional)"
          description="For the wall-clock days"
          placeholder="e.g. 2048"
          {...common}
        />
      </Grid>
      <SectionError outcome={outcome} title="Cannot size this training run" />
      <Results outcome={outcome}>
        {(plan) => (
          <>
            <Result
              testId="headroom-plan-flops"
              label="Training compute"
              value={`${formatPowerOfTen(plan.flops)} FLOPs`}
              how="6 × parameters × tokens"
            />
            <Result
              testId="headroom-plan-gpu-hours"
              label="GPU time"
              value={`${formatScaled(plan.gpuHours)} GPU-hours`}
              how={`FLOPs ÷ (${formatScaled(plan.peakFlopsPerGpu)}FLOP/s datasheet peak × MFU × 3600 s)`}
            />
            {plan.days !== undefined && (
              <Result
                testId="headroom-plan-days"
                label="Wall-clock time"
                value={`${formatScaled(plan.days)} days`}
                how={`GPU-hours ÷ ${inputs.trainingGpus.trim()} GPUs ÷ 24`}
              />
            )}
          </>
        )}
      </Results>
    </Stack>
  );
}
