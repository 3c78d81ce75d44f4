import { CapacityInputError } from '../capacity/errors';
import { scaleOutSchedule } from '../capacity/schedule';
import { wallClock } from './localTime';

/** How a plan repeats once applied: every day or every week of wall-clock time in a time zone. */
export type Repeat = 'daily' | 'weekly';

export const PERIOD_SECONDS: Record<Repeat, number> = { daily: 86_400, weekly: 604_800 };

export interface RepeatingScheduleInput {
  timestampsSeconds: readonly number[];
  /** What is needed from each timestamp to the next (replicas or GPUs). */
  needed: readonly number[];
  coldStartLeadSeconds: number;
  repeat: Repeat;
  /** IANA time zone whose wall clock the schedule repeats in, e.g. Etc/UTC. */
  timeZone: string;
}

/** From `offsetSeconds` into the day or week (local time) until the next step's offset, `level` is planned. */
export interface RepeatingStep {
  offsetSeconds: number;
  level: number;
}

export interface RepeatingSchedule {
  repeat: Repeat;
  timeZone: string;
  /** The cold-start lead rounded up to a whole minute, cron's resolution: starting early is safe, late is not. */
  leadSeconds: number;
  /** Sorted by offset; the last step's level holds until the first step's offset in the next period. */
  steps: RepeatingStep[];
  /** The lowest and highest level planned at any time. */
  baseline: number;
  peak: number;
}

/**
 * The capacity plan's scale-out schedule (engine/capacity/schedule.ts) as a schedule that repeats every day or week,
 * what cron triggers and CronJobs can express. The need at each time of the period is the largest need the plan has
 * at that wall-clock time (a 7-day plan repeated daily takes each hour's busiest day); the schedule is then
 * scaleOutSchedule's, over three copies of the period so that a need early in the period is prepared for at the end
 * of the previous one, keeping the middle copy's steps.
 */
export function repeatingSchedule(input: RepeatingScheduleInput): RepeatingSchedule {
  const { timestampsSeconds, needed, repeat, timeZone } = input;
  const period = PERIOD_SECONDS[repeat];
  const leadSeconds = Math.ceil(input.coldStartLeadSeconds / 60) * 60;
  if (!(leadSeconds >= 0 && leadSeconds < period)) {
    throw new CapacityInputError(
      'coldStartLeadSeconds',
      `The cold-start lead must be zero or more and shorter than the ${repeat} period, got ${input.coldStartLeadSeconds} s.`
    );
  }
  const n = timestampsSeconds.length;
  if (n < 2 || needed.length !== n) {
    throw new CapacityInputError('gpusNeeded', 'The plan needs at least two timestamps, each with a need.');
  }
  const stepSeconds = timestampsSeconds[1] - timestampsSeconds[0];
  const spanSeconds = timestampsSeconds[n - 1] - timestampsSeconds[0] + stepSeconds;
  if (spanSeconds < period) {
    throw new CapacityInputError(
      'repeat',
      `The plan covers ${spanSeconds / 3600} h, less than the ${period / 3600} h a ${repeat} repeat needs: ` +
        `plan a longer horizon${repeat === 'weekly' ? ' or repeat daily' : ''}.`
    );
  }
  const clock = wallClock(timeZone);
  const busiest = new Map<number, number>();
  timestampsSeconds.forEach((t, i) => {
    const local = clock(t);
    const offset = (repeat === 'weekly' ? local.dayOfWeek * 86_400 : 0) + local.secondsOfDay;
    busiest.set(offset, Math.max(busiest.get(offset) ?? Number.NEGATIVE_INFINITY, needed[i]));
  });
  const offsets = [...busiest.keys()].sort((a, b) => a - b);
  const times = [0, 1, 2].flatMap((copy) => offsets.map((o) => o + copy * period));
  const levels = [0, 1, 2].flatMap(() => offsets.map((o) => busiest.get(o)!));
  const unrolled = scaleOutSchedule(times, levels, leadSeconds);
  const before = unrolled.filter((s) => s.startAtSeconds < period);
  const levelAtStart = before.length > 0 ? before[before.length - 1].toGpus : levels[0];
  const middle = unrolled
    .filter((s) => s.startAtSeconds >= period && s.startAtSeconds < 2 * period)
    .map((s) => ({ offsetSeconds: s.startAtSeconds - period, level: s.toGpus }));
  const steps = middle.length > 0 ? middle : [{ offsetSeconds: 0, level: levelAtStart }];
  const all = [levelAtStart, ...steps.map((s) => s.level)];
  return {
    repeat,
    timeZone,
    leadSeconds,
    steps,
    baseline: Math.min(...all),
    peak: Math.max(...all),
  };
}
