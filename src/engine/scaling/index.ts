export type { Cap } from './cap';
export { clusterAutoscalerConfigMap, clusterAutoscalerPlan } from './clusterAutoscaler';
export type { ClusterAutoscalerPlan, NodeGroup, NodeGroupSize } from './clusterAutoscaler';
export { cronAt } from './cron';
export { checkTimeZone } from './localTime';
export { hpaManifests } from './hpa';
export type { HpaInput } from './hpa';
export { karpenterNodePool } from './karpenter';
export type { KarpenterInput, NodeClassRef } from './karpenter';
export { kedaScaledObject } from './keda';
export type { KedaInput } from './keda';
export { nodeGpuBounds } from './nodeGpus';
export type { NodeGpuBounds } from './nodeGpus';
export { CAPPED_ANNOTATION, MANAGED_BY_LABELS, PLAN_ANNOTATION } from './objectMeta';
export { prometheusRule } from './prometheusRule';
export type { RuleFile } from './prometheusRule';
export { replicaPlan } from './replicaPlan';
export type { ReplicaPlan, ReplicaPlanInput } from './replicaPlan';
export { PERIOD_SECONDS, repeatingSchedule } from './repeatingSchedule';
export type { Repeat, RepeatingSchedule, RepeatingStep } from './repeatingSchedule';
export { checkSafetyFactor, DEFAULT_SAFETY_FACTOR } from './safetyFactor';
export type { LiveSignal, Workload } from './workload';
export { manifestsYaml } from './manifestsYaml';
export { planDescription } from './planDescription';
export type { PlanDescriptionInput } from './planDescription';
export {
  DEFAULT_EXTERNAL_METRIC,
  DEFAULT_KUBECTL_IMAGE,
  DEFAULT_NODE_CLASS,
  DEFAULT_NODE_POOL,
  DEFAULT_TIME_ZONE,
  PLAN_DEFAULTS,
  PLAN_FORMATS,
  planManifests,
} from './planManifests';
export type { Emitted, PlanFormat, PlanManifests, PlanManifestsInput, PlannedGpus } from './planManifests';
export { deployedDiff, diffChange, diffText } from './deployedDiff';
export type { DeployedSource, DeployedValues, DiffRow, DiffTargets } from './deployedDiff';
