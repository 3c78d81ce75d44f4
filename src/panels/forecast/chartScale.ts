/** Axis ticks a person reads at a glance: 1, 2, 2.5 or 5 times a power of ten, and whole hours or days. */

const NICE_FACTORS = [1, 2, 2.5, 5, 10];

export interface LinearScale {
  min: number;
  max: number;
  ticks: number[];
}

/** A value range widened to round tick values covering [min, max], with about `count` ticks. */
export function niceScale(min: number, max: number, count = 5): LinearScale {
  if (!Number.isFinite(min) || !Number.isFinite(max)) {
    return { min: 0, max: 1, ticks: [0, 1] };
  }
  if (min === max) {
    const pad = Math.abs(min) > 0 ? Math.abs(min) * 0.1 : 1;
    return niceScale(min - pad, max + pad, count);
  }
  const rough = (max - min) / Math.max(1, count);
  const power = Math.pow(10, Math.floor(Math.log10(rough)));
  const step = power * NICE_FACTORS.find((factor) => factor * power >= rough)!;
  const lo = Math.floor(min / step) * step;
  const hi = Math.ceil(max / step) * step;
  const ticks: number[] = [];
  for (let k = 0; lo + k * step <= hi + step / 2; k++) {
    // Rounded to the step's decimals so 0.1 + 0.2 prints as 0.3.
    ticks.push(Number((lo + k * step).toPrecision(12)));
  }
  return { min: lo, max: hi, ticks };
}

const HOUR_MS = 3_600_000;
const TIME_STEPS_MS = [1, 2, 3, 6, 12, 24, 48, 72, 168, 336].map((hours) => hours * HOUR_MS);

/** Tick times at whole hours or days (UTC midnight for days), at most `maxTicks` of them. */
export function timeTicks(fromMs: number, toMs: number, maxTicks: number): number[] {
  const span = toMs - fromMs;
  if (!(span > 0) || maxTicks < 1) {
    return [];
  }
  const step =
    TIME_STEPS_MS.find((candidate) => span / candidate <= maxTicks) ?? TIME_STEPS_MS[TIME_STEPS_MS.length - 1];
  const ticks: number[] = [];
  for (let t = Math.ceil(fromMs / step) * step; t <= toMs; t += step) {
    ticks.push(t);
  }
  return ticks;
}
