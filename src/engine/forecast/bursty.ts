import { quantileOfSorted } from '../thresholds/robust';
import { DAY_SECONDS, seasonSteps } from './seasons';
import type { Forecaster, ForecastInput, ModelForecast } from './types';

export interface BurstyOptions {
  /** Days of history whose time-of-day medians make the daily profile. */
  profileDays: number;
  /** Neighbouring steps on each side pooled into a slot's median (bursts do not keep to the minute). */
  slotHalfWidthSteps: number;
  /** Hours of the newest history whose median is today's level. */
  levelHours: number;
  /** How much of the profile's shape is kept: 0 is the level alone (flat), 1 the level plus the whole profile. */
  profileWeight: number;
  /**
   * Start from the newest value and return to the level at the rate of the deviations' lag-1 autocorrelation φ
   * (an AR(1) about the level: the h-step forecast keeps φ^h of today's deviation): a queue that is full now is
   * still full in ten minutes, and back at its usual level by tomorrow.
   */
  revert: boolean;
}

/**
 * Chosen leave-one-family-out on bench/bursty.ts among level windows of 1, 3, 6 and 24 h, with and without the daily
 * profile and the return from the newest value (the forecast README has the table): a 6-hour level, no profile (on
 * these series a time-of-day median profile made every family worse), the return on.
 */
export const DEFAULT_BURSTY_OPTIONS: BurstyOptions = {
  profileDays: 7,
  slotHalfWidthSteps: 3,
  levelHours: 6,
  profileWeight: 0,
  revert: true,
};

const median = (sorted: readonly number[]) => quantileOfSorted(sorted, 0.5);
const sortedOf = (values: readonly number[]) => Float64Array.from(values).sort() as unknown as number[];

/**
 * A robust level for bursty series (burstiness.ts): the median of the newest hours, with the forecast starting at the
 * newest value and returning to that level at the rate of the deviations' lag-1 autocorrelation, never below zero.
 * Optionally (`profileWeight`, off by default) plus a daily profile: the median of the same time of day (± a few
 * steps) over the last days, less those days' median. Medians, not means: the absolute error is smallest at the
 * median, and a burst (a queue that filled once, a batch of submissions) moves a median little while it drags a mean,
 * a seasonal-naive copy or a fitted curve towards the burst, which then comes back as a forecast peak the next day.
 * The peaks themselves are the upper bounds' job (burstyRoute.ts).
 */
export function burstyProfile(name = 'bursty_level', options: BurstyOptions = DEFAULT_BURSTY_OPTIONS): Forecaster {
  return {
    name,
    minHistorySteps: (stepSeconds) => Math.max(2, seasonSteps(DAY_SECONDS, stepSeconds)),
    forecast({ values, stepSeconds, horizonSteps }: ForecastInput): ModelForecast {
      const n = values.length;
      const day = seasonSteps(DAY_SECONDS, stepSeconds) || n;
      const levelSteps = Math.max(1, Math.min(n, Math.round((options.levelHours * 3600) / stepSeconds)));
      const profileSteps = Math.min(n, options.profileDays * day);
      const recent = values.slice(n - profileSteps);
      const level = median(sortedOf(values.slice(n - levelSteps)));
      const typical = median(sortedOf(recent));
      const slotMedian = (slot: number) => {
        const pooled: number[] = [];
        // Every step of the profile window at this time of day, ± the half-width.
        for (let t = n - profileSteps; t < n; t++) {
          const distance = Math.abs(((((t - slot) % day) + day + day / 2) % day) - day / 2);
          if (distance <= options.slotHalfWidthSteps) {
            pooled.push(values[t]);
          }
        }
        return median(sortedOf(pooled));
      };
      const profile = new Map<number, number>();
      const base = (t: number) => {
        const slot = t % day;
        if (!profile.has(slot)) {
          profile.set(slot, options.profileWeight === 0 ? typical : slotMedian(slot));
        }
        return level + options.profileWeight * (profile.get(slot)! - typical);
      };
      const phi = options.revert ? persistence(recent.map((v, i) => v - base(n - profileSteps + i))) : 0;
      const start = values[n - 1] - base(n - 1);
      const mean = Array.from({ length: horizonSteps }, (_, h) => Math.max(0, base(n + h) + phi ** (h + 1) * start));
      return { mean };
    },
  };
}

/** Lag-1 autocorrelation of deviations, in [0, 1): 0 without variation (nothing carries over), never a negative sign-flip. */
function persistence(deviations: readonly number[]): number {
  const m = deviations.reduce((a, b) => a + b, 0) / Math.max(1, deviations.length);
  let lagged = 0;
  let squares = 0;
  for (let t = 0; t < deviations.length; t++) {
    squares += (deviations[t] - m) ** 2;
    if (t > 0) {
      lagged += (deviations[t] - m) * (deviations[t - 1] - m);
    }
  }
  return squares > 0 ? Math.min(0.999, Math.max(0, lagged / squares)) : 0;
}
