import { monthBounds } from '../efficiency/calendarMonth';

/**
 * What a rule evaluated by Prometheus needs to find the budget's calendar month, whose functions (`month()`,
 * `day_of_month()`, `days_in_month()`, `hour()`) read UTC: for each UTC month 1–12, the seconds to add to a UTC time
 * so that those functions read the budget zone's wall clock near the month boundary that falls inside that UTC month.
 *
 * A month boundary of a zone east of UTC falls in the last hours of the previous UTC month, of a zone west of UTC in
 * the first hours of the same UTC month, so each UTC month holds at most one boundary; its offset is the zone's offset
 * at that boundary (clocks change on Sundays in spring and autumn, not at month boundaries, so the boundary's offset
 * is the same every year while the zone's rules stay). A UTC month whose boundary lies exactly at its start (offset 0
 * there) or in a neighbour gets no constraint and 0. Away from the boundaries the offset may be an hour off the clock
 * in summer, which moves the hours left in the month by at most one (docs/budget-guard-rails.md).
 */
export function monthBoundaryOffsetsSeconds(timeZone: string, year: number): number[] {
  const offsets: Array<number | undefined> = new Array(12).fill(undefined);
  for (let month0 = 0; month0 < 12; month0++) {
    const wallSeconds = Date.UTC(year, month0, 1) / 1000;
    // Mid-month is inside the zone's month whatever its offset; its bounds give the boundary's instant.
    const boundary = monthBounds(Date.UTC(year, month0, 15) / 1000, timeZone).startSeconds;
    const offset = wallSeconds - boundary;
    const utcMonth0 = new Date(boundary * 1000).getUTCMonth();
    if (offset !== 0) {
      offsets[utcMonth0] = offset;
    }
  }
  return offsets.map((offset) => offset ?? 0);
}
