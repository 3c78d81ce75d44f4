/**
 * Where a simulation starts for a given end and length. Anchored to UTC midnight (one day of warm-up
 * before the window) so a history written today and a live endpoint started today see the same fleet.
 */
const DAY_SECONDS = 86400;

export function simulationStartSeconds(endSeconds: number, days: number): number {
  return Math.floor((endSeconds - days * DAY_SECONDS) / DAY_SECONDS) * DAY_SECONDS - DAY_SECONDS;
}

export interface SampleTimes {
  firstSeconds: number;
  stepSeconds: number;
  count: number;
}

/** Sample times ending at `endSeconds` rounded down to the step, covering `days`. */
export function sampleTimes(endSeconds: number, days: number, stepSeconds: number): SampleTimes {
  const lastSeconds = Math.floor(endSeconds / stepSeconds) * stepSeconds;
  const count = Math.floor((days * DAY_SECONDS) / stepSeconds);
  return { firstSeconds: lastSeconds - (count - 1) * stepSeconds, stepSeconds, count };
}
