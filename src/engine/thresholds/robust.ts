/** 1.4826 · MAD estimates the standard deviation of normal data while ignoring up to half of it being anomalies. */
const MAD_TO_SIGMA = 1.4826;

/** Linear-interpolation quantile (Hyndman–Fan type 7) of sorted[from, to), ascending; NaN when empty. */
export function quantileOfSorted(sorted: ArrayLike<number>, p: number, from = 0, to = sorted.length): number {
  const length = to - from;
  if (length <= 0) {
    return NaN;
  }
  const position = (length - 1) * Math.min(1, Math.max(0, p));
  const below = Math.floor(position);
  const above = Math.min(length - 1, below + 1);
  return sorted[from + below] + (sorted[from + above] - sorted[from + below]) * (position - below);
}

export function sortedCopy(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

/** Median absolute deviation around `median`, scaled by 1.4826 (robust standard deviation). */
export function robustSpread(values: readonly number[], median: number): number {
  return MAD_TO_SIGMA * quantileOfSorted(sortedCopy(values.map((v) => Math.abs(v - median))), 0.5);
}

/**
 * `robustSpread` of sorted[from, to) (ascending) around its `median`, in O(log n): the deviations below the median,
 * read downwards (median − sorted[split − 1 − i]), and those from it upwards (sorted[split + j] − median) are two
 * ascending runs, and the middle order statistics of two sorted runs are found by bisection. (`median − v` equals
 * `|v − median|` exactly in floating point.)
 */
export function robustSpreadOfSorted(sorted: ArrayLike<number>, median: number, from = 0, to = sorted.length): number {
  const length = to - from;
  if (length <= 0 || !Number.isFinite(median)) {
    return robustSpread(
      Array.from({ length: Math.max(0, length) }, (_, i) => sorted[from + i]),
      median
    );
  }
  const split = firstAtLeastNearMiddle(sorted, median, from, to);
  const lowerLength = split - from;
  const upperLength = to - split;
  const position = (length - 1) * 0.5;
  const below = Math.floor(position);
  // Take i deviations from the lower run and below + 1 − i from the upper one; bisect for the i where they agree.
  const take = below + 1;
  let lo = Math.max(0, take - upperLength);
  let hi = Math.min(take, lowerLength);
  let i = lo;
  while (lo <= hi) {
    i = (lo + hi) >>> 1;
    const j = take - i;
    if (i > 0 && j < upperLength && median - sorted[split - i] > sorted[split + j] - median) {
      hi = i - 1;
    } else if (j > 0 && i < lowerLength && sorted[split + j - 1] - median > median - sorted[split - 1 - i]) {
      lo = i + 1;
    } else {
      break;
    }
  }
  const j = take - i;
  const atBelow = Math.max(
    i > 0 ? median - sorted[split - i] : -Infinity,
    j > 0 ? sorted[split + j - 1] - median : -Infinity
  );
  const atAbove =
    take < length
      ? Math.min(
          i < lowerLength ? median - sorted[split - 1 - i] : Infinity,
          j < upperLength ? sorted[split + j] - median : Infinity
        )
      : atBelow;
  return MAD_TO_SIGMA * (atBelow + (atAbove - atBelow) * (position - below));
}

/** The index of the first value ≥ x in sorted[from, to) (ascending); `to` when there is none. */
export function firstAtLeast(sorted: ArrayLike<number>, x: number, from: number, to: number): number {
  // Halving what is left rather than moving two ends: the choice is a select, not a hard-to-predict branch.
  let first = from;
  for (let left = to - from; left > 0;) {
    const half = left >>> 1;
    const below = sorted[first + half] < x;
    first = below ? first + half + 1 : first;
    left = below ? left - half - 1 : half;
  }
  return first;
}

/**
 * `firstAtLeast` for x the median of sorted[from, to), or near it: the answer is then the middle index or the one
 * after it, which is checked; anything else (ties across the middle) is bisected.
 */
function firstAtLeastNearMiddle(sorted: ArrayLike<number>, x: number, from: number, to: number): number {
  if (to <= from) {
    return from;
  }
  const middle = from + ((to - from - 1) >>> 1);
  const guess = sorted[middle] < x ? middle + 1 : middle;
  if ((guess === to || sorted[guess] >= x) && (guess === from || sorted[guess - 1] < x)) {
    return guess;
  }
  return firstAtLeast(sorted, x, from, to);
}

/** Groups of values in one array, group g ascending in values[offsets[g], offsets[g] + lengths[g]). */
export interface SortedGroups {
  readonly values: ArrayLike<number>;
  readonly offsets: ArrayLike<number>;
  readonly lengths: ArrayLike<number>;
}

function groupMedians({ values, offsets, lengths }: SortedGroups): Float64Array {
  return Float64Array.from(offsets, (offset, g) => quantileOfSorted(values, 0.5, offset, offset + lengths[g]));
}

/**
 * Whether `robustSpread(residuals, 0) <= limit`, the residuals being every value minus its group's median, decided
 * exactly without computing the spread: with x the largest number whose 1.4826-multiple is ≤ limit, the median
 * residual is ≤ x exactly when enough residuals are, counted per group by bisection of its two ascending runs of
 * deviations; only when x falls between the two middle residuals does their mean decide. `medians`: each group's
 * median (of an empty group: any), when the caller already has them.
 */
export function pooledRobustSpreadAtMost(
  groups: SortedGroups,
  limit: number,
  medians: ArrayLike<number> = groupMedians(groups)
): boolean {
  const { values, offsets, lengths } = groups;
  let finite = Number.isFinite(limit);
  for (let g = 0; g < offsets.length; g++) {
    finite &&= lengths[g] === 0 || Number.isFinite(medians[g]);
  }
  if (!finite) {
    const residuals = Array.from(medians).flatMap((m, g) =>
      Array.from({ length: lengths[g] }, (_, i) => values[offsets[g] + i] - m)
    );
    return robustSpread(residuals, 0) <= limit;
  }
  if (limit < 0) {
    return false;
  }
  let total = 0;
  for (let g = 0; g < medians.length; g++) {
    total += lengths[g];
  }
  if (total === 0) {
    return false; // robustSpread of nothing is NaN
  }
  const position = (total - 1) * 0.5;
  const below = Math.floor(position);
  // The count of residuals ≤ x that settles it, whatever the groups not yet counted hold.
  const enough = position === below ? below + 1 : below + 2;
  const x = largestScaledAtMost(limit);
  let count = 0;
  let uncounted = total;
  let largestAtMost = -Infinity;
  let smallestAbove = Infinity;
  for (let g = 0; g < medians.length; g++) {
    const from = offsets[g];
    const to = from + lengths[g];
    const m = medians[g];
    const split = firstAtLeastNearMiddle(values, m, from, to);
    // Lower run, [from, split): the deviation m − v shrinks as the index grows; find the first index within x.
    let firstWithin = from;
    for (let left = split - from; left > 0;) {
      const half = left >>> 1;
      const beyond = m - values[firstWithin + half] > x;
      firstWithin = beyond ? firstWithin + half + 1 : firstWithin;
      left = beyond ? left - half - 1 : half;
    }
    // Upper run, [split, to): the deviation v − m grows; find the first index beyond x.
    let firstBeyond = split;
    for (let left = to - split; left > 0;) {
      const half = left >>> 1;
      const within = values[firstBeyond + half] - m <= x;
      firstBeyond = within ? firstBeyond + half + 1 : firstBeyond;
      left = within ? left - half - 1 : half;
    }
    count += firstBeyond - firstWithin;
    uncounted -= to - from;
    if (firstWithin < split) {
      largestAtMost = Math.max(largestAtMost, m - values[firstWithin]);
    }
    if (firstBeyond > split) {
      largestAtMost = Math.max(largestAtMost, values[firstBeyond - 1] - m);
    }
    if (firstWithin > from) {
      smallestAbove = Math.min(smallestAbove, m - values[firstWithin - 1]);
    }
    if (firstBeyond < to) {
      smallestAbove = Math.min(smallestAbove, values[firstBeyond] - m);
    }
    if (count >= enough) {
      return true;
    }
    if (count + uncounted <= below) {
      return false;
    }
  }
  if (count <= below) {
    return false;
  }
  // The middle residuals straddle x: the one below is the largest ≤ x, the one above the smallest beyond it.
  return MAD_TO_SIGMA * (largestAtMost + (smallestAbove - largestAtMost) * (position - below)) <= limit;
}

const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer);
/** Which of the two 32-bit words holds the low half of the float64 (the platform's byte order). */
const LOW_WORD = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1 ? 0 : 1;

