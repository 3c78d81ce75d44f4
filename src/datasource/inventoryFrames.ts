import type { DataFrame } from '@grafana/data';

import {
  inventoryFrames as plainInventoryFrames,
  type InventoryFrameOptions,
  type InventoryView,
} from '../frames/inventoryFrames';
import type { InventoryResult } from '../prometheus/types';
import { toDataFrame } from './frameValues';

export { GPUS_UNIT } from '../frames/inventoryFrames';

/** The inventory frames of `frames/inventoryFrames.ts` (shared with the backend process) as Grafana data frames. */
export function inventoryFrames(
  result: InventoryResult,
  view: InventoryView,
  options: InventoryFrameOptions
): DataFrame[] {
  return plainInventoryFrames(result, view, options).map(toDataFrame);
}
