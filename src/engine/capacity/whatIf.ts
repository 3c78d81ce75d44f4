/**
 * Launch what-if: the capacity plan of a forecast with business events added at an expected traffic multiplier,
 * beside the plan of the forecast as it is. The events enter the forecast the way the business calendar's
 * multiplicative effects do (engine/forecast/calendar.ts, `knownEffectAt`): overlapping events multiply.
 */
import { knownEffectAt, type BusinessEvent } from '../forecast/calendar';
import type { Interval } from '../forecast/intervals';
import { CapacityInputError } from './errors';
import type { ForecastBands } from './exhaustion';
import { planCapacity, type CapacityPlan, type CapacityPlanInput } from './plan';
import { isoSeconds as iso } from './whatIfText';

const HOUR_SECONDS = 3600;

export interface LaunchEvent {
  name: string;
  startSeconds: number;
  /** Exclusive, as in the business calendar. */
  endSeconds: number;
  /** Traffic inside the event as a multiple of the baseline: 2 doubles it, 0 is an outage; ≥ 0. */
  multiplier: number;
}

/** What one plan adds up to over the horizon, for the side-by-side comparison. */
export interface PlanTotals {
  peakGpus?: number;
  gpuHours?: number;
  /** Expected cost of the reserved / on-demand / spot mix over the whole horizon. */
  cost?: number;
  /** First time the planned forecast (the plan's demand level) exceeds capacity; undefined if never or unknown. */
  exhaustionSeconds?: number;
}

export interface WhatIfResult {
  baseline: { forecast: ForecastBands; plan: CapacityPlan; totals: PlanTotals };
  scenario: { events: LaunchEvent[]; forecast: ForecastBands; plan: CapacityPlan; totals: PlanTotals };
  /** Scenario − baseline; exhaustion as seconds earlier (positive) when both run out. Undefined when unknown. */
  difference: { peakGpus?: number; gpuHours?: number; cost?: number; exhaustionEarlierSeconds?: number };
  /** Overlaps combined, events partly outside the horizon: said for a person. */
  notes: string[];
}

/** The baseline plan and the plan with the launch events, from the same plan input. */
export function whatIf(input: CapacityPlanInput, events: readonly LaunchEvent[]): WhatIfResult {
  const notes = checkEvents(events, input.forecast.timestampsSeconds);
  const forecast = withEvents(input.forecast, events);
  const baselinePlan = planCapacity(input);
  const scenarioPlan = planCapacity({ ...input, forecast });
  const baseline = totalsOf(baselinePlan);
  const scenario = totalsOf(scenarioPlan);
  const minus = (a: number | undefined, b: number | undefined) =>
    a === undefined || b === undefined ? undefined : a - b;
  return {
    baseline: { forecast: input.forecast, plan: baselinePlan, totals: baseline },
    scenario: { events: [...events], forecast, plan: scenarioPlan, totals: scenario },
    difference: {
      peakGpus: minus(scenario.peakGpus, baseline.peakGpus),
      gpuHours: minus(scenario.gpuHours, baseline.gpuHours),
      cost: minus(scenario.cost, baseline.cost),
      exhaustionEarlierSeconds: minus(baseline.exhaustionSeconds, scenario.exhaustionSeconds),
    },
    notes,
  };
}

/**
 * The forecast with each step's mean and interval bounds multiplied by the events' combined multiplier there.
 * Bounds are scaled like the mean because a quantile of m·X is m times the quantile of X for m ≥ 0: the event is
 * modelled as a known multiplicative change of demand, so the spread grows with the level, as a relative error
 * would. The multiplier's own uncertainty is not added: the intervals are those of a launch exactly as large as
 * entered, and a person unsure of it compares two scenarios.
 */
export function withEvents(forecast: ForecastBands, events: readonly LaunchEvent[]): ForecastBands {
  const calendar = events.map(asCalendarEvent);
  const factors = forecast.timestampsSeconds.map((t) => knownEffectAt(calendar, t).factor);
  const scale = (values: number[]) => values.map((v, i) => v * factors[i]);
  const intervals: Record<string, Interval> = {};
  for (const [level, band] of Object.entries(forecast.intervals)) {
    intervals[level] = { ...band, lower: scale(band.lower), upper: scale(band.upper) };
  }
  return { timestampsSeconds: [...forecast.timestampsSeconds], mean: scale(forecast.mean), intervals };
}

