import React from 'react';
import { t } from '@grafana/i18n';
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
        {t('plan.training.title', 'Training')}
      </Text>
      <Grid gap={2} minColumnWidth={34}>
        <NumberField
          field="trainingParams"
          label={t('plan.training.params.label', 'Parameters')}
          description={t('plan.training.params.description', 'N, e.g. 70e9')}
          {...common}
        />
        <NumberField
          field="trainingTokens"
          label={t('plan.training.tokens.label', 'Training tokens')}
          description={t('plan.training.tokens.description', 'D, e.g. 2e12')}
          {...common}
        />
        <GpuField
          field="trainingGpu"
          description={t('plan.training.gpu.description', 'Peak FLOP/s from its NVIDIA datasheet')}
          options={TRAINING_GPUS.map((r) => ({ label: r.id, value: r.id }))}
          {...common}
        />
        <Field
          label={t('plan.training.dtype.label', 'Data type')}
          description={t('plan.training.dtype.description', 'Of the matmuls')}
          invalid={!!dtypeError}
          error={dtypeError}
        >
          <RadioButtonGroup
            aria-label={t('plan.training.dtype.label', 'Data type')}
            options={DTYPE_OPTIONS}
            disabledOptions={row ? DTYPES.filter((d) => !dtypesOf(row).includes(d)) : []}
            value={inputs.trainingDtype}
            onChange={(trainingDtype) => onChange({ trainingDtype })}
          />
        </Field>
        <NumberField
          field="trainingMfu"
          label={t('plan.training.mfu.label', 'MFU')}
          description={t(
            'plan.training.mfu.description',
            'Model FLOPs utilisation in (0, 1]: measured (headroom mfu) or assumed'
          )}
          {...common}
        />
        <NumberField
          field="trainingGpus"
          label={t('plan.training.gpus.label', 'GPUs (optional)')}
          description={t('plan.training.gpus.description', 'For the wall-clock days')}
          placeholder={t('plan.training.gpus.placeholder', 'e.g. 2048')}
          {...common}
        />
      </Grid>
      <SectionError outcome={outcome} title={t('plan.training.error-title', 'Cannot size this training run')} />
      <Results outcome={outcome}>
        {(plan) => (
          <>
            <Result
              testId="headroom-plan-flops"
              label={t('plan.training.compute.label', 'Training compute')}
              value={`${formatPowerOfTen(plan.flops)} FLOPs`}
              how={t('plan.training.compute.how', '6 × parameters × tokens')}
            />
            <Result
              testId="headroom-plan-gpu-hours"
              label={t('plan.training.gpu-time.label', 'GPU time')}
              value={t('plan.training.gpu-time.value', '{{hours}} GPU-hours', {
                hours: formatScaled(plan.gpuHours),
              })}
              how={t('plan.training.gpu-time.how', 'FLOPs ÷ ({{peak}}FLOP/s datasheet peak × MFU × 3600 s)', {
                peak: formatScaled(plan.peakFlopsPerGpu),
              })}
            />
            {plan.days !== undefined && (
              <Result
                testId="headroom-plan-days"
                label={t('plan.training.days.label', 'Wall-clock time')}
                value={t('plan.training.days.value', '{{days}} days', { days: formatScaled(plan.days) })}
                how={t('plan.training.days.how', 'GPU-hours ÷ {{gpus}} GPUs ÷ 24', {
                  gpus: inputs.trainingGpus.trim(),
                  interpolation: { escapeValue: false },
                })}
              />
            )}
          </>
        )}
      </Results>
    </Stack>
  );
}