/** Steps a non-negative finite number to the adjacent representable number up (+1) or down (−1). */
function adjacent(x: number, direction: 1 | -1): number {
  if (x === 0) {
    return direction > 0 ? Number.MIN_VALUE : 0;
  }
  // The bits of a non-negative float64, read as a 64-bit integer, step through the representable numbers in order.
  bits[0] = x;
  const low = words[LOW_WORD] + direction;
  words[LOW_WORD] = low;
  if (low === 0x1_0000_0000 || low === -1) {
    words[1 - LOW_WORD] += direction;
  }
  return bits[0];
}

/** The largest x ≥ 0 whose rounded product 1.4826 · x is ≤ limit (limit finite, ≥ 0). */
function largestScaledAtMost(limit: number): number {
  let x = limit / MAD_TO_SIGMA;
  while (x > 0 && MAD_TO_SIGMA * x > limit) {
    x = adjacent(x, -1);
  }
  while (MAD_TO_SIGMA * adjacent(x, 1) <= limit) {
    x = adjacent(x, 1);
  }
  return x;
}

/**
 * The k-th smallest (from 0) of values[0, length), in linear expected time; reorders values. Floyd & Rivest's
 * SELECT, as in d3-array's quickselect. No NaN allowed.
 */
export function kthSmallest(values: Float64Array, k: number, length = values.length): number {
  select(values, k, 0, length - 1);
  return values[k];
}

