/**
 * The Forecast page's "Copy manifests": the capacity answer the page shows (the GPUs needed frame and its plan
 * metadata) through the same engine mapping as `headroom plan export` (engine/scaling/planManifests.ts), as YAML.
 */
import { t } from '@grafana/i18n';
import type { DataFrame } from '@grafana/data';
import { CapacityInputError } from '../../engine/capacity';
import {
  manifestsYaml,
  PLAN_DEFAULTS,
  planDescription,
  planManifests,
  type PlanFormat,
  type PlanManifests,
  type ReplicaPlan,
} from '../../engine/scaling';
import { CAPACITY_FRAMES, type GpuPlanFrameMeta } from '../../datasource/forecast/capacityFrames';
import { FORECAST_FRAMES, type ForecastFrameMeta } from '../../datasource/forecast/forecastFrames';

/** What a person sets on the page; the rest are `headroom plan export`'s defaults. */
export interface ManifestSettings {
  format: PlanFormat;
  namespace: string;
  deployment: string;
  gpusPerReplica: number;
  /** Prometheus as KEDA reaches it from inside the cluster. */
  serverAddress: string;
  /** The one GPU node group of cluster-autoscaler. */
  nodeGroup: string;
  gpusPerNode: number;
}

/** prometheus-operator's governing Service (`prometheus-operated`) in kube-prometheus' `monitoring` namespace. */
export const DEFAULT_SERVER_ADDRESS = 'http://prometheus-operated.monitoring.svc:9090';

export type ManifestsResult =
  { yaml: string; warnings: string[]; replicas?: ReplicaPlan; manifests: PlanManifests } | { error: string };

export function forecastManifests(frames: DataFrame[], settings: ManifestSettings): ManifestsResult {
  const needed = frames.find((frame) => frame.name === CAPACITY_FRAMES.gpusNeeded);
  const meta = needed?.meta?.custom as GpuPlanFrameMeta | undefined;
  if (!needed || meta?.headroom !== 'gpu-plan') {
    return {
      error: t(
        'forecast.manifests.error.no-plan',
        'No GPUs are planned for this target, so there is nothing to scale (see the GPUs needed panel).'
      ),
    };
  }
  const forecast = frames.find((frame) => frame.name === FORECAST_FRAMES.forecast);
  const model = (forecast?.meta?.custom as ForecastFrameMeta | undefined)?.model ?? 'unknown';
  const timestampsSeconds = needed.fields[0].values.map((ms: number) => ms / 1000);
  const gpusNeeded = needed.fields[1].values as number[];
  const description = planDescription({
    level: meta.level,
    model,
    label: meta.label,
    startSeconds: timestampsSeconds[0],
    hours: timestampsSeconds.length,
    targetUtilisation: meta.targetUtilisation,
    coldStartLeadSeconds: meta.coldStartLeadSeconds,
    safetyFactor: PLAN_DEFAULTS.safetyFactor,
  });
  const workloadFormat = settings.format === 'keda' || settings.format === 'hpa';
  if (workloadFormat && (!settings.deployment.trim() || !settings.namespace.trim())) {
    return {
      error: t(
        'forecast.manifests.error.workload',
        'The {{format}} objects scale a workload: give its namespace and deployment name.',
        { format: settings.format }
      ),
    };
  }
  try {
    const manifests = planManifests({
      format: settings.format,
      gpus: { ...meta, timestampsSeconds, gpusNeeded },
      workload: { name: settings.deployment.trim(), namespace: settings.namespace.trim(), kind: 'Deployment' },
      gpusPerReplica: settings.gpusPerReplica,
      liveQuery: meta.expr,
      serverAddress: settings.serverAddress,
      ...PLAN_DEFAULTS,
      nodeGroups: [{ name: settings.nodeGroup.trim(), gpusPerNode: settings.gpusPerNode }],
      description,
      header: `headroom plan export --format ${settings.format}: ${description}`,
    });
    const { emitted, warnings, replicas } = manifests;
    return { yaml: manifestsYaml(emitted), warnings, replicas, manifests };
  } catch (error) {
    if (error instanceof CapacityInputError) {
      return { error: error.message };
    }
    throw error;
  }
}
