/** The names of frames/forecast/capacityFrames.ts (shared with the backend), which the Forecast panel and page read. */
export {
  CAPACITY_FIELD,
  CAPACITY_FRAMES,
  COST_MIX_TOTAL,
  GPU_UNIT,
  type ExhaustionFrameMeta,
  type GpuPlanFrameMeta,
} from '../../frames/forecast/capacityFrames';
