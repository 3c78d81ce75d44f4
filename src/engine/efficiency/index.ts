export { EfficiencyInputError } from './errors';
export { dcgmMfuEstimate, modelFlopsUtilisation } from './mfu';
export type { DcgmMfuEstimate, MfuInput, MfuResult } from './mfu';
export { analyseWaste, DEFAULT_WASTE_RULES } from './waste';
export type {
  BudgetProjection,
  PodUtilisation,
  PodWaste,
  PriceCatalog,
  PricingTier,
  WasteGroup,
  WasteOptions,
  WasteReport,
  WasteRules,
} from './waste';
export { medianGapSeconds, sampleWeightsSeconds } from './timeWeights';
