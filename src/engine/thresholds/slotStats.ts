import { quantileOfSorted, robustSpreadOfSorted } from './robust';
import type { SortedSlots } from './sortedSlots';

/** What a slot's band edges need from its sorted values, given the band's method and quantiles. */
export interface SlotStatOptions {
  method: 'median-mad' | 'robust-quantile';
  width: number;
  scaleQuantile: number;
  floorQuantile: number;
}

/**
 * Per-slot order statistics of a SortedSlots, recomputed only for slots whose values changed since they were last
 * computed: a daily recalibration adds one day, which changes 24 of the 168 hour-of-week slots. Each statistic is
 * computed exactly as from the sorted slot; an empty slot's are left as they were (the band uses all the data's).
 */
export class SlotStats {
  readonly median: Float64Array;
  /** width × the half-width above the median: width·1.4826·MAD, or width·(scale quantile − median). */
  readonly reachAbove: Float64Array;
  readonly reachBelow: Float64Array;
  /** The floor quantile (upper edge at least this) and its complement (lower edge at most this). */
  readonly floorHigh: Float64Array;
  readonly floorLow: Float64Array;
  private readonly seen: Uint32Array;

  constructor(
    private readonly slots: SortedSlots,
    private readonly options: SlotStatOptions
  ) {
    const n = slots.slotCount;
    this.median = new Float64Array(n);
    this.reachAbove = new Float64Array(n);
    this.reachBelow = new Float64Array(n);
    this.floorHigh = new Float64Array(n);
    this.floorLow = new Float64Array(n);
    this.seen = new Uint32Array(n);
  }

  /** Brings every non-empty slot's statistics up to date with its values. */
  refresh(): this {
    const { slots, options, seen } = this;
    const { values, offsets, lengths, versions } = slots;
    const byQuantile = options.method !== 'median-mad';
    for (let s = 0; s < slots.slotCount; s++) {
      if (lengths[s] === 0 || seen[s] === versions[s]) {
        continue;
      }
      seen[s] = versions[s];
      const from = offsets[s];
      const to = from + lengths[s];
      const median = quantileOfSorted(values, 0.5, from, to);
      const spread = byQuantile ? NaN : robustSpreadOfSorted(values, median, from, to);
      const halfWidthAbove = byQuantile ? quantileOfSorted(values, options.scaleQuantile, from, to) - median : spread;
      const halfWidthBelow = byQuantile
        ? median - quantileOfSorted(values, 1 - options.scaleQuantile, from, to)
        : spread;
      this.median[s] = median;
      this.reachAbove[s] = options.width * halfWidthAbove;
      this.reachBelow[s] = options.width * halfWidthBelow;
      this.floorHigh[s] = quantileOfSorted(values, options.floorQuantile, from, to);
      this.floorLow[s] = quantileOfSorted(values, 1 - options.floorQuantile, from, to);
    }
    return this;
  }
}
