/** The names of frames/forecast/capacityFrames.ts (shared with the backend), which the Forecast panel and page read. */
export {
  CAPACITY_FIELD,
  CAPACITY_FRAMES,
  GPU_UNIT,
  type ExhaustionFrameMeta,
  type GpuPlanFrameMeta,
} from '../../frames/forecast/capacityFrames';