/** A launch as the calendar holds a known effect: relative change = multiplier − 1. */
function asCalendarEvent(event: LaunchEvent): BusinessEvent {
  return {
    name: event.name,
    startSeconds: event.startSeconds,
    endSeconds: event.endSeconds,
    effect: { kind: 'multiplicative', value: event.multiplier - 1 },
  };
}

/**
 * Refuses what cannot be a launch (end not after start, a multiplier below 0 or not a number, an event wholly
 * outside the forecast); returns notes for overlaps (combined by multiplying, as the calendar does) and events
 * partly outside the horizon.
 */
function checkEvents(events: readonly LaunchEvent[], timestampsSeconds: readonly number[]): string[] {
  if (timestampsSeconds.length === 0) {
    throw new CapacityInputError('forecast', 'The forecast has no steps to add a launch to.');
  }
  const first = timestampsSeconds[0];
  const last = timestampsSeconds[timestampsSeconds.length - 1];
  const horizon = `the forecast's horizon ${iso(first)} – ${iso(last)}`;
  const notes: string[] = [];
  for (const e of events) {
    if (!Number.isFinite(e.startSeconds) || !Number.isFinite(e.endSeconds) || !(e.endSeconds > e.startSeconds)) {
      throw new CapacityInputError('events', `Event ${e.name}: the end must be a time after the start.`);
    }
    if (!(Number.isFinite(e.multiplier) && e.multiplier >= 0)) {
      throw new CapacityInputError(
        'events',
        `Event ${e.name}: the traffic multiplier must be a number ≥ 0 (2 doubles traffic, 0 is an outage), got ` +
          `${e.multiplier}.`
      );
    }
    if (e.endSeconds <= first || e.startSeconds > last) {
      throw new CapacityInputError(
        'events',
        `Event ${e.name} (${iso(e.startSeconds)} – ${iso(e.endSeconds)}) is outside ${horizon}: it changes no ` +
          'forecast step. Move it, or forecast further (a longer horizon or a later end).'
      );
    }
    if (e.startSeconds < first || e.endSeconds > last + stepOf(timestampsSeconds)) {
      notes.push(`Event ${e.name} reaches beyond ${horizon}: only its part inside is planned.`);
    }
  }
  for (const [i, a] of events.entries()) {
    for (const b of events.slice(i + 1)) {
      const from = Math.max(a.startSeconds, b.startSeconds);
      const to = Math.min(a.endSeconds, b.endSeconds);
      if (from < to) {
        notes.push(
          `Events ${a.name} and ${b.name} overlap ${iso(from)} – ${iso(to)}: their multipliers multiply there ` +
            `(×${a.multiplier} × ${b.multiplier} = ×${a.multiplier * b.multiplier}).`
        );
      }
    }
  }
  return notes;
}

function totalsOf(plan: CapacityPlan): PlanTotals {
  const hours = (stepOf(plan.timestampsSeconds) / HOUR_SECONDS) * plan.timestampsSeconds.length;
  const needed = plan.gpus?.gpusNeeded;
  const level = plan.demand.level;
  return {
    peakGpus: plan.gpus?.peakGpus,
    gpuHours: needed && (needed.reduce((s, g) => s + g, 0) * stepOf(plan.timestampsSeconds)) / HOUR_SECONDS,
    cost: plan.mix && plan.mix.expectedCostPerHour * hours,
    exhaustionSeconds:
      level === 'mean' ? plan.exhaustion?.meanCrossingSeconds : plan.exhaustion?.crossingSecondsByLevel[level],
  };
}

/** The forecast's step; one step of an hour when it has a single timestamp. */
function stepOf(timestampsSeconds: readonly number[]): number {
  return timestampsSeconds.length > 1 ? timestampsSeconds[1] - timestampsSeconds[0] : HOUR_SECONDS;
}
