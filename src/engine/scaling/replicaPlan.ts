import { CapacityInputError } from '../capacity/errors';
import { capOf, type Cap } from './cap';
import { repeatingSchedule, type Repeat, type RepeatingSchedule } from './repeatingSchedule';
import { checkSafetyFactor, withSafety } from './safetyFactor';

export interface ReplicaPlanInput {
  /** The capacity plan's hours and GPUs needed in each (CapacityPlan.gpus). */
  timestampsSeconds: readonly number[];
  gpusNeeded: readonly number[];
  coldStartLeadSeconds: number;
  /** GPUs one replica of the workload holds (its nvidia.com/gpu request). */
  gpusPerReplica: number;
  repeat: Repeat;
  timeZone: string;
  /** Multiplies the peak replicas into the most the live signal may scale to. */
  safetyFactor: number;
  /** At most this many GPUs for the workload (a quota, the node groups' maximum); undefined for no limit. */
  maxGpus?: number;
}

export interface ReplicaPlan {
  gpusPerReplica: number;
  /** Replicas planned through the day or week (levels in replicas). */
  schedule: RepeatingSchedule;
  /** The scheduled floor's lowest level, and the most replicas the live signal may add up to (safety factor). */
  minReplicas: number;
  maxReplicas: number;
  cap?: Cap;
}

/**
 * Replicas for the workload: GPUs needed ÷ GPUs per replica, rounded up, scheduled to repeat with the cold-start
 * lead (repeatingSchedule), and cut to the GPUs allowed when the plan needs more.
 */
export function replicaPlan(input: ReplicaPlanInput): ReplicaPlan {
  const { gpusPerReplica, maxGpus } = input;
  if (!(Number.isFinite(gpusPerReplica) && gpusPerReplica > 0)) {
    throw new CapacityInputError(
      'gpusPerReplica',
      `GPUs per replica must be a positive number (the workload's nvidia.com/gpu request, e.g. 1, 2 or 8), got ${gpusPerReplica}.`
    );
  }
  checkSafetyFactor(input.safetyFactor);
  const allowedReplicas = maxGpus === undefined ? Number.POSITIVE_INFINITY : Math.floor(maxGpus / gpusPerReplica);
  if (allowedReplicas < 1) {
    throw new CapacityInputError(
      'maxGpus',
      `At most ${maxGpus} GPUs are allowed, fewer than one replica of ${gpusPerReplica} GPUs holds.`
    );
  }
  const needed = input.gpusNeeded.map((g) => Math.ceil(Math.max(0, g) / gpusPerReplica - 1e-9));
  const peakNeeded = Math.max(...needed);
  const cap =
    peakNeeded > allowedReplicas
      ? capOf(
          peakNeeded * gpusPerReplica,
          allowedReplicas * gpusPerReplica,
          `At its peak the plan's ${peakNeeded} replicas`
        )
      : undefined;
  const schedule = repeatingSchedule({
    timestampsSeconds: input.timestampsSeconds,
    needed: needed.map((r) => Math.min(r, allowedReplicas)),
    coldStartLeadSeconds: input.coldStartLeadSeconds,
    repeat: input.repeat,
    timeZone: input.timeZone,
  });
  return {
    gpusPerReplica,
    schedule,
    minReplicas: schedule.baseline,
    maxReplicas: Math.max(1, Math.min(allowedReplicas, withSafety(schedule.peak, input.safetyFactor))),
    cap,
  };
}
