/**
 * Business calendar: launches, promotions, migrations. An event with an `effect` applies it over
 * [startSeconds, endSeconds); one without gets its effect learnt from past occurrences of the same
 * name (see `fourierRegression`).
 */
export interface EventEffect {
  /**
   * `multiplicative`: value is the relative change, 0.5 = +50 %, −0.2 = −20 %; overlapping ones
   * multiply (+50 % and −20 % give ×1.5 × 0.8 = ×1.2). `additive`: value is added in the series'
   * unit; overlapping ones add, after the multiplicative ones are applied.
   */
  kind: 'multiplicative' | 'additive';
  value: number;
}

export interface BusinessEvent {
  name: string;
  startSeconds: number;
  /** Exclusive. */
  endSeconds: number;
  effect?: EventEffect;
}

export const isActive = (event: BusinessEvent, timeSeconds: number) =>
  timeSeconds >= event.startSeconds && timeSeconds < event.endSeconds;

/** Known effects at a time as value = base × factor + offset. */
export function knownEffectAt(
  events: readonly BusinessEvent[],
  timeSeconds: number
): { factor: number; offset: number } {
  let factor = 1;
  let offset = 0;
  for (const event of events) {
    if (event.effect && isActive(event, timeSeconds)) {
      if (event.effect.kind === 'multiplicative') {
        factor *= 1 + event.effect.value;
      } else {
        offset += event.effect.value;
      }
    }
  }
  return { factor, offset };
}

/** True when some event overlaps [fromSeconds, toSeconds). */
export const anyEventIn = (events: readonly BusinessEvent[], fromSeconds: number, toSeconds: number) =>
  events.some((e) => e.startSeconds < toSeconds && e.endSeconds > fromSeconds);

/** A reason the events cannot be used, written for a person, or undefined when they are fine. */
export function invalidEvents(events: readonly BusinessEvent[]): string | undefined {
  for (const [i, e] of events.entries()) {
    if (typeof e.name !== 'string' || e.name === '') {
      return `event ${i}: "name" must be a non-empty string`;
    }
    if (!Number.isFinite(e.startSeconds) || !Number.isFinite(e.endSeconds) || !(e.endSeconds > e.startSeconds)) {
      return `event ${i} (${e.name}): the end must be a finite time after the start`;
    }
    if (e.effect !== undefined) {
      if (e.effect.kind !== 'multiplicative' && e.effect.kind !== 'additive') {
        return `event ${i} (${e.name}): effect kind must be "multiplicative" or "additive"`;
      }
      if (!Number.isFinite(e.effect.value) || (e.effect.kind === 'multiplicative' && !(e.effect.value > -1))) {
        return `event ${i} (${e.name}): a multiplicative effect must be a finite relative change above −1`;
      }
    }
  }
  return undefined;
}
