/** The `--prices FILE` price list of the commands that cost GPU-hours (efficiency, capacity). */
import { readFileSync } from 'node:fs';

import type { GpuModelPrice } from '../engine/capacity';
import { UsageError } from './args';

/** The file's tiers, in the order they are checked. */
const TIER_KEYS = { on_demand: 'onDemandPerGpuHour', reserved: 'reservedPerGpuHour', spot: 'spotPerGpuHour' } as const;

export const PRICE_FILE_FORMAT = '{"MODEL": {"on_demand": X, "reserved": Y, "spot": Z}} per GPU-hour';

/** One row per GPU model, each saying it comes from this file; every tier is a price ≥ 0. */
export function readPriceFile(path: string): Array<Required<GpuModelPrice>> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new UsageError(`--prices ${path} cannot be read as JSON: ${(error as Error).message}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new UsageError(`--prices ${path} must hold one JSON object ${PRICE_FILE_FORMAT}.`);
  }
  return Object.entries(raw as Record<string, Record<string, unknown> | null>).map(([gpuModel, prices]) => {
    const row = { gpuModel, source: `--prices ${path}` } as Required<GpuModelPrice>;
    for (const [key, field] of Object.entries(TIER_KEYS)) {
      const value = prices?.[key];
      if (typeof value !== 'number' || !(value >= 0)) {
        throw new UsageError(`--prices: ${gpuModel}.${key} must be a price ≥ 0 per GPU-hour.`);
      }
      row[field] = value;
    }
    return row;
  });
}
