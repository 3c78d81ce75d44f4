export { CapacityInputError } from './errors';
export { normalCdf, normalQuantile } from './normal';
export { exhaustionRisk } from './exhaustion';
export type { ExhaustionRisk, ForecastBands } from './exhaustion';
export { gpusNeeded } from './gpusNeeded';
export type { GpusNeededOptions } from './gpusNeeded';
export { calibrateThroughput, calibrateThroughputAt, MIN_CALIBRATION_SAMPLES } from './calibrate';
export type { ThroughputCalibration, TimedValues } from './calibrate';
export { scaleOutSchedule } from './schedule';
export type { ScaleAction, ScaleStep } from './schedule';
export { reservedMix } from './reservedMix';
export type { GpuPrices, ReservedMix, ReservedMixOptions } from './reservedMix';
export { costMix, fleetFrom, NO_RESERVED_PRICE_TEXT } from './costMix';
export type {
  CostMix,
  CostMixInput,
  FleetGpuModels,
  FleetSource,
  GpuModelPrice,
  ModelCostMix,
  SpotInterruptionCost,
} from './costMix';
export { spotInterruptionRate } from './spotInterruptions';
export type { SpotChurnInput, SpotInterruptionRate, SpotNodePresence } from './spotInterruptions';
export { listPriceCitation, listPrices } from './listPrices';
export { demandKind, GPU_COUNT_UNIT, planCapacity } from './plan';
export type {
  CapacityInput,
  CapacityPlan,
  CapacityPlanInput,
  DemandKind,
  GpuPlan,
  PlanNote,
  ThroughputInput,
} from './plan';
export { unitCosts } from './unitCosts';
export type { UnitCosts, UnitCostsInput } from './unitCosts';
export { whatIf, WhatIfRefusedError, withEvents } from './whatIf';
export { launchEventText, parseLaunchEvents, WHAT_IF_FORMAT } from './whatIfText';
export type { LaunchEvent, PlanTotals, WhatIfNote, WhatIfRefusal, WhatIfResult } from './whatIf';
