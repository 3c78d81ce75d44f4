import React from 'react';
import { t } from '@grafana/i18n';
import { Field, Grid, RadioButtonGroup, Stack, Text } from '@grafana/ui';
import { NumberField, Result, Results, SectionError, type PlanChange } from './PlanFields';
import type { PlanInputs } from './planInputs';
import { rateOutcome, type MeasuredModel } from './planResults';

/**
 * Serving a request rate: replicas and GPUs from the tokens/s one GPU serves, measured from the fleet's vLLM history
 * over the page's time range (the model chosen among those served), or the assumption the person types.
 */
export function RateSection(props: {
  inputs: PlanInputs;
  onChange: PlanChange;
  measured: MeasuredModel[];
  gpusPerReplica: number;
}) {
  const { inputs, onChange, measured } = props;
  const outcome = rateOutcome(inputs, measured, props.gpusPerReplica);
  const common = { inputs, outcome, onChange };
  return (
    <Stack direction="column" gap={2}>
      <Text element="h2" variant="h3">
        {t('plan.rate.title', 'Serving a rate')}
      </Text>
      {measured.length > 1 && (
        <Field
          label={t('plan.rate.model.label', 'Served model')}
          description={t('plan.rate.model.description', 'Measured from its vLLM history in the time range')}
        >
          <RadioButtonGroup
            options={measured.map((m) => ({ label: m.model, value: m.model }))}
            value={inputs.rateModel}
            onChange={(rateModel) => onChange({ rateModel })}
          />
        </Field>
      )}
      <Grid gap={2} minColumnWidth={34}>
        <NumberField
          field="rateRequestsPerSecond"
          label={t('plan.rate.requests.label', 'Requests per second')}
          description={t('plan.rate.requests.description', 'At the peak')}
          {...common}
        />
        <NumberField
          field="rateTokensPerRequest"
          label={t('plan.rate.tokens-per-request.label', 'Tokens per request')}
          description={t('plan.rate.tokens-per-request.description', 'Output (generated) tokens, as vLLM counts them')}
          {...common}
        />
        <NumberField
          field="rateTokensPerSecondPerGpu"
          label={t('plan.rate.assumed.label', 'Tokens/s per GPU (assumed)')}
          description={t('plan.rate.assumed.description', "Leave empty to use the fleet's measured figure")}
          {...common}
        />
      </Grid>
      <SectionError outcome={outcome} title={t('plan.rate.error-title', 'Cannot size for this rate')} />
      <Results outcome={outcome}>
        {(plan) => (
          <>
            <Result
              testId="headroom-plan-tokens-per-gpu"
              label={t('plan.rate.per-gpu.label', 'Tokens/s per GPU')}
              value={`${Math.round(plan.tokensPerSecondPerGpu).toLocaleString('en-US')} ${
                plan.source === 'measured'
                  ? t('plan.rate.per-gpu.measured', 'measured')
                  : t('plan.rate.per-gpu.assumed', 'assumed')
              }`}
              how={
                plan.source === 'measured'
                  ? t(
                      'plan.rate.per-gpu.how-measured',
                      '{{model}}: generation tokens/s ÷ GPUs its vLLM pods request, 0.9 quantile of {{hours}} serving hours in the time range',
                      { model: plan.model, hours: plan.servingHours, interpolation: { escapeValue: false } }
                    )
                  : t('plan.rate.per-gpu.how-assumed', 'your assumption, not measured')
              }
            />
            <Result
              testId="headroom-plan-rate-replicas"
              label={t('plan.rate.replicas.label', 'Replicas')}
              value={t('plan.rate.replicas.value', '{{replicas}} × {{perReplica}} = {{gpus}} GPUs', {
                replicas: plan.replicas,
                perReplica: props.gpusPerReplica,
                gpus: plan.gpus,
              })}
              how={t(
                'plan.rate.replicas.how',
                'requests/s × tokens per request ÷ (tokens/s per GPU × GPUs per replica), rounded up'
              )}
            />
          </>
        )}
      </Results>
    </Stack>
  );
}
