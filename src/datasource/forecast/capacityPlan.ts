/**
 * Turns a demand forecast into a capacity plan with the capacity engine: GPUs per hour for the chosen forecast
 * quantile, the scaling schedule (scale-outs a cold-start lead early, scale-ins), the reserved/on-demand/spot mix
 * over the horizon, and when demand exceeds what the fleet can serve. Each engine call takes milliseconds, so this runs where the query runs.
 */
import { exhaustionRisk, gpusNeeded, reservedMix, scaleOutSchedule } from '../../engine/capacity';
import type { GpuPrice } from '../appSettings';
import type { DemandLevel } from '../types';
import type { CapacityPlan } from './capacityFrames';
import { forecastTimestampsSeconds } from './forecastFrames';
import type { ForecastOutcome } from './forecastTask';

export interface CapacitySettings {
  capacityGpus: number;
  /** Demand one fully busy GPU serves, in the forecast's unit. */
  throughputPerGpu: number;
  /** In (0, 1]. */
  targetUtilisation: number;
  coldStartSeconds: number;
  demandLevel: DemandLevel;
  price: GpuPrice;
}

export function planCapacity(outcome: ForecastOutcome, settings: CapacitySettings): CapacityPlan {
  const timestampsSeconds = forecastTimestampsSeconds(outcome);
  const demand = settings.demandLevel === 'mean' ? outcome.mean : outcome.intervals[settings.demandLevel]?.upper;
  if (!demand) {
    throw new Error(`The forecast has no ${settings.demandLevel} % interval to plan for.`);
  }
  const needed = gpusNeeded(demand, {
    throughputPerGpu: settings.throughputPerGpu,
    targetUtilisation: settings.targetUtilisation,
  });
  // Exhaustion is when demand exceeds what the whole fleet serves flat out; the utilisation target is a planning buffer.
  const capacity = settings.capacityGpus * settings.throughputPerGpu;
  const risk = exhaustionRisk({ timestampsSeconds, mean: outcome.mean, intervals: outcome.intervals }, capacity);
  const mix = reservedMix(needed, {
    reservedPerGpuHour: settings.price.reservedPerGpuHour,
    onDemandPerGpuHour: settings.price.onDemandPerGpuHour,
    spotPerGpuHour: settings.price.spotPerGpuHour,
  });
  return {
    timestampsSeconds,
    gpusNeeded: needed,
    capacityGpus: settings.capacityGpus,
    schedule: scaleOutSchedule(timestampsSeconds, needed, settings.coldStartSeconds),
    mix: { gpuModel: settings.price.gpuModel, ...mix },
    exhaustion: {
      headroom: 'exhaustion',
      capacity,
      meanCrossingSeconds: risk.meanCrossingSeconds,
      crossingSecondsByLevel: risk.crossingSecondsByLevel,
    },
  };
}
