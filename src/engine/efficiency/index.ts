export { EfficiencyInputError } from './errors';
export { dcgmMfuEstimate, mfuHistogram, modelFlopsUtilisation } from './mfu';
export type { DcgmMfuEstimate, MfuInput, MfuResult } from './mfu';
export { analyseWaste, DEFAULT_WASTE_RULES } from './waste';
export { checkTimeZone, DEFAULT_BUDGET_TIME_ZONE, monthBounds, monthStartText } from './calendarMonth';
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
export { monthlyBurn, monthToDateBurn } from './burn';
export type { BurnInput, BurnSeries, HeldGpusByModel, MonthToDateBurn, MonthToDateInput } from './burn';
export { MAX_SM_CLOCK_MHZ } from './maxSmClock';
export { describeCitation, priceCatalogOf, PRICE_NOTES, PUBLISHED_GPU_PRICES } from './priceCatalog';
export type { PriceCitation, PriceNote, PublishedGpuPrice } from './priceCatalog';
