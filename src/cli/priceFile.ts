/** The `--prices FILE` price list of the commands that cost GPU-hours (efficiency, capacity). */
import { readFileSync } from 'node:fs';

import type { GpuModelPrice } from '../engine/capacity';
import { UsageError } from './args';

/** The file's tiers, in the order they are checked. */
const TIER_KEYS = { on_demand: 'onDemandPerGpuHour', reserved: 'reservedPerGpuHour', spot: 'spotPerGpuHour' } as const;

export const PRICE_FILE_FORMAT = '{"MODEL": {"on_demand": X, "reserved": Y, "spot": Z}} per GPU-hour';

/** Prices when neither the price file nor a flag names a currency. */
export const DEFAULT_CURRENCY = 'USD';

/** An ISO 4217 code: three capital letters. */
const CURRENCY_CODE = /^[A-Z]{3}$/;

export interface PriceList {
  rows: Array<Required<GpuModelPrice>>;
  /** The file's "currency", when it names one. */
  currency?: string;
}

/** One row per GPU model, each saying it comes from this file; every tier is a price ≥ 0. */
export function readPriceFile(path: string): Array<Required<GpuModelPrice>> {
  return readPriceList(path).rows;
}

/** The price file's rows and the currency it names. */
export function readPriceList(path: string): PriceList {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new UsageError(`--prices ${path} cannot be read as JSON: ${(error as Error).message}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new UsageError(`--prices ${path} must hold one JSON object ${PRICE_FILE_FORMAT}.`);
  }
  const { currency, ...models } = raw as Record<string, unknown>;
  if (currency !== undefined && (typeof currency !== 'string' || !CURRENCY_CODE.test(currency))) {
    throw new UsageError(
      `--prices ${path}: "currency" is an ISO 4217 code such as USD or EUR, got ${JSON.stringify(currency)}.`
    );
  }
  const rows = Object.entries(models as Record<string, Record<string, unknown> | null>).map(([gpuModel, prices]) => {
    const row = { gpuModel, source: `--prices ${path}` } as Required<GpuModelPrice>;
    for (const [key, field] of Object.entries(TIER_KEYS)) {
      const value = prices?.[key];
      // A GPU-hour at zero would make every plan "free" and the mix's shares meaningless: refused like a negative one.
      if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) {
        throw new UsageError(
          `--prices: ${gpuModel}.${key} must be a price above 0 per GPU-hour, got ${JSON.stringify(value ?? null)}.`
        );
      }
      row[field] = value;
    }
    return row;
  });
  return { rows, currency: currency as string | undefined };
}

/** The currency of the money figures: `--currency` and the price file's must agree; USD when neither says. */
export function chooseCurrency(flag: string | undefined, file: string | undefined): string {
  if (flag !== undefined && !CURRENCY_CODE.test(flag)) {
    throw new UsageError(`--currency is an ISO 4217 code such as USD or EUR, got "${flag}".`);
  }
  if (flag !== undefined && file !== undefined && flag !== file) {
    throw new UsageError(
      `--currency ${flag} contradicts the price file's "currency": "${file}"; the prices are in ${file}.`
    );
  }
  return flag ?? file ?? DEFAULT_CURRENCY;
}
