/**
 * The capacity plan's GPU curve as the objects of one export format, each with the comment printed above it: the
 * one mapping both `headroom plan export` and the Forecast page's "Copy manifests" use, so the two cannot drift.
 */
import type { Cap } from './cap';
import {
  clusterAutoscalerConfigMap,
  clusterAutoscalerPlan,
  type NodeGroup,
  type NodeGroupSize,
} from './clusterAutoscaler';
import { hpaManifests } from './hpa';
import { karpenterNodePool, type NodeClassRef } from './karpenter';
import { kedaScaledObject } from './keda';
import { nodeGpuBounds, type NodeGpuBounds } from './nodeGpus';
import { replicaPlan, type ReplicaPlan } from './replicaPlan';
import { DEFAULT_SAFETY_FACTOR } from './safetyFactor';
import type { Repeat } from './repeatingSchedule';
import type { LiveSignal, Workload } from './workload';

export const PLAN_FORMATS = ['keda', 'hpa', 'karpenter', 'cluster-autoscaler'] as const;
export type PlanFormat = (typeof PLAN_FORMATS)[number];

export const DEFAULT_EXTERNAL_METRIC = 'headroom_live_demand';
/** The Kubernetes project's kubectl image; its entrypoint is kubectl. */
export const DEFAULT_KUBECTL_IMAGE = 'registry.k8s.io/kubectl:v1.32.0';
export const DEFAULT_NODE_POOL = 'gpu';
export const DEFAULT_NODE_CLASS: NodeClassRef = { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' };
export const DEFAULT_TIME_ZONE = 'Etc/UTC';
/** The settings `headroom plan export` defaults to, which the Forecast page does not ask for. */
export const PLAN_DEFAULTS = {
  hpaMetric: DEFAULT_EXTERNAL_METRIC,
  kubectlImage: DEFAULT_KUBECTL_IMAGE,
  nodePool: DEFAULT_NODE_POOL,
  nodeClass: DEFAULT_NODE_CLASS,
  timeZone: DEFAULT_TIME_ZONE,
  safetyFactor: DEFAULT_SAFETY_FACTOR,
};
const CLUSTER_AUTOSCALER_CONFIG_MAP = 'headroom-gpu-node-groups';
const WEEK_HOURS = 168;

/** An emitted object and the comment printed above it. */
export interface Emitted {
  object: unknown;
  comment?: string;
}

/** The part of the engine's GPU plan (engine/capacity/plan.ts) the objects act on. */
export interface PlannedGpus {
  timestampsSeconds: number[];
  gpusNeeded: number[];
  coldStartLeadSeconds: number;
  /** Demand one fully busy GPU serves, and the share of it the plan uses: the live signal per replica. */
  throughputPerGpu: number;
  targetUtilisation: number;
}

export interface PlanManifestsInput {
  format: PlanFormat;
  gpus: PlannedGpus;
  /** Required for keda and hpa. */
  workload?: Workload;
  gpusPerReplica: number;
  /** The live signal's PromQL. */
  liveQuery: string;
  serverAddress: string;
  hpaMetric: string;
  kubectlImage: string;
  repeat?: Repeat;
  timeZone: string;
  safetyFactor: number;
  maxGpus?: number;
  nodePool: string;
  nodeClass: NodeClassRef;
  /** Required (non-empty) for cluster-autoscaler. */
  nodeGroups: NodeGroup[];
  /** What the plan is (the plan annotation), and the first line of the comment. */
  description: string;
  header: string;
}

/** What was capped, for the caller to say (a warning on stderr, a line on the page). */
export interface PlanManifests {
  emitted: Emitted[];
  warnings: string[];
  /** The workload's replicas (keda, hpa): what the page compares with what is deployed. */
  replicas?: ReplicaPlan;
  /** The NodePool's GPU bounds (karpenter), and the node groups' sizes (cluster-autoscaler), for the same diff. */
  nodeGpus?: NodeGpuBounds;
  nodeGroups?: NodeGroupSize[];
}

export function planManifests(input: PlanManifestsInput): PlanManifests {
  const { gpus, description, header } = input;
  const warnings: string[] = [];
  const capped = (cap: Cap | undefined, source: string): string | undefined => {
    if (!cap) {
      return undefined;
    }
    warnings.push(`${cap.message} (${source}) The objects hold the capped plan.`);
    return `CAPPED: ${cap.message} (${source})`;
  };
  const maxSource = `--max-gpus ${input.maxGpus}`;
  const withHeader = (objects: unknown[], cap?: string): Emitted[] =>
    objects.map((object, i) => ({ object, comment: i === 0 ? [header, cap].filter(Boolean).join('\n') : cap }));
  switch (input.format) {
    case 'keda':
    case 'hpa': {
      const plan = replicaPlan({
        timestampsSeconds: gpus.timestampsSeconds,
        gpusNeeded: gpus.gpusNeeded,
        coldStartLeadSeconds: gpus.coldStartLeadSeconds,
        gpusPerReplica: input.gpusPerReplica,
        repeat: input.repeat ?? (gpus.timestampsSeconds.length >= WEEK_HOURS ? 'weekly' : 'daily'),
        timeZone: input.timeZone,
        safetyFactor: input.safetyFactor,
        maxGpus: input.maxGpus,
      });
      const live: LiveSignal = {
        query: input.liveQuery,
        perReplica: gpus.throughputPerGpu * gpus.targetUtilisation * input.gpusPerReplica,
      };
      const workload = { workload: input.workload!, plan, live, description };
      const objects =
        input.format === 'keda'
          ? [kedaScaledObject({ ...workload, serverAddress: input.serverAddress })]
          : hpaManifests({ ...workload, externalMetricName: input.hpaMetric, kubectlImage: input.kubectlImage });
      return { emitted: withHeader(objects, capped(plan.cap, maxSource)), warnings, replicas: plan };
    }
    case 'karpenter': {
      const bounds = nodeGpuBounds(gpus.gpusNeeded, input.safetyFactor, input.maxGpus);
      const object = karpenterNodePool({ name: input.nodePool, bounds, nodeClassRef: input.nodeClass, description });
      return { emitted: withHeader([object], capped(bounds.cap, maxSource)), warnings, nodeGpus: bounds };
    }
    case 'cluster-autoscaler': {
      const plan = clusterAutoscalerPlan(gpus.gpusNeeded, input.nodeGroups, input.safetyFactor, input.maxGpus);
      const cap = capped(
        plan.cap,
        input.maxGpus === undefined ? "the node groups' maximum" : `${maxSource} and the node groups' maximum`
      );
      const flags = [
        "Put these flags in the cluster autoscaler's command (kubernetes/autoscaler, cluster-autoscaler/cloudprovider/aws/README.md, manual configuration):",
        ...plan.groups.map((g) => `  ${g.flag}`),
      ].join('\n');
      const object = clusterAutoscalerConfigMap(plan, CLUSTER_AUTOSCALER_CONFIG_MAP, description);
      const emitted = [{ object, comment: [header, flags, cap].filter(Boolean).join('\n') }];
      return { emitted, warnings, nodeGroups: plan.groups };
    }
  }
}
