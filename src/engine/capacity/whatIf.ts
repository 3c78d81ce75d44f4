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
  /** The code of each note, in the same order, for a page to word it in the user's language. */
  noteCodes: WhatIfNote[];
}

/** A note on the launch's events: `whatIfNoteText` writes its English. */
export type WhatIfNote =
  | { code: 'what-if-beyond-horizon'; event: string; firstSeconds: number; lastSeconds: number }
  | {
      code: 'what-if-overlap';
      events: [string, string];
      fromSeconds: number;
      toSeconds: number;
      multipliers: [number, number];
    };

/** Why a launch cannot be planned: `whatIfRefusalText` writes its English. */
export type WhatIfRefusal =
  | { code: 'what-if-no-steps' }
  | { code: 'what-if-end-before-start'; event: string }
  | { code: 'what-if-bad-multiplier'; event: string; multiplier: number }
  | {
      code: 'what-if-outside-horizon';
      event: string;
      startSeconds: number;
      endSeconds: number;
      firstSeconds: number;
      lastSeconds: number;
    };

/** A launch that cannot be planned, with the code of its reason. */
export class WhatIfRefusedError extends CapacityInputError {
  constructor(readonly refusal: WhatIfRefusal) {
    super(refusal.code === 'what-if-no-steps' ? 'forecast' : 'events', whatIfRefusalText(refusal));
  }
}

const horizonText = (firstSeconds: number, lastSeconds: number) =>
  `the forecast's horizon ${iso(firstSeconds)} – ${iso(lastSeconds)}`;

export function whatIfNoteText(note: WhatIfNote): string {
  switch (note.code) {
    case 'what-if-beyond-horizon':
      return (
        `Event ${note.event} reaches beyond ${horizonText(note.firstSeconds, note.lastSeconds)}: only its part ` +
        'inside is planned.'
      );
    case 'what-if-overlap': {
      const [a, b] = note.multipliers;
      return (
        `Events ${note.events[0]} and ${note.events[1]} overlap ${iso(note.fromSeconds)} – ${iso(note.toSeconds)}: ` +
        `their multipliers multiply there (×${a} × ${b} = ×${a * b}).`
      );
    }
  }
}

export function whatIfRefusalText(refusal: WhatIfRefusal): string {
  switch (refusal.code) {
    case 'what-if-no-steps':
      return 'The forecast has no steps to add a launch to.';
    case 'what-if-end-before-start':
      return `Event ${refusal.event}: the end must be a time after the start.`;
    case 'what-if-bad-multiplier':
      return (
        `Event ${refusal.event}: the traffic multiplier must be a number ≥ 0 (2 doubles traffic, 0 is an outage), ` +
        `got ${refusal.multiplier}.`
      );
    case 'what-if-outside-horizon':
      return (
        `Event ${refusal.event} (${iso(refusal.startSeconds)} – ${iso(refusal.endSeconds)}) is outside ` +
        `${horizonText(refusal.firstSeconds, refusal.lastSeconds)}: it changes no forecast step. Move it, or ` +
        'forecast further (a longer horizon or a later end).'
      );
  }
}

/** The baseline plan and the plan with the launch events, from the same plan input. */
export function whatIf(input: CapacityPlanInput, events: readonly LaunchEvent[]): WhatIfResult {
  const noteCodes = checkEvents(events, input.forecast.timestampsSeconds);
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
    notes: noteCodes.map(whatIfNoteText),
    noteCodes,
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
function checkEvents(events: readonly LaunchEvent[], timestampsSeconds: readonly number[]): WhatIfNote[] {
  if (timestampsSeconds.length === 0) {
    throw new WhatIfRefusedError({ code: 'what-if-no-steps' });
  }
  const first = timestampsSeconds[0];
  const last = timestampsSeconds[timestampsSeconds.length - 1];
  const horizon = { firstSeconds: first, lastSeconds: last };
  const notes: WhatIfNote[] = [];
  for (const e of events) {
    if (!Number.isFinite(e.startSeconds) || !Number.isFinite(e.endSeconds) || !(e.endSeconds > e.startSeconds)) {
      throw new WhatIfRefusedError({ code: 'what-if-end-before-start', event: e.name });
    }
    if (!(Number.isFinite(e.multiplier) && e.multiplier >= 0)) {
      throw new WhatIfRefusedError({ code: 'what-if-bad-multiplier', event: e.name, multiplier: e.multiplier });
    }
    if (e.endSeconds <= first || e.startSeconds > last) {
      throw new WhatIfRefusedError({
        code: 'what-if-outside-horizon',
        event: e.name,
        startSeconds: e.startSeconds,
        endSeconds: e.endSeconds,
        ...horizon,
      });
    }
    if (e.startSeconds < first || e.endSeconds > last + stepOf(timestampsSeconds)) {
      notes.push({ code: 'what-if-beyond-horizon', event: e.name, ...horizon });
    }
  }
  for (const [i, a] of events.entries()) {
    for (const b of events.slice(i + 1)) {
      const from = Math.max(a.startSeconds, b.startSeconds);
      const to = Math.min(a.endSeconds, b.endSeconds);
      if (from < to) {
        notes.push({
          code: 'what-if-overlap',
          events: [a.name, b.name],
          fromSeconds: from,
          toSeconds: to,
          multipliers: [a.multiplier, b.multiplier],
        });
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
