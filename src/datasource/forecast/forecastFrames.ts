/**
 * The forecast frames of `frames/forecast/forecastFrames.ts` (shared with the backend) as Grafana data frames, with
 * the frame and field names the Forecast panel and page read.
 */
import type { DataFrame } from '@grafana/data';

import * as plain from '../../frames/forecast/forecastFrames';
import { toDataFrame } from '../frameValues';

export {
  FORECAST_FIELDS,
  FORECAST_FRAMES,
  forecastTimestampsSeconds,
  type ForecastFrameMeta,
} from '../../frames/forecast/forecastFrames';

export const forecastFrames = (...args: Parameters<typeof plain.forecastFrames>): DataFrame[] =>
  plain.forecastFrames(...args).map(toDataFrame);
