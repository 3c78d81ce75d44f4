import { monthBoundaryOffsetsSeconds } from './monthBoundaryOffsets';

const H = 3600;

describe('monthBoundaryOffsetsSeconds', () => {
  it('is 0 all year for UTC and the fixed offset all year for a zone without summer time', () => {
    expect(monthBoundaryOffsetsSeconds('UTC', 2026)).toEqual(new Array(12).fill(0));
    // Japan: UTC+9 all year; each boundary (00:00 on the 1st) is 15:00 UTC on the previous month's last day.
    expect(monthBoundaryOffsetsSeconds('Asia/Tokyo', 2026)).toEqual(new Array(12).fill(9 * H));
  });

  it('takes the offset at each boundary, indexed by the UTC month the boundary falls in', () => {
    // EU summer time: last Sunday of March to last Sunday of October. The boundaries 1 Apr … 1 Oct are at +2 and
    // fall in UTC March … September; 1 Nov … 1 Mar are at +1 and fall in UTC October … February.
    expect(monthBoundaryOffsetsSeconds('Europe/Berlin', 2026)).toEqual(
      [1, 1, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1].map((h) => h * H)
    );
    // London is at 0 in winter: those boundaries are the UTC months' own starts and constrain nothing (0). The
    // summer boundaries 1 Apr … 1 Oct (+1) fall in UTC March … September.
    expect(monthBoundaryOffsetsSeconds('Europe/London', 2026)).toEqual(
      [0, 0, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0].map((h) => h * H)
    );
    // US Eastern: daylight time second Sunday of March to first Sunday of November. Boundaries 1 Apr … 1 Nov are at
    // −4 (UTC April … November), 1 Dec … 1 Mar at −5; west of UTC a boundary is in its own UTC month.
    expect(monthBoundaryOffsetsSeconds('America/New_York', 2026)).toEqual(
      [-5, -5, -5, -4, -4, -4, -4, -4, -4, -4, -4, -5].map((h) => h * H)
    );
  });

  it('keeps a half-hour offset', () => {
    expect(monthBoundaryOffsetsSeconds('Asia/Kolkata', 2026)).toEqual(new Array(12).fill(5.5 * H));
  });
});
