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
 * computed: a daily recalibration adds one day, which changes 24 of the 168 hour-of-week slots. The medians are
 * brought up to date for every slot (the rhythm's gain test needs them all), the half-widths and floor quantiles
 * only for the slots whose band edges are read. Each statistic is computed exactly as from the sorted slot; an empty
 * slot's are left as they were (the band uses all the data's).
 */
export class SlotStats {
  readonly median: Float64Array;
  /** width × the half-width above the median: width·1.4826·MAD, or width·(scale quantile − median). */
  readonly reachAbove: Float64Array;
  readonly reachBelow: Float64Array;
  /** The floor quantile (upper edge at least this) and its complement (lower edge at most this). */
  readonly floorHigh: Float64Array;
  readonly floorLow: Float64Array;
  /** The slot version each median, and each slot's other statistics, were computed from. */
  private readonly medianSeen: Uint32Array;
  private readonly spreadSeen: Uint32Array;

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
    this.medianSeen = new Uint32Array(n);
    this.spreadSeen = new Uint32Array(n);
  }

  /** Brings every non-empty slot's median up to date with its values. */
  refresh(): this {
    const { slots, medianSeen } = this;
    const { values, offsets, lengths, versions } = slots;
    for (let s = 0; s < slots.slotCount; s++) {
      if (lengths[s] === 0 || medianSeen[s] === versions[s]) {
        continue;
      }
      medianSeen[s] = versions[s];
      this.median[s] = quantileOfSorted(values, 0.5, offsets[s], offsets[s] + lengths[s]);
    }
    return this;
  }

  /** Brings a non-empty slot's half-widths and floor quantiles up to date, after `refresh`. */
  refreshSpread(s: number): void {
    const { slots, options } = this;
    if (this.spreadSeen[s] === slots.versions[s]) {
      return;
    }
    this.spreadSeen[s] = slots.versions[s];
    const { values } = slots;
    const from = slots.offsets[s];
    const to = from + slots.lengths[s];
    const median = this.median[s];
    const byQuantile = options.method !== 'median-mad';
    const spread = byQuantile ? NaN : robustSpreadOfSorted(values, median, from, to);
    const halfWidthAbove = byQuantile ? quantileOfSorted(values, options.scaleQuantile, from, to) - median : spread;
    const halfWidthBelow = byQuantile ? median - quantileOfSorted(values, 1 - options.scaleQuantile, from, to) : spread;
    this.reachAbove[s] = options.width * halfWidthAbove;
    this.reachBelow[s] = options.width * halfWidthBelow;
    this.floorHigh[s] = quantileOfSorted(values, options.floorQuantile, from, to);
    this.floorLow[s] = quantileOfSorted(values, 1 - options.floorQuantile, from, to);
  }
}
