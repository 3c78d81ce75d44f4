/**
 * The fragmentation frames of `frames/fragmentation/fragmentationFrames.ts` (shared with the backend) as Grafana
 * data frames, with the frame and field names the fragmentation panel and the Fragmentation page read.
 */
import type { DataFrame } from '@grafana/data';

import * as plain from '../../frames/fragmentation/fragmentationFrames';
import { toDataFrame } from '../frameValues';

export {
  FRAGMENTATION_FRAMES,
  formatMigInstances,
  GRID_FIELDS,
  JOB_KINDS,
  JOBS_FIT_FIELDS,
  parseMigInstances,
  SUMMARY_FIELDS,
  type FrameContext,
} from '../../frames/fragmentation/fragmentationFrames';
export type { GridRow } from '../../frames/fragmentation/fragmentationAnalysis';

export const summaryFrame = (...args: Parameters<typeof plain.summaryFrame>): DataFrame =>
  toDataFrame(plain.summaryFrame(...args));
export const gridFrame = (...args: Parameters<typeof plain.gridFrame>): DataFrame =>
  toDataFrame(plain.gridFrame(...args));
export const jobsFitFrame = (...args: Parameters<typeof plain.jobsFitFrame>): DataFrame =>
  toDataFrame(plain.jobsFitFrame(...args));
export const overTimeFrame = (...args: Parameters<typeof plain.overTimeFrame>): DataFrame =>
  toDataFrame(plain.overTimeFrame(...args));
export const defragFrames = (...args: Parameters<typeof plain.defragFrames>): DataFrame[] =>
  plain.defragFrames(...args).map(toDataFrame);
