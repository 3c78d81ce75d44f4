import { CapacityInputError } from './errors';

/** Growing the fleet (scale-out, provisioned a cold-start lead early) or shrinking it (scale-in, at once). */
export type ScaleAction = 'scale-out' | 'scale-in';

/** One change of the fleet size: start provisioning at `startAtSeconds` so `toGpus` are serving at `neededAtSeconds`. */
export interface ScaleStep {
  action: ScaleAction;
  /** When to act. For a scale-out, one cold-start lead before it is needed (may lie before the first timestamp: overdue). */
  startAtSeconds: number;
  /** When the new size must be serving; equals startAtSeconds for a scale-in. */
  neededAtSeconds: number;
  fromGpus: number;
  toGpus: number;
}

/**
 * When to grow and shrink the fleet so that, with new GPUs serving a cold-start lead after they are requested,
 * capacity is never below the need (docs/formulas.md: scale-out for hour t is due at t − cold_start_lead).
 *
 * The need holds from each timestamp to the next (the first value also before it, the last one after it). The
 * planned size at time τ is the largest need in [τ, τ + lead]: a scale-out starts a lead before a higher need, and
 * a scale-in waits until the need has fallen and no higher need is due within a lead, so GPUs are not released
 * only to be requested again. Consecutive scale-outs whose lead windows overlap become one request for the larger
 * size at the earlier time: the second would start before the first is serving.
 */
export function scaleOutSchedule(
  timestampsSeconds: readonly number[],
  gpusNeeded: readonly number[],
  coldStartLeadSeconds: number
): ScaleStep[] {
  validate(timestampsSeconds, gpusNeeded, coldStartLeadSeconds);
  const n = gpusNeeded.length;
  if (n === 0) {
    return [];
  }
  const lead = coldStartLeadSeconds;
  // The planned size changes only where a need enters the window (t − lead) or leaves it (t).
  const changeTimes = [...new Set(timestampsSeconds.slice(1).flatMap((t) => [t - lead, t]))].sort((a, b) => a - b);
  const steps: ScaleStep[] = [];
  let level = gpusNeeded[0];
  // Needs i in lo..hi are those whose span [t_i, t_(i+1)) meets [τ, τ + lead]; both ends only move forward.
  let lo = 0;
  let hi = 0;
  let lastMergedNeededAt = Number.NEGATIVE_INFINITY;
  for (const tau of changeTimes) {
    while (lo < n - 1 && timestampsSeconds[lo + 1] <= tau) {
      lo++;
    }
    while (hi < n - 1 && timestampsSeconds[hi + 1] <= tau + lead) {
      hi++;
    }
    let planned = gpusNeeded[lo];
    for (let i = lo + 1; i <= hi; i++) {
      planned = Math.max(planned, gpusNeeded[i]);
    }
    if (planned === level) {
      continue;
    }
    const previous = steps[steps.length - 1];
    if (planned > level) {
      if (previous?.action === 'scale-out' && tau < lastMergedNeededAt) {
        previous.toGpus = planned;
      } else {
        steps.push({
          action: 'scale-out',
          startAtSeconds: tau,
          neededAtSeconds: tau + lead,
          fromGpus: level,
          toGpus: planned,
        });
      }
      lastMergedNeededAt = tau + lead;
    } else {
      steps.push({ action: 'scale-in', startAtSeconds: tau, neededAtSeconds: tau, fromGpus: level, toGpus: planned });
    }
    level = planned;
  }
  return steps;
}

function validate(timestampsSeconds: readonly number[], gpusNeeded: readonly number[], lead: number): void {
  if (timestampsSeconds.length !== gpusNeeded.length) {
    throw new CapacityInputError(
      'gpusNeeded',
      `Timestamps and GPUs needed differ in length (${timestampsSeconds.length} vs ${gpusNeeded.length}).`
    );
  }
  if (!Number.isFinite(lead) || lead < 0) {
    throw new CapacityInputError(
      'coldStartLeadSeconds',
      `The cold-start lead must be zero or a positive number of seconds, got ${lead}.`
    );
  }
  timestampsSeconds.forEach((t, i) => {
    if (!Number.isFinite(t) || (i > 0 && !(t > timestampsSeconds[i - 1]))) {
      throw new CapacityInputError('timestampsSeconds', `Timestamps must be finite and increasing; check index ${i}.`);
    }
  });
  gpusNeeded.forEach((g, i) => {
    if (!Number.isFinite(g)) {
      throw new CapacityInputError('gpusNeeded', `GPUs needed at index ${i} is ${g}.`);
    }
  });
}
