import type { SortedGroups } from './robust';

/**
 * Each slot's values kept in ascending order, updated a range of samples at a time (those of one day between two
 * recalibrations): a replay then merges a day into what it already sorted instead of sorting four weeks again.
 * Slot s owns values[offsets[s], offsets[s] + capacity), as many as it will ever hold, so nothing is reallocated.
 */
export class SortedSlots implements SortedGroups {
  readonly values: Float64Array;
  readonly offsets: Int32Array;
  readonly lengths: Int32Array;
  /** Bumped whenever the slot's values change, so what was computed from them can be kept until then. */
  readonly versions: Uint32Array;
  readonly slotCount: number;
  private readonly capacities: Int32Array;
  /** The samples being added or removed, grouped by slot: slot s's in batch[batchFrom[s], batchTo[s]). */
  private readonly batch: Float64Array;
  private readonly batchFrom: Int32Array;
  private readonly batchTo: Int32Array;

  /**
   * `capacities[slot]`: the most values the slot will hold at once; `batch`: scratch space for as many values as
   * one add or remove may bring, which several SortedSlots may share.
   */
  constructor(capacities: ArrayLike<number>, batch: Float64Array) {
    const slotCount = capacities.length;
    this.slotCount = slotCount;
    this.capacities = Int32Array.from(capacities);
    this.offsets = new Int32Array(slotCount);
    this.lengths = new Int32Array(slotCount);
    this.versions = new Uint32Array(slotCount);
    this.batchFrom = new Int32Array(slotCount);
    this.batchTo = new Int32Array(slotCount);
    let total = 0;
    for (let s = 0; s < slotCount; s++) {
      this.offsets[s] = total;
      total += capacities[s];
    }
    this.values = new Float64Array(total);
    this.batch = batch;
  }

  clear(): void {
    for (let s = 0; s < this.slotCount; s++) {
      if (this.lengths[s] > 0) {
        this.lengths[s] = 0;
        this.versions[s]++;
      }
    }
  }

  /** Adds samples[i] to slot slotOfSample[i] for i in [from, to), skipping NaN. */
  add(samples: Float64Array, slotOfSample: Uint8Array, from: number, to: number): void {
    if (this.group(samples, slotOfSample, from, to)) {
      for (let s = 0; s < this.slotCount; s++) {
        if (this.batchTo[s] > this.batchFrom[s]) {
          this.merge(s);
        }
      }
    }
  }

  /** Removes what `add` added for the same samples. */
  remove(samples: Float64Array, slotOfSample: Uint8Array, from: number, to: number): void {
    if (this.group(samples, slotOfSample, from, to)) {
      for (let s = 0; s < this.slotCount; s++) {
        if (this.batchTo[s] > this.batchFrom[s]) {
          this.drop(s);
        }
      }
    }
  }

  /** Groups the samples by slot (counting sort) into `batch` and sorts each group; false when there are none. */
  private group(samples: Float64Array, slotOfSample: Uint8Array, from: number, to: number): boolean {
    const { batch, batchFrom, batchTo } = this;
    const counts = batchTo.fill(0);
    let total = 0;
    // Samples in time order come in runs of one slot (an hour's): each run is counted and copied in one go.
    for (let i = from; i < to;) {
      const slot = slotOfSample[i];
      let count = 0;
      do {
        count += samples[i] === samples[i] ? 1 : 0;
        i++;
      } while (i < to && slotOfSample[i] === slot);
      counts[slot] += count;
      total += count;
    }
    if (total === 0) {
      return false;
    }
    let start = 0;
    for (let s = 0; s < this.slotCount; s++) {
      const count = counts[s];
      batchFrom[s] = batchTo[s] = start;
      start += count;
    }
    for (let i = from; i < to;) {
      const slot = slotOfSample[i];
      let k = batchTo[slot];
      do {
        const value = samples[i];
        if (value === value) {
          batch[k++] = value;
        }
        i++;
      } while (i < to && slotOfSample[i] === slot);
      batchTo[slot] = k;
    }
    for (let s = 0; s < this.slotCount; s++) {
      sortRange(batch, batchFrom[s], batchTo[s]);
    }
    return true;
  }

  /** Merges the slot's sorted batch in from the back, so no value is overwritten before it has moved. */
  private merge(slot: number): void {
    const { values, batch } = this;
    const offset = this.offsets[slot];
    const length = this.lengths[slot];
    const from = this.batchFrom[slot];
    const added = this.batchTo[slot] - from;
    if (length + added > this.capacities[slot]) {
      throw new RangeError(`slot ${slot} holds at most ${this.capacities[slot]} values`);
    }
    let i = offset + length - 1;
    let k = i + added;
    // Each batch value (largest first) lands above the run of slot values it is not smaller than; that run moves up.
    for (let j = from + added - 1; j >= from; j--) {
      const value = batch[j];
      while (i >= offset && values[i] > value) {
        values[k--] = values[i--];
      }
      values[k--] = value;
    }
    this.lengths[slot] = length + added;
    this.versions[slot]++;
  }

  private drop(slot: number): void {
    const { values, batch } = this;
    const offset = this.offsets[slot];
    const end = offset + this.lengths[slot];
    const to = this.batchTo[slot];
    let kept = offset;
    let j = this.batchFrom[slot];
    for (let i = offset; i < end; i++) {
      if (j < to && values[i] === batch[j]) {
        j++;
      } else {
        values[kept++] = values[i];
      }
    }
    if (j < to) {
      throw new RangeError(`slot ${slot} lacks a value to remove`);
    }
    this.lengths[slot] = kept - offset;
    this.versions[slot]++;
  }
}

/** Sorts values[from, to) ascending: quicksort (middle-of-three pivot) down to short runs, then insertion sort. */
function sortRange(values: Float64Array, from: number, to: number): void {
  while (to - from > 24) {
    const a = values[from];
    const b = values[(from + to) >>> 1];
    const c = values[to - 1];
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
    let i = from;
    let j = to - 1;
    for (;;) {
      while (values[i] < pivot) {
        i++;
      }
      while (values[j] > pivot) {
        j--;
      }
      if (i >= j) {
        break;
      }
      const kept = values[i];
      values[i++] = values[j];
      values[j--] = kept;
    }
    // values[from, j] ≤ pivot ≤ values[j + 1, to): recurse into the shorter side, loop on the longer.
    if (j + 1 - from < to - j - 1) {
      sortRange(values, from, j + 1);
      from = j + 1;
    } else {
      sortRange(values, j + 1, to);
      to = j + 1;
    }
  }
  for (let i = from + 1; i < to; i++) {
    const value = values[i];
    let j = i - 1;
    while (j >= from && values[j] > value) {
      values[j + 1] = values[j];
      j--;
    }
    values[j + 1] = value;
  }
}
