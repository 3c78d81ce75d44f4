/**
 * "Copy manifests" against what is deployed: the Headroom `serving` answers the page asks for (the inference
 * services found, and what one Deployment, NodePool and node group run now) read back from their frames, and the
 * diff of the manifests shown against them (engine/scaling/deployedDiff.ts, the same rows as `plan export --diff`).
 */
import type { DataFrame } from '@grafana/data';
import { deployedDiff, PLAN_DEFAULTS, type DeployedValues, type DiffRow } from '../../engine/scaling';
import {
  SERVING_FRAMES,
  type DeployedFrameMeta,
  type DeployedFrameTarget,
  type ServingQuery,
} from '../../datasource/servingFrames';
import type { HeadroomQuery } from '../../datasource/types';
import type { ManifestSettings, ManifestsResult } from './forecastManifests';

export interface FoundService {
  namespace: string;
  deployment: string;
  models: string;
}

export const SERVICES_REF = 'services';
export const DEPLOYED_REF = 'deployed';

/** What the manifests of these settings are diffed against: the Deployment (KEDA, HPA), NodePool or node group. */
function deployedTarget(settings: ManifestSettings): DeployedFrameTarget {
  const workload = settings.format === 'keda' || settings.format === 'hpa';
  return {
    namespace: workload ? settings.namespace.trim() || undefined : undefined,
    deployment: workload ? settings.deployment.trim() || undefined : undefined,
    nodePool: settings.format === 'karpenter' ? PLAN_DEFAULTS.nodePool : undefined,
    nodeGroup: settings.format === 'cluster-autoscaler' ? settings.nodeGroup.trim() || undefined : undefined,
  };
}

/** The page's serving queries: the services always, what is deployed once a Deployment is named. */
export function servingQueries(settings: ManifestSettings): HeadroomQuery[] {
  const services: HeadroomQuery = { refId: SERVICES_REF, queryType: 'serving', servingView: 'services' };
  const target = deployedTarget(settings);
  const workload = settings.format === 'keda' || settings.format === 'hpa';
  if (workload && (!target.namespace || !target.deployment)) {
    return [services];
  }
  const deployed: ServingQuery = {
    refId: DEPLOYED_REF,
    servingView: 'deployed',
    deployment: workload ? `${target.namespace}/${target.deployment}` : undefined,
    nodePool: target.nodePool,
    nodeGroup: target.nodeGroup,
  };
  return [services, { ...deployed, queryType: 'serving' }];
}

export function foundServices(frames: readonly DataFrame[]): FoundService[] | undefined {
  const frame = frames.find((f) => f.name === SERVING_FRAMES.services);
  if (!frame) {
    return undefined;
  }
  const column = (name: string): string[] => frame.fields.find((f) => f.name === name)?.values ?? [];
  const deployments = column('Deployment');
  const namespaces = column('Namespace');
  const models = column('Models');
  return deployments.map((deployment, i) => ({ namespace: namespaces[i], deployment, models: models[i] }));
}

/**
 * The values of the `deployed` answer for exactly the target of these settings, or undefined while none has come: while
 * the query for a new Deployment loads, the frames still hold the previous one's values.
 */
export function deployedValues(frames: readonly DataFrame[], settings: ManifestSettings): DeployedValues | undefined {
  const frame = frames.find((f) => f.name === SERVING_FRAMES.deployed);
  const meta = frame?.meta?.custom as DeployedFrameMeta | undefined;
  if (meta?.headroom !== 'deployed' || !meta.target) {
    return undefined;
  }
  const wanted = deployedTarget(settings);
  const keys = ['namespace', 'deployment', 'nodePool', 'nodeGroup'] as const;
  return keys.every((key) => meta.target[key] === wanted[key]) ? meta.values : undefined;
}

/** The diff of the manifests shown against the values now; none without manifests or values. */
export function diffRows(
  result: ManifestsResult | undefined,
  settings: ManifestSettings,
  values: DeployedValues | undefined
): DiffRow[] {
  if (!result || 'error' in result || !values) {
    return [];
  }
  const workload = {
    name: settings.deployment.trim(),
    namespace: settings.namespace.trim(),
    kind: 'Deployment' as const,
  };
  return deployedDiff(settings.format, result.manifests, { workload, nodePool: PLAN_DEFAULTS.nodePool }, values);
}
