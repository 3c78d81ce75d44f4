import { describeCitation, PUBLISHED_GPU_PRICES, type PriceCitation } from '../efficiency';
import type { GpuModelPrice } from './costMix';

/**
 * The published cloud list prices (engine/efficiency/priceCatalog.ts) as priced rows, each saying which instance,
 * region, list and date it comes from. They stand in until someone enters their own contract prices.
 */
export function listPrices(): Array<GpuModelPrice & { reservedPerGpuHour: number; spotPerGpuHour: number }> {
  return PUBLISHED_GPU_PRICES.map((p) => ({
    gpuModel: p.gpuModel,
    onDemandPerGpuHour: p.onDemandPerGpuHour,
    reservedPerGpuHour: p.reservedPerGpuHour,
    spotPerGpuHour: p.spotPerGpuHour,
    source: `List price: ${describeCitation(p.citation)}`,
  }));
}

/** The citation of a shipped list price, found by its source text exactly as listPrices() writes it; none otherwise. */
export function listPriceCitation(source: string): PriceCitation | undefined {
  const i = listPrices().findIndex((p) => p.source === source);
  return i < 0 ? undefined : PUBLISHED_GPU_PRICES[i].citation;
}
