import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const HOUR = 3600;
const MIDNIGHT = 1_700_006_400;

function runBatch(lines: string[]): Array<Record<string, any>> {
  const result = spawnSync('npx', ['tsx', 'src/cli/main.ts', 'forecast', '--batch'], {
    cwd: ROOT,
    input: lines.join('\n') + '\n',
    encoding: 'utf8',
  });
  expect(result.status).toBe(0);
  return result.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
}

describe('headroom forecast --batch', () => {
  const timestamps = Array.from({ length: 24 * 14 }, (_, k) => MIDNIGHT + k * HOUR);
  // Demand = 100 + 10 × hour of day, exactly, every day: the next day is known by hand.
  const daily = timestamps.map((_, k) => 100 + 10 * (k % 24));
  const task = (id: string, extra: Record<string, unknown> = {}) =>
    JSON.stringify({ id, step_seconds: HOUR, horizon: 24, timestamps, values: daily, ...extra });

  it('answers every task in order, with an error line for those it cannot serve', () => {
    const out = runBatch([
      task('exact', { levels: [80, 95] }),
      '{"id": "broken", "step_seconds": 3600,',
      task('no-horizon', { horizon: 0 }),
      task('all-null', { values: timestamps.map(() => null) }),
      JSON.stringify({ id: 'missing-values', step_seconds: HOUR, horizon: 3, timestamps }),
      task('default-levels', { levels: undefined, horizon: 36 }),
    ]);
    expect(out).toHaveLength(6);
    expect(out.map((o) => o.id)).toEqual(['exact', null, 'no-horizon', 'all-null', 'missing-values', 'default-levels']);
    for (const failed of out.slice(1, 5)) {
      expect(Object.keys(failed).sort()).toEqual(['error', 'id']);
      expect(typeof failed.error).toBe('string');
    }

    const exact = out[0];
    expect(Object.keys(exact).sort()).toEqual(['backtest_coverage', 'fit_ms', 'id', 'intervals', 'mean', 'model']);
    expect(typeof exact.model).toBe('string');
    expect(exact.fit_ms).toBeGreaterThanOrEqual(0);
    exact.mean.forEach((m: number, h: number) => expect(m).toBeCloseTo(100 + 10 * h, 4));
    for (const level of ['80', '95']) {
      expect(exact.intervals[level].lower).toHaveLength(24);
      exact.intervals[level].lower.forEach((l: number, h: number) =>
        expect(l).toBeLessThanOrEqual(exact.mean[h] + 1e-9)
      );
      exact.intervals[level].upper.forEach((u: number, h: number) =>
        expect(u).toBeGreaterThanOrEqual(exact.mean[h] - 1e-9)
      );
    }

    const defaults = out[5];
    expect(Object.keys(defaults.intervals).sort()).toEqual(['80', '95']);
    expect(defaults.mean).toHaveLength(36);
    // Hour 24 of the horizon is midnight again.
    expect(defaults.mean[24]).toBeCloseTo(100, 4);
  });

  it('says how often its own backtest fell inside each interval, never less often for the wider one', () => {
    // The daily shape plus a pseudo-random ±5 wobble, so the backtest has errors to measure.
    let state = 11;
    const wobble = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5) * 10;
    const [noisy] = runBatch([task('noisy', { values: daily.map((v) => v + wobble()) })]);
    expect(Object.keys(noisy.backtest_coverage).sort()).toEqual(['80', '95']);
    for (const share of Object.values<number>(noisy.backtest_coverage)) {
      expect(share).toBeGreaterThanOrEqual(0);
      expect(share).toBeLessThanOrEqual(1);
    }
    // The 95 % interval contains the 80 % one, so it holds every actual the 80 % one holds.
    expect(noisy.backtest_coverage['95']).toBeGreaterThanOrEqual(noisy.backtest_coverage['80']);
  });

  it("writes the engine's too little history in English, as it always has", () => {
    // 160 hours: 30 observed, 100 missing (longer than the 3 h bridged), 30 observed: 100 of 160 missing, more than
    // half; 60 observed of the 80 needed.
    const hours = timestamps.slice(0, 160);
    const values = hours.map((_, k) => (k < 30 || k >= 130 ? daily[k] : null));
    const [out] = runBatch([
      JSON.stringify({ id: 'gappy', step_seconds: HOUR, horizon: 24, timestamps: hours, values }),
    ]);
    expect(out).toEqual({
      id: 'gappy',
      error:
        'line 1: insufficient history: more than half of the buckets are missing; widen the step or the range ' +
        '(have 60 steps, need at least 80)',
    });
  });

  it('answers an oversized task with an error naming the limit and goes on with the next ones', () => {
    // The history is 14 days of hours, 336 steps: a horizon of 336 is served, 337 or a billion are not (the history
    // bounds it first); two samples ten years apart on a 1 s step would need a grid of 315,360,001 steps.
    const started = Date.now();
    const out = runBatch([
      task('before'),
      task('huge', { horizon: 1_000_000_000 }),
      '',
      '{"id": "broken", "step_seconds": 3600,',
      task('year', { horizon: 8760 }),
      JSON.stringify({ id: 'wide', step_seconds: 1, horizon: 1, timestamps: [0, 10 * 365 * 86400], values: [1, 2] }),
      task('longest', { horizon: 336 }),
      task('after'),
    ]);
    // Without the bound the billion-step task ran the process out of memory after about 40 s: nothing after it.
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(out.map((o) => o.id)).toEqual(['before', 'huge', null, 'year', 'wide', 'longest', 'after']);
    expect(out[1].error).toBe(
      'line 2: "horizon": the horizon of 1,000,000,000 steps (41,666,666.7 days) is longer than the history of 336 ' +
        'steps (14 days): a forecast looks at most as far ahead as its history looks back, because beyond that its ' +
        'backtest cannot say how wrong it gets. Ask for at most 336 steps, or give more history.'
    );
    // Line 3 is blank and skipped; the malformed task is on line 4.
    expect(out[2].error).toMatch(/^line 4: malformed JSON: /);
    expect(out[3].error).toMatch(
      /^line 5: "horizon": the horizon of 8,760 steps \(365 days\) is longer than the history/
    );
    expect(out[4].error).toMatch(/^line 6: the timestamps span 315,360,001 steps of 1 s, more than the 1,000,000/);
    expect(out[5].mean).toHaveLength(336);
    for (const served of [out[0], out[6]]) {
      served.mean.forEach((m: number, h: number) => expect(m).toBeCloseTo(100 + 10 * h, 4));
    }
  });

  it('takes an optional business calendar and rejects a malformed one', () => {
    // A daily sine (which the regression represents exactly); days 4 and 11 were promotions at ×1.5
    // of it, and day 14 (the horizon) is one too.
    const sine = (k: number) => 100 + 20 * Math.sin((2 * Math.PI * k) / 24);
    const day = (d: number) => ({
      name: 'promo',
      start_seconds: MIDNIGHT + d * 24 * HOUR,
      end_seconds: MIDNIGHT + (d + 1) * 24 * HOUR,
    });
    const values = timestamps.map((_, k) => ([4, 11].includes(Math.floor(k / 24)) ? 1.5 : 1) * sine(k));
    const out = runBatch([
      task('promo', { values, events: [day(4), day(11), day(14)] }),
      task('bad-events', { events: [{ name: 'promo', start_seconds: 10, end_seconds: 5 }] }),
      task('known-effect', {
        values: timestamps.map((_, k) => sine(k)),
        events: [{ ...day(14), effect: { kind: 'additive', value: 7 } }],
      }),
    ]);
    expect(Object.keys(out[0]).sort()).toEqual(['backtest_coverage', 'fit_ms', 'id', 'intervals', 'mean', 'model']);
    expect(out[0].model).toBe('regression');
    out[0].mean.forEach((m: number, h: number) => expect(m).toBeCloseTo(1.5 * sine(h), 4));
    expect(out[1]).toEqual({ id: 'bad-events', error: expect.stringMatching(/"events".*after the start/) });
    out[2].mean.forEach((m: number, h: number) => expect(m).toBeCloseTo(sine(h) + 7, 4));
  });
});
