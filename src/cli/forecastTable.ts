/**
 * The forecast itself, compact enough to read in a terminal: one row an hour for short horizons, else one row per
 * block of hours giving the block's envelope (highest expected value, lowest lower and highest upper bound), so that
 * a peak between two rows is never hidden.
 */
import type { Interval } from '../engine/forecast';

/** Hours a row may cover; the smallest that keeps the table within MAX_ROWS rows is used. */
const BLOCK_HOURS = [1, 2, 3, 6, 12, 24];
const MAX_ROWS = 48;

export interface ForecastTableRow {
  /** Start of the first hour the row covers. */
  startSeconds: number;
  /** Hours covered (the last row may cover fewer). */
  hours: number;
  /** The mean forecast; over several hours its highest value. */
  expected: number;
  /** Per level, the lowest lower and highest upper bound over the row's hours. */
  intervals: Record<string, { lower: number; upper: number }>;
  /** Capacity in the demand's unit, when known. */
  capacity?: number;
  /**
   * The smallest forecast statistic above capacity within the row: `mean`, else the upper bound of the narrowest
   * interval that is (`80 % upper`); undefined when none exceeds it or capacity is unknown.
   */
  exceeds?: string;
}

export interface ForecastTable {
  everyHours: number;
  rows: ForecastTableRow[];
}

export function forecastTable(
  forecast: { timestampsSeconds: number[]; mean: number[]; intervals: Record<string, Interval> },
  capacity: number | undefined
): ForecastTable {
  const hours = forecast.mean.length;
  const everyHours = BLOCK_HOURS.find((k) => Math.ceil(hours / k) <= MAX_ROWS) ?? Math.ceil(hours / MAX_ROWS);
  const levels = Object.keys(forecast.intervals).sort((a, b) => Number(a) - Number(b));
  const rows: ForecastTableRow[] = [];
  for (let from = 0; from < hours; from += everyHours) {
    const to = Math.min(from + everyHours, hours);
    const expected = Math.max(...forecast.mean.slice(from, to));
    const intervals = Object.fromEntries(
      levels.map((level) => {
        const { lower, upper } = forecast.intervals[level];
        return [level, { lower: Math.min(...lower.slice(from, to)), upper: Math.max(...upper.slice(from, to)) }];
      })
    );
    const exceeds =
      capacity === undefined
        ? undefined
        : expected > capacity
          ? 'mean'
          : levels.find((level) => intervals[level].upper > capacity)?.concat(' % upper');
    rows.push({
      startSeconds: forecast.timestampsSeconds[from],
      hours: to - from,
      expected,
      intervals,
      capacity,
      exceeds,
    });
  }
  return { everyHours, rows };
}

/** The table as text; `iso` formats a time, `unit` names the demand's unit. */
export function formatForecastTable(table: ForecastTable, unit: string, iso: (seconds: number) => string): string[] {
  const levels = Object.keys(table.rows[0]?.intervals ?? {});
  const hasCapacity = table.rows.some((r) => r.capacity !== undefined);
  const header = [
    table.everyHours === 1 ? 'hour' : `${table.everyHours} h from`,
    table.everyHours === 1 ? 'expected' : 'expected (max)',
    ...levels.map((level) => `${level} % interval`),
    ...(hasCapacity ? ['capacity', 'above capacity'] : []),
  ];
  const cells = table.rows.map((r) => [
    iso(r.startSeconds),
    round(r.expected),
    ...levels.map((level) => `${round(r.intervals[level].lower)} – ${round(r.intervals[level].upper)}`),
    ...(hasCapacity ? [r.capacity === undefined ? 'n/a' : round(r.capacity), r.exceeds ?? ''] : []),
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...cells.map((row) => row[c].length)));
  const line = (row: string[]) => `  ${row.map((cell, c) => cell.padEnd(widths[c])).join('  ')}`.trimEnd();
  const title =
    table.everyHours === 1
      ? `Forecast of ${unit}, every hour`
      : `Forecast of ${unit}, every ${table.everyHours} h: highest expected value, lowest lower and highest upper ` +
        `bound within each ${table.everyHours} h (--json has every hour)`;
  return [title, line(header), ...cells.map(line)];
}

function round(x: number): string {
  return String(Math.round(x * 100) / 100);
}
