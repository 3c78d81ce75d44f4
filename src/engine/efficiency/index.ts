export { EfficiencyInputError } from './errors';
export { dcgmMfuEstimate, mfuHistogram, modelFlopsUtilisation } from './mfu';
export type { DcgmMfuEstimate, MfuInput, MfuResult } from './mfu';
export { analyseWaste, DEFAULT_WASTE_RULES, monthBounds } from './waste';
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
export { monthlyBurn } from './burn';
export type { BurnInput, BurnSeries } from './burn';
export { MAX_SM_CLOCK_MHZ } from './maxSmClock';
export { describeCitation, priceCatalogOf, PUBLISHED_GPU_PRICES } from './priceCatalog';
export type { PriceCitation, PublishedGpuPrice } from './priceCatalog';
