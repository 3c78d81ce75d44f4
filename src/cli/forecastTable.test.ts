import { forecastTable, formatForecastTable } from './forecastTable';

const iso = (seconds: number) => new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');

/** An hourly forecast starting at 0 s: mean[h], 80 % = mean ± 1, 95 % = mean ± 2. */
function hourly(mean: number[]) {
  return {
    timestampsSeconds: mean.map((_, h) => h * 3600),
    mean,
    intervals: {
      '95': { lower: mean.map((m) => m - 2), upper: mean.map((m) => m + 2) },
      '80': { lower: mean.map((m) => m - 1), upper: mean.map((m) => m + 1) },
    },
  };
}

describe('forecastTable', () => {
  it('one row an hour for short horizons, naming the smallest statistic above capacity', () => {
    // capacity 10: hour 0 (mean 5) nothing above; hour 1 (mean 8.5) 95 % upper 10.5; hour 2 (mean 9.5) 80 % upper
    // 10.5; hour 3 (mean 11) the mean itself.
    const table = forecastTable(hourly([5, 8.5, 9.5, 11]), 10);
    expect(table.everyHours).toBe(1);
    expect(table.rows.map((r) => [r.startSeconds, r.hours, r.expected, r.exceeds])).toEqual([
      [0, 1, 5, undefined],
      [3600, 1, 8.5, '95 % upper'],
      [7200, 1, 9.5, '80 % upper'],
      [10800, 1, 11, 'mean'],
    ]);
    expect(table.rows[1].intervals).toEqual({ '80': { lower: 7.5, upper: 9.5 }, '95': { lower: 6.5, upper: 10.5 } });
  });

  it('48 hours stay hourly; 49 to 96 hours go by 2 h, 168 hours by 6 h (at most 48 rows)', () => {
    expect(forecastTable(hourly(new Array(48).fill(1)), 10).rows).toHaveLength(48);
    expect(forecastTable(hourly(new Array(49).fill(1)), 10).everyHours).toBe(2);
    // ceil(168 / 3) = 56 > 48, ceil(168 / 6) = 28.
    const week = forecastTable(hourly(new Array(168).fill(1)), 10);
    expect([week.everyHours, week.rows.length]).toEqual([6, 28]);
  });

  it('a block shows its envelope, so a peak between two rows is not hidden', () => {
    // 49 hours by 2 h: block 0 holds hours 0–1 (means 1 and 7), the last block hour 48 alone (mean 3).
    const mean = new Array(49).fill(2);
    mean[1] = 7;
    mean[48] = 3;
    const table = forecastTable(hourly(mean), 6);
    const first = table.rows[0];
    expect([first.hours, first.expected, first.exceeds]).toEqual([2, 7, 'mean']);
    // lowest lower bound: hour 0's 2 − 2 = 0; highest upper bound: hour 1's 7 + 2 = 9.
    expect(first.intervals['95']).toEqual({ lower: 0, upper: 9 });
    expect(table.rows[24]).toMatchObject({ startSeconds: 48 * 3600, hours: 1, expected: 3, exceeds: undefined });
  });

  it('without capacity, no capacity columns', () => {
    const table = forecastTable(hourly([1.234, 2]), undefined);
    expect(table.rows[0].exceeds).toBeUndefined();
    expect(formatForecastTable(table, 'requests', iso)).toEqual([
      'Forecast of requests, every hour',
      '  hour                  expected  80 % interval  95 % interval',
      '  1970-01-01T00:00:00Z  1.23      0.23 – 2.23    -0.77 – 3.23',
      '  1970-01-01T01:00:00Z  2         1 – 3          0 – 4',
    ]);
  });

  it('prints capacity and what is above it', () => {
    expect(formatForecastTable(forecastTable(hourly([9.5]), 10), 'GPUs', iso)).toEqual([
      'Forecast of GPUs, every hour',
      '  hour                  expected  80 % interval  95 % interval  capacity  above capacity',
      '  1970-01-01T00:00:00Z  9.5       8.5 – 10.5     7.5 – 11.5     10        80 % upper',
    ]);
  });
});
