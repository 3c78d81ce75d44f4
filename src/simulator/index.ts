export type {
  FleetSpec,
  NodePoolSpec,
  TrainingClassSpec,
  InferenceDeploymentSpec,
  EphemeralClassSpec,
  GangShape,
  GpuRequest,
} from './fleetSpec';
export { validateFleetSpec, FleetSpecError } from './fleetSpec';
export { defaultFleetSpec } from './defaultFleet';
export type { HistoryEstimate, HistoryOptions, HistoryPlan, HistorySummary } from './history';
export { planOpenMetricsHistory, writeOpenMetricsHistory, HistoryOptionsError } from './history';
export type { FleetSummary, FleetStateSummary, NodeSummary } from './summary';
export type { LiveServerOptions } from './liveServer';
export { startLiveMetricsServer } from './liveServer';
export { GPU_MODELS } from './gpuCatalog';
