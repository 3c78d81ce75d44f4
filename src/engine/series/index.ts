export {
  InsufficientHistoryError,
  insufficientHistory,
  insufficientHistoryReasonText,
  insufficientHistoryTextOf,
} from './errors';
export type { InsufficientHistoryReason, InsufficientHistoryText } from './errors';
export { regularise, bridgeShortGaps, MAX_GRID_STEPS } from './regularise';
export type { Aggregation, RawSeries, RegularSeries, RegulariseOptions } from './regularise';
export { counterToRate } from './counterRate';
export { fitReady } from './fitReady';
export type { FitReadySeries } from './fitReady';
export { detectLevelShift } from './levelShift';
export type { LevelShift, LevelShiftOptions } from './levelShift';
export { clampToValueRange } from './valueRange';
export type { ValueRange } from './valueRange';
