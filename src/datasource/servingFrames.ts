/** The names of frames/serving/runServingQuery.ts (shared with the backend), which the Forecast and Plan pages read. */
export {
  SERVING_FRAMES,
  type DeployedFrameMeta,
  type DeployedFrameTarget,
  type ServingQuery,
} from '../frames/serving/runServingQuery';