function select(values: Float64Array, k: number, left: number, right: number): void {
  while (right > left) {
    if (right - left > 600) {
      // First narrow to a sample-based range that holds the k-th with high probability.
      const n = right - left + 1;
      const m = k - left + 1;
      const z = Math.log(n);
      const s = 0.5 * Math.exp((2 * z) / 3);
      const sd = 0.5 * Math.sqrt((z * s * (n - s)) / n) * (m - n / 2 < 0 ? -1 : 1);
      select(
        values,
        k,
        Math.max(left, Math.floor(k - (m * s) / n + sd)),
        Math.min(right, Math.floor(k + ((n - m) * s) / n + sd))
      );
    }
    const pivot = values[k];
    let i = left;
    let j = right;
    swap(values, left, k);
    if (values[right] > pivot) {
      swap(values, left, right);
    }
    while (i < j) {
      swap(values, i++, j--);
      while (values[i] < pivot) {
        i++;
      }
      while (values[j] > pivot) {
        j--;
      }
    }
    if (values[left] === pivot) {
      swap(values, left, j);
    } else {
      swap(values, ++j, right);
    }
    if (j <= k) {
      left = j + 1;
    }
    if (k <= j) {
      right = j - 1;
    }
  }
}

function swap(values: Float64Array, a: number, b: number): void {
  const kept = values[a];
  values[a] = values[b];
  values[b] = kept;
}

/** 10^k for k = 0…22, each exact in float64. */
const POWERS_OF_TEN = Array.from({ length: 23 }, (_, k) => 10 ** k);

/**
 * Rounds to a number of significant digits, so a deployed threshold prints short and exactly: the number
 * `Number(value.toPrecision(digits))` is. A band is rounded hundreds of times per recalibration, so up to 8 digits
 * it scales by an exact power of ten instead: |value|·10^shift, one correctly rounded operation, is within 2⁻²⁶ of
 * the exact product, so its nearest integer n is toPrecision's digits unless the product is within 10⁻⁶ of a
 * half (a tie, or nearly) or of the digit range's ends, where toPrecision decides; n / 10^shift, again one
 * correctly rounded operation of exact numbers, is then the float64 nearest n·10^−shift, as parsing its text is.
 */
export function roundSignificant(value: number, digits: number): number {
  if (value === 0 || !Number.isFinite(value)) {
    return value;
  }
  const magnitude = Math.abs(value);
  const shift = digits - 1 - Math.floor(Math.log10(magnitude));
  if (digits >= 1 && digits <= 8 && Math.abs(shift) <= 22) {
    const scaled = shift >= 0 ? magnitude * POWERS_OF_TEN[shift] : magnitude / POWERS_OF_TEN[-shift];
    const whole = Math.floor(scaled);
    const fraction = scaled - whole;
    if (
      Math.abs(fraction - 0.5) > 1e-6 &&
      scaled >= POWERS_OF_TEN[digits - 1] + 1e-6 &&
      scaled <= POWERS_OF_TEN[digits] - 1
    ) {
      const n = fraction > 0.5 ? whole + 1 : whole;
      const rounded = shift >= 0 ? n / POWERS_OF_TEN[shift] : n * POWERS_OF_TEN[-shift];
      return value < 0 ? -rounded : rounded;
    }
  }
  return Number(value.toPrecision(digits));
}
