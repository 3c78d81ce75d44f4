/** @jest-environment node */
import { UsageError } from './args';
import { combineDuplicates, timestampUnit } from './csvTimestamps';

describe('timestampUnit', () => {
  it('takes unix seconds and trace-relative seconds for seconds, unix milliseconds for milliseconds', () => {
    // 2026-12-05T00:00:00Z = 1,796,428,800 s = 1,796,428,800,000 ms.
    expect(timestampUnit([1796428800, 1796428860], undefined, 'f')).toBe('s');
    expect(timestampUnit([0, 60, 1000.5], undefined, 'f')).toBe('s');
    expect(timestampUnit([1796428800000, 1796428860000, NaN], undefined, 'f')).toBe('ms');
  });

  it('refuses a mix of units and microseconds, saying what to pass; a given unit wins', () => {
    expect(() => timestampUnit([1796428800, 1796428860000], undefined, 'util.csv')).toThrow(UsageError);
    expect(() => timestampUnit([1796428800, 1796428860000], undefined, 'util.csv')).toThrow(
      /util.csv: the timestamps mix seconds \(1 under 1e11\) and milliseconds \(1 from 1e11\).*--timestamp-unit s\|ms/
    );
    expect(() => timestampUnit([1796428800000000], undefined, 'f')).toThrow(/microseconds or nanoseconds/);
    expect(timestampUnit([1796428800, 1796428860000], 'ms', 'f')).toBe('ms');
  });
});

describe('combineDuplicates', () => {
  it('sorts by time and averages samples that share a timestamp, counting the extra ones', () => {
    // t=60 three times (10, 20, 60 → mean 30), t=0 twice (1, 3 → 2).
    const combined = combineDuplicates([60, 0, 60, 120, 0, 60], [10, 1, 20, 5, 3, 60]);
    expect(combined).toEqual({ timestampsSeconds: [0, 60, 120], values: [2, 30, 5], duplicates: 3 });
  });

  it('leaves samples without a timestamp for the analysis to drop', () => {
    // The NaN between the two t=0 samples must not keep them apart.
    const combined = combineDuplicates([0, NaN, 0, NaN], [1, 2, 3, 4]);
    expect(combined).toEqual({ timestampsSeconds: [0, NaN, NaN], values: [2, 2, 4], duplicates: 1 });
  });
});
