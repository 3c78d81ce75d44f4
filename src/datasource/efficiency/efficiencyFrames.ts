/**
 * The efficiency frames of `frames/efficiency/efficiencyFrames.ts` (shared with the backend) as Grafana data frames,
 * with the frame and field names the Efficiency panel and page read.
 */
import type { DataFrame } from '@grafana/data';

import * as plain from '../../frames/efficiency/efficiencyFrames';
import { toDataFrame } from '../frameValues';

export {
  BURN_FIELDS,
  EFFICIENCY_FRAMES,
  MFU_ESTIMATE_NOTICE,
  NO_SPOT_NODES,
  SPOT_FIELDS,
  WASTE_FIELDS,
} from '../../frames/efficiency/efficiencyFrames';

export const wasteFrames = (...args: Parameters<typeof plain.wasteFrames>): DataFrame[] =>
  plain.wasteFrames(...args).map(toDataFrame);
export const mfuFrames = (...args: Parameters<typeof plain.mfuFrames>): DataFrame[] =>
  plain.mfuFrames(...args).map(toDataFrame);
