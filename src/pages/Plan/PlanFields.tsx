import React from 'react';
import { t } from '@grafana/i18n';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Alert, Combobox, Field, Grid, Input, Text, useStyles2 } from '@grafana/ui';
import type { PlanInputs } from './planInputs';
import type { Outcome } from './planResults';

export type PlanChange = (change: Partial<PlanInputs>) => void;

/** The message for `field` when the section's outcome blames it. */
export function errorFor(outcome: Outcome<unknown>, field: keyof PlanInputs): string | undefined {
  return !outcome.ok && outcome.field === field ? outcome.message : undefined;
}

export interface NumberFieldSpec {
  field: keyof PlanInputs;
  label: string;
  description: string;
  placeholder?: string;
}

/** A labelled text input for one number of the plan, its error (if any) right under it. */
export function NumberField(
  props: NumberFieldSpec & { inputs: PlanInputs; outcome: Outcome<unknown>; onChange: PlanChange }
) {
  const error = errorFor(props.outcome, props.field);
  return (
    <Field label={props.label} description={props.description} invalid={error !== undefined} error={error}>
      <Input
        id={`headroom-plan-${props.field}`}
        value={props.inputs[props.field]}
        placeholder={props.placeholder}
        onChange={(event) => props.onChange({ [props.field]: event.currentTarget.value })}
      />
    </Field>
  );
}

/** The GPU model of a section: a choice among the datasheets; a name from the URL that none has is shown with its error. */
export function GpuField(props: {
  field: 'trainingGpu' | 'inferenceGpu';
  description: string;
  options: Array<{ label: string; value: string }>;
  inputs: PlanInputs;
  outcome: Outcome<unknown>;
  onChange: PlanChange;
}) {
  const error = errorFor(props.outcome, props.field);
  const value = props.inputs[props.field];
  return (
    <Field
      label={t('plan.field.gpu-model', 'GPU model')}
      description={props.description}
      invalid={error !== undefined}
      error={error}
    >
      <Combobox
        id={`headroom-plan-${props.field}`}
        options={props.options}
        value={props.options.some((option) => option.value === value) ? value : null}
        placeholder={value}
        onChange={(option) => props.onChange({ [props.field]: option.value })}
      />
    </Field>
  );
}

/** What is wrong with the section as a whole, when no single field is to blame. */
export function SectionError({ outcome, title }: { outcome: Outcome<unknown>; title: string }) {
  if (outcome.ok || outcome.field !== undefined) {
    return null;
  }
  return (
    <Alert severity="error" title={title}>
      {outcome.message}
    </Alert>
  );
}

/** One answer: what it is, the number large, how it was worked out small. */
export function Result(props: { label: string; value: string; how: string; testId: string }) {
  const styles = useStyles2(getStyles);
  return (
    <div className={styles.result} data-testid={props.testId}>
      <Text color="secondary">{props.label}</Text>
      <div className={styles.value}>{props.value}</div>
      <Text color="secondary" variant="bodySmall">
        {props.how}
      </Text>
    </div>
  );
}

/** The answers of a section in equal columns, as many as fit; a field in error leaves a line saying why none show. */
export function Results<T>({ outcome, children }: { outcome: Outcome<T>; children: (value: T) => React.ReactElement }) {
  if (!outcome.ok) {
    return outcome.field === undefined ? null : (
      <Text color="secondary">{t('plan.correct-field', 'Correct the marked field to see the answer.')}</Text>
    );
  }
  return (
    <Grid gap={2} minColumnWidth={34}>
      {children(outcome.value)}
    </Grid>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  result: css({
    padding: theme.spacing(1.5, 2),
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    background: theme.colors.background.secondary,
  }),
  value: css({
    fontSize: theme.typography.h3.fontSize,
    fontWeight: theme.typography.fontWeightMedium,
    color: theme.colors.text.primary,
  }),
});
