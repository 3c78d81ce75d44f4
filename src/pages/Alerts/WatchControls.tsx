import React, { useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { t } from '@grafana/i18n';
import { Button, Combobox, Field, Input, RadioButtonGroup, Slider, Stack, useStyles2 } from '@grafana/ui';
import type { BandDirection } from '../../engine/thresholds';
import { ALERT_PRESETS, alertPreset, presetText } from './alertPresets';
import { SENSITIVITY_LIMITS, type AlertsWatchState } from './alertsWatch';

type WatchChange = Partial<Omit<AlertsWatchState, 'key'>>;

interface Props {
  watch: AlertsWatchState;
  /** Nodes or namespaces a scoped preset offers; undefined while they load. */
  scopeOptions?: string[];
  onChange: (change: WatchChange) => void;
}

const sides = (): Array<{ label: string; value: BandDirection; description: string }> => [
  {
    label: t('alerts.sides.both', 'Both'),
    value: 'both',
    description: t('alerts.sides.both-description', 'Alert above the upper and below the lower edge'),
  },
  {
    label: t('alerts.sides.above', 'Above'),
    value: 'upper',
    description: t('alerts.sides.above-description', 'Alert only above the upper edge'),
  },
  {
    label: t('alerts.sides.below', 'Below'),
    value: 'lower',
    description: t('alerts.sides.below-description', 'Alert only below the lower edge'),
  },
];
const FOR_MINUTES = [0, 5, 10, 15, 30, 60];

/** What to watch and how sensitive the rule is; every change replays the backtest. */
export function WatchControls({ watch, scopeOptions, onChange }: Props) {
  const styles = useStyles2(getStyles);
  const preset = alertPreset(watch.preset);
  const text = presetText(preset.id);
  const scopeLabel =
    preset.scope === 'node' ? t('alerts.watch.node', 'Node') : t('alerts.watch.namespace', 'Namespace');
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
        <Field label={t('alerts.watch.label', 'Watch')} description={text.description} className={styles.field}>
          <Combobox
            id="headroom-alerts-preset"
            aria-label={t('alerts.watch.label', 'Watch')}
            width={34}
            options={ALERT_PRESETS.map((p) => ({ label: presetText(p.id).label, value: p.id }))}
            value={watch.preset}
            onChange={(option) => onChange({ preset: option.value, scope: '' })}
          />
        </Field>
        {preset.scope && (
          <Field label={scopeLabel} className={styles.field}>
            <Combobox
              aria-label={scopeLabel}
              width={30}
              loading={scopeOptions === undefined}
              placeholder={
                preset.scope === 'node'
                  ? t('alerts.watch.choose-node', 'Choose a node')
                  : t('alerts.watch.choose-namespace', 'Choose a namespace')
              }
              options={(scopeOptions ?? []).map((value) => ({ label: value, value }))}
              value={watch.scope || null}
              onChange={(option) => onChange({ scope: option.value })}
            />
          </Field>
        )}
        <Field label={t('alerts.watch.sides', 'Sides')} className={styles.field}>
          <RadioButtonGroup
            options={sides()}
            value={watch.direction}
            onChange={(direction) => onChange({ direction })}
          />
        </Field>
        <Field
          label={t('alerts.watch.width', 'Band width (robust σ)')}
          description={t('alerts.watch.width-description', 'Half-width in 1.4826 × MAD; wider alerts less often')}
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
          label={t('alerts.watch.margin', 'Minimum margin (% of range)')}
          description={t('alerts.watch.margin-description', 'Keeps a flat series from alerting on noise')}
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
        <Field
          label={t('alerts.watch.for', 'For')}
          description={t('alerts.watch.for-description', 'Outside the band this long before firing')}
          className={styles.field}
        >
          <RadioButtonGroup
            options={FOR_MINUTES.map((m) => ({
              label: m === 0 ? '0' : t('alerts.watch.for-minutes', '{{minutes}} min', { minutes: m }),
              value: m,
            }))}
            value={watch.forMinutes}
            onChange={(forMinutes) => onChange({ forMinutes })}
          />
        </Field>
      </Stack>
      {watch.preset === 'promql' && (
        <Field
          // The query language's name, the same in every language.
          // eslint-disable-next-line @grafana/i18n/no-untranslated-strings
          label="PromQL"
          description={t(
            'alerts.watch.promql-description',
            'One series; Grafana evaluates the rule on the same data source'
          )}
        >
          <Stack direction="row" gap={1}>
            <Input
              // eslint-disable-next-line @grafana/i18n/no-untranslated-strings
              aria-label="PromQL"
              className={styles.promql}
              value={draft}
              placeholder={t('alerts.watch.promql-placeholder', 'e.g. {{example}}', {
                example: 'sum(vllm:num_requests_waiting{model_name="llama"})',
                interpolation: { escapeValue: false },
              })}
              onChange={(event) => setDraft(event.currentTarget.value)}
              onKeyDown={(event) => event.key === 'Enter' && onChange({ promql: draft })}
            />
            <Button variant="secondary" onClick={() => onChange({ promql: draft })}>
              {t('alerts.watch.apply', 'Apply')}
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
