import React, { useEffect, useMemo, useState } from 'react';
import { t } from '@grafana/i18n';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import {
  SceneObjectBase,
  SceneQueryRunner,
  sceneGraph,
  type SceneComponentProps,
  type SceneObjectState,
} from '@grafana/scenes';
import { Alert, ClipboardButton, Field, Input, RadioButtonGroup, Stack, useStyles2 } from '@grafana/ui';
import { diffChange, PLAN_FORMATS, type PlanFormat } from '../../engine/scaling';
import { FORECAST_DATASOURCE } from './forecastQueries';
import { deployedValues, diffRows, foundServices, servingQueries, type FoundService } from './deployedDiffRows';
import { MANIFESTS_TEST_IDS } from './manifestsTestIds';
import { DEFAULT_SERVER_ADDRESS, forecastManifests, type ManifestSettings } from './forecastManifests';
import { sectionStyles } from '../shared/sectionStyles';

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

interface ManifestsState extends SceneObjectState {
  /** Its own queries (what is deployed); the capacity answer is the page's, one level up. */
  $data: SceneQueryRunner;
}

/**
 * "Copy manifests": the page's capacity answer as the YAML of `headroom plan export`, ready to copy, and what it
 * would change against what the cluster runs now (Headroom's `serving` query: kube-state-metrics, Karpenter,
 * cluster-autoscaler).
 */
export class ForecastManifests extends SceneObjectBase<ManifestsState> {
  static Component = ForecastManifestsRenderer;

  constructor() {
    super({ $data: new SceneQueryRunner({ datasource: FORECAST_DATASOURCE, queries: servingQueries(INITIAL) }) });
  }

  /** Asks again for what is deployed when the workload or the node bounds to compare change. */
  askFor(settings: ManifestSettings) {
    const queries = servingQueries(settings);
    if (JSON.stringify(queries) !== JSON.stringify(this.state.$data.state.queries)) {
      this.state.$data.setState({ queries });
      this.state.$data.runQueries();
    }
  }
}

