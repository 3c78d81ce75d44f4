import React, { useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Button, Combobox, Field, Input, RadioButtonGroup, Slider, Stack, useStyles2 } from '@grafana/ui';
import type { BandDirection } from '../../engine/thresholds';
import { ALERT_PRESETS, alertPreset } from './alertPresets';
import { SENSITIVITY_LIMITS, type AlertsWatchState } from './alertsWatch';

type WatchChange = Partial<Omit<AlertsWatchState, 'key'>>;

interface Props {
  watch: AlertsWatchState;
  /** Nodes or namespaces a scoped preset offers; undefined while they load. */
  scopeOptions?: string[];
  onChange: (change: WatchChange) => void;
}

const SIDES: Array<{ label: string; value: BandDirection; description: string }> = [
  { label: 'Both', value: 'both', description: 'Alert above the upper and below the lower edge' },
  { label: 'Above', value: 'upper', description: 'Alert only above the upper edge' },
  { label: 'Below', value: 'lower', description: 'Alert only below the lower edge' },
];
const FOR_MINUTES = [0, 5, 10, 15, 30, 60];

/** What to watch and how sensitive the rule is; every change replays the backtest. */
export function WatchControls({ watch, scopeOptions, onChange }: Props) {
  const styles = useStyles2(getStyles);
  const preset = alertPreset(watch.preset);
  // The PromQL is committed on Enter or "Apply", not on every key, so Prometheus is asked once per expression.
  const [draft, setDraft] = useState(watch.promql);
  const [draftFor, setDraftFor] = useState(watch.promql);
  if (draftFor !== watch.promql) {
    setDraftFor(watch.promql);
    setDraft(watch.promql);
  }
  return (
    <div className={styles.controls} data-testid="headroom-alerts-controls">
      <Stack direction="row" wrap="wrap" gap={2} alignItems="flex-start">
        <Field label="Watch" description={preset.description} className={styles.field}>
          <Combobox
            id="headroom-alerts-preset"
            aria-label="Watch"
            width={34}
            options={ALERT_PRESETS.map((p) => ({ label: p.label, value: p.id }))}
            value={watch.preset}
            onChange={(option) => onChange({ preset: option.value, scope: '' })}
          />
        </Field>
        {preset.scope && (
          <Field label={preset.scope === 'node' ? 'Node' : 'Namespace'} className={styles.field}>
            <Combobox
              aria-label={preset.scope === 'node' ? 'Node' : 'Namespace'}
              width={30}
              loading={scopeOptions === undefined}
              placeholder={`Choose a ${preset.scope}`}
              options={(scopeOptions ?? []).map((value) => ({ label: value, value }))}
              value={watch.scope || null}
              onChange={(option) => onChange({ scope: option.value })}
            />
          </Field>
        )}
        <Field label="Sides" className={styles.field}>
          <RadioButtonGroup options={SIDES} value={watch.direction} onChange={(direction) => onChange({ direction })} />
        </Field>
        <Field
          label="Band width (robust σ)"
          description="Half-width in 1.4826 × MAD; wider alerts less often"
          className={styles.slider}
        >
          <Slider
            inputId="headroom-alerts-width"
            min={SENSITIVITY_LIMITS.widthMads.min}
            max={SENSITIVITY_LIMITS.widthMads.max}
            step={0.5}
            value={watch.widthMads}
            onChange={(widthMads) => onChange({ widthMads })}
          />
        </Field>
        <Field
          label="Minimum margin (% of range)"
          description="Keeps a flat series from alerting on noise"
          className={styles.slider}
        >
          <Slider
            inputId="headroom-alerts-margin"
            min={SENSITIVITY_LIMITS.minMarginPercent.min}
            max={SENSITIVITY_LIMITS.minMarginPercent.max}
            step={1}
            value={watch.minMarginPercent}
            onChange={(minMarginPercent) => onChange({ minMarginPercent })}
          />
        </Field>
        <Field label="For" description="Outside the band this long before firing" className={styles.field}>
          <RadioButtonGroup
            options={FOR_MINUTES.map((m) => ({ label: m === 0 ? '0' : `${m} min`, value: m }))}
            value={watch.forMinutes}
            onChange={(forMinutes) => onChange({ forMinutes })}
          />
        </Field>
      </Stack>
      {watch.preset === 'promql' && (
        <Field label="PromQL" description="One series; Grafana evaluates the rule on the same data source">
          <Stack direction="row" gap={1}>
            <Input
              aria-label="PromQL"
              className={styles.promql}
              value={draft}
              placeholder='e.g. sum(vllm:num_requests_waiting{model_name="llama"})'
              onChange={(event) => setDraft(event.currentTarget.value)}
              onKeyDown={(event) => event.key === 'Enter' && onChange({ promql: draft })}
            />
            <Button variant="secondary" onClick={() => onChange({ promql: draft })}>
              Apply
            </Button>
          </Stack>
        </Field>
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  controls: css({ marginBottom: theme.spacing(2) }),
  field: css({ marginBottom: 0 }),
  slider: css({ marginBottom: 0, width: 300 }),
  promql: css({ fontFamily: theme.typography.fontFamilyMonospace, minWidth: 480 }),
});
