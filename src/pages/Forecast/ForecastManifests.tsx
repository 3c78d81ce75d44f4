import React, { useMemo, useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { SceneObjectBase, sceneGraph, type SceneComponentProps, type SceneObjectState } from '@grafana/scenes';
import { Alert, ClipboardButton, Field, Input, RadioButtonGroup, Stack, useStyles2 } from '@grafana/ui';
import { PLAN_FORMATS, type PlanFormat } from '../../engine/scaling';
import { MANIFESTS_TEST_IDS } from './manifestsTestIds';
import { DEFAULT_SERVER_ADDRESS, forecastManifests, type ManifestSettings } from './forecastManifests';

const FORMAT_OPTIONS = PLAN_FORMATS.map((format: PlanFormat) => ({ label: format, value: format }));

const INITIAL: ManifestSettings = {
  format: 'keda',
  namespace: 'default',
  deployment: '',
  gpusPerReplica: 1,
  serverAddress: DEFAULT_SERVER_ADDRESS,
  nodeGroup: 'gpu',
  gpusPerNode: 8,
};

/** "Copy manifests": the page's capacity answer as the YAML of `headroom plan export`, ready to copy. */
export class ForecastManifests extends SceneObjectBase<SceneObjectState> {
  static Component = ForecastManifestsRenderer;
}

function ForecastManifestsRenderer({ model }: SceneComponentProps<ForecastManifests>) {
  const { data } = sceneGraph.getData(model).useState();
  const [settings, setSettings] = useState(INITIAL);
  const styles = useStyles2(getStyles);
  const series = data?.series;
  const result = useMemo(() => (series ? forecastManifests(series, settings) : undefined), [series, settings]);
  const set = (part: Partial<ManifestSettings>) => setSettings((s) => ({ ...s, ...part }));
  const workload = settings.format === 'keda' || settings.format === 'hpa';

  return (
    <section className={styles.panel} data-testid={MANIFESTS_TEST_IDS.panel} aria-label="Copy manifests">
      <h2 className={styles.title}>Copy manifests</h2>
      <Stack direction="row" gap={2} wrap="wrap" alignItems="flex-end">
        <Field label="Format">
          <RadioButtonGroup options={FORMAT_OPTIONS} value={settings.format} onChange={(format) => set({ format })} />
        </Field>
        {workload && (
          <>
            <TextField
              label="Namespace"
              width={20}
              value={settings.namespace}
              onChange={(namespace) => set({ namespace })}
            />
            <TextField
              label="Deployment"
              width={24}
              placeholder="vllm-llama"
              value={settings.deployment}
              onChange={(deployment) => set({ deployment })}
            />
            <CountField
              label="GPUs per replica"
              value={settings.gpusPerReplica}
              onChange={(gpusPerReplica) => set({ gpusPerReplica })}
            />
          </>
        )}
        {settings.format === 'keda' && (
          <TextField
            label="Prometheus address"
            description="as KEDA reaches it in the cluster"
            width={40}
            value={settings.serverAddress}
            onChange={(serverAddress) => set({ serverAddress })}
          />
        )}
        {settings.format === 'cluster-autoscaler' && (
          <>
            <TextField
              label="Node group"
              width={20}
              value={settings.nodeGroup}
              onChange={(nodeGroup) => set({ nodeGroup })}
            />
            <CountField
              label="GPUs per node"
              value={settings.gpusPerNode}
              onChange={(gpusPerNode) => set({ gpusPerNode })}
            />
          </>
        )}
      </Stack>
      {result && 'error' in result && (
        <Alert severity="info" title="No manifests yet">
          {result.error}
        </Alert>
      )}
      {result && 'yaml' in result && (
        <>
          {result.warnings.map((warning) => (
            <Alert key={warning} severity="warning" title="Capped">
              {warning}
            </Alert>
          ))}
          <ClipboardButton icon="copy" variant="primary" getText={() => result.yaml}>
            Copy manifests
          </ClipboardButton>
          <pre className={styles.yaml} data-testid={MANIFESTS_TEST_IDS.yaml}>
            {result.yaml}
          </pre>
        </>
      )}
    </section>
  );
}

function TextField(props: {
  label: string;
  description?: string;
  width: number;
  placeholder?: string;
  value: string;
  onChange: (value: string) => void;
}) {
  return (
    <Field label={props.label} description={props.description}>
      <Input
        width={props.width}
        placeholder={props.placeholder}
        value={props.value}
        onChange={(e) => props.onChange(e.currentTarget.value)}
      />
    </Field>
  );
}

function CountField(props: { label: string; value: number; onChange: (value: number) => void }) {
  return (
    <Field label={props.label}>
      <Input
        width={10}
        type="number"
        min={1}
        value={props.value}
        onChange={(e) => props.onChange(Number(e.currentTarget.value))}
      />
    </Field>
  );
}

function getStyles(theme: GrafanaTheme2) {
  return {
    panel: css({
      width: '100%',
      padding: theme.spacing(2),
      background: theme.colors.background.primary,
      border: `1px solid ${theme.colors.border.weak}`,
      borderRadius: theme.shape.radius.default,
    }),
    title: css({ fontSize: theme.typography.h5.fontSize, marginBottom: theme.spacing(2) }),
    yaml: css({
      marginTop: theme.spacing(2),
      maxHeight: 480,
      overflow: 'auto',
      fontFamily: theme.typography.fontFamilyMonospace,
      fontSize: theme.typography.bodySmall.fontSize,
      background: theme.colors.background.secondary,
      color: theme.colors.text.primary,
    }),
  };
}