function ForecastManifestsRenderer({ model }: SceneComponentProps<ForecastManifests>) {
  const { data } = sceneGraph.getData(model.parent ?? model).useState();
  const { data: serving } = model.state.$data.useState();
  const [chosen, setSettings] = useState(INITIAL);
  const styles = useStyles2(getStyles);
  const services = foundServices(serving?.series ?? []);
  // The one service found stands in for an empty deployment: shown in the fields, and the person may change it.
  const only = services?.length === 1 ? services[0] : undefined;
  const settings = useMemo(
    () => (chosen.deployment || !only ? chosen : { ...chosen, namespace: only.namespace, deployment: only.deployment }),
    [chosen, only?.namespace, only?.deployment] // eslint-disable-line react-hooks/exhaustive-deps
  );
  const series = data?.series;
  const result = useMemo(() => (series ? forecastManifests(series, settings) : undefined), [series, settings]);
  const set = (part: Partial<ManifestSettings>) => setSettings({ ...settings, ...part });
  const workload = settings.format === 'keda' || settings.format === 'hpa';
  useEffect(() => model.askFor(settings), [model, settings]);
  const rows = diffRows(result, settings, deployedValues(serving?.series ?? [], settings));

  return (
    <section
      className={styles.panel}
      data-testid={MANIFESTS_TEST_IDS.panel}
      aria-label={t('forecast.manifests.title', 'Copy manifests')}
    >
      <h2 className={styles.title}>{t('forecast.manifests.title', 'Copy manifests')}</h2>
      <Stack direction="row" gap={2} wrap="wrap" alignItems="flex-end">
        <Field label={t('forecast.manifests.format', 'Format')}>
          <RadioButtonGroup options={FORMAT_OPTIONS} value={settings.format} onChange={(format) => set({ format })} />
        </Field>
        {workload && services && services.length > 1 && (
          <Field
            label={t('forecast.manifests.services.label', 'Inference services found')}
            description={t('forecast.manifests.services.description', 'vLLM models joined to their Deployments')}
          >
            <RadioButtonGroup
              options={services.map((s: FoundService) => ({
                label: `${s.namespace}/${s.deployment}`,
                description: s.models,
                value: `${s.namespace}/${s.deployment}`,
              }))}
              value={`${settings.namespace}/${settings.deployment}`}
              onChange={(chosen) => {
                const [namespace, deployment] = chosen.split('/');
                set({ namespace, deployment });
              }}
            />
          </Field>
        )}
        {workload && (
          <>
            <TextField
              label={t('forecast.manifests.namespace', 'Namespace')}
              width={20}
              value={settings.namespace}
              onChange={(namespace) => set({ namespace })}
            />
            <TextField
              label={t('forecast.manifests.deployment', 'Deployment')}
              width={24}
              // A Deployment's name, the same in every language.
              // eslint-disable-next-line @grafana/i18n/no-untranslated-strings
              placeholder="vllm-llama"
              value={settings.deployment}
              onChange={(deployment) => set({ deployment })}
            />
            <CountField
              label={t('forecast.manifests.gpus-per-replica', 'GPUs per replica')}
              value={settings.gpusPerReplica}
              onChange={(gpusPerReplica) => set({ gpusPerReplica })}
            />
          </>
        )}
        {settings.format === 'keda' && (
          <TextField
            label={t('forecast.manifests.prometheus.label', 'Prometheus address')}
            description={t('forecast.manifests.prometheus.description', 'as KEDA reaches it in the cluster')}
            width={40}
            value={settings.serverAddress}
            onChange={(serverAddress) => set({ serverAddress })}
          />
        )}
        {settings.format === 'cluster-autoscaler' && (
          <>
            <TextField
              label={t('forecast.manifests.node-group', 'Node group')}
              width={20}
              value={settings.nodeGroup}
              onChange={(nodeGroup) => set({ nodeGroup })}
            />
            <CountField
              label={t('forecast.manifests.gpus-per-node', 'GPUs per node')}
              value={settings.gpusPerNode}
              onChange={(gpusPerNode) => set({ gpusPerNode })}
            />
          </>
        )}
      </Stack>
      {result && 'error' in result && (
        <Alert severity="info" title={t('forecast.manifests.none', 'No manifests yet')}>
          {result.error}
        </Alert>
      )}
      {result && 'yaml' in result && (
        <>
          {result.warnings.map((warning) => (
            <Alert key={warning} severity="warning" title={t('forecast.manifests.capped', 'Capped')}>
              {warning}
            </Alert>
          ))}
          {rows.length > 0 && (
            <table
              className={styles.diff}
              data-testid={MANIFESTS_TEST_IDS.diff}
              aria-label={t('forecast.manifests.diff.label', 'Against what is deployed')}
            >
              <caption>
                {t('forecast.manifests.diff.caption', 'Against what is deployed (now → these manifests)')}
              </caption>
              <tbody>
                {rows.map((row) => (
                  <tr key={`${row.object} ${row.field}`}>
                    <td>{row.object}</td>
                    <td>{row.field}</td>
                    <td className={row.current === row.proposed ? undefined : styles.changed}>{diffChange(row)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <ClipboardButton icon="copy" variant="primary" getText={() => result.yaml}>
            {t('forecast.manifests.copy', 'Copy manifests')}
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
    panel: sectionStyles(theme).section,
    title: css({ fontSize: theme.typography.h5.fontSize, marginBottom: theme.spacing(2) }),
    diff: css({
      margin: theme.spacing(1, 0, 2),
      fontFamily: theme.typography.fontFamilyMonospace,
      fontSize: theme.typography.bodySmall.fontSize,
      caption: {
        captionSide: 'top',
        textAlign: 'left',
        color: theme.colors.text.secondary,
        marginBottom: theme.spacing(0.5),
      },
      td: { padding: theme.spacing(0.25, 2, 0.25, 0), color: theme.colors.text.primary },
    }),
    changed: css({ fontWeight: theme.typography.fontWeightMedium, color: `${theme.colors.warning.text} !important` }),
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
