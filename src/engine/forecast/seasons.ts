export const DAY_SECONDS = 86_400;
export const WEEK_SECONDS = 7 * DAY_SECONDS;

/** Steps per season, or 0 when the season is not a whole number (≥ 2) of steps and so cannot be used. */
export function seasonSteps(periodSeconds: number, stepSeconds: number): number {
  const steps = periodSeconds / stepSeconds;
  return Number.isInteger(steps) && steps >= 2 ? steps : 0;
}
