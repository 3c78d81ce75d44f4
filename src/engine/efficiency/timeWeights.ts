/**
 * The sampling step of a series: the median gap between consecutive samples, by quickselect (O(n), no sort: a week
 * at 60 s is 10,080 gaps per GPU and a fleet has thousands). Undefined for fewer than two samples.
 */
export function medianGapSeconds(timestampsSeconds: ArrayLike<number>): number | undefined {
  const n = timestampsSeconds.length - 1;
  if (n < 1) {
    return undefined;
  }
  const gaps = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    gaps[i] = timestampsSeconds[i + 1] - timestampsSeconds[i];
  }
  return select(gaps, Math.floor((n - 1) / 2));
}

/** The k-th smallest value (0-based) of `xs`, reordering it in place (Hoare's quickselect, middle pivot). */
function select(xs: Float64Array, k: number): number {
  let lo = 0;
  let hi = xs.length - 1;
  while (lo < hi) {
    const pivot = xs[(lo + hi) >> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (xs[i] < pivot) {
        i++;
      }
      while (xs[j] > pivot) {
        j--;
      }
      if (i <= j) {
        const t = xs[i];
        xs[i] = xs[j];
        xs[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) {
      hi = j;
    } else if (k >= i) {
      lo = i;
    } else {
      return xs[k];
    }
  }
  return xs[k];
}

/**
 * Seconds each sample stands for: until the next sample when the gap is at most `maxGapSeconds`, otherwise one
 * `stepSeconds` (a scrape gap is not evidence the GPU was held), and one step for the last sample (analyseWaste cuts
 * every sample at the range end). Timestamps must be ascending.
 */
export function sampleWeightsSeconds(
  timestampsSeconds: ArrayLike<number>,
  stepSeconds: number,
  maxGapSeconds: number
): Float64Array {
  const n = timestampsSeconds.length;
  const weights = new Float64Array(n);
  for (let i = 0; i < n - 1; i++) {
    const gap = timestampsSeconds[i + 1] - timestampsSeconds[i];
    weights[i] = gap <= maxGapSeconds ? gap : stepSeconds;
  }
  if (n > 0) {
    weights[n - 1] = stepSeconds;
  }
  return weights;
}
