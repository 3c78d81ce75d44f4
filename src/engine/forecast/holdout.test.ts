/** @jest-environment node */
import { holdoutScores } from './holdout';
import { fourierRegression } from './regression';
import { seasonalNaive } from './seasonalNaive';
import { DAY_SECONDS } from './seasons';

const HOUR = 3600;
const START = Date.UTC(2025, 0, 6) / 1000; // a Monday, 00:00 UTC

const hours = (count: number) => Array.from({ length: count }, (_, h) => START + h * HOUR);
/** 30 at midnight-ish, 40 at 14:00, 20 at 02:00: a pure daily sinusoid. */
const rhythm = (t: number) => 30 + 10 * Math.sin((2 * Math.PI * (((t / HOUR) % 24) - 8)) / 24);

const dayNaive = seasonalNaive('seasonal_naive_day', DAY_SECONDS);
const naive = seasonalNaive('naive', 'step');
const regression = fourierRegression({ dailyHarmonics: 6, weeklyHarmonics: 3 });
const request = { stepSeconds: HOUR, horizonSteps: 24, levels: [80, 95] };

describe('holdoutScores', () => {
  it('holds out the horizon and scores an exact model as exact', () => {
    const t = hours(10 * 24);
    const scores = holdoutScores(
      { timestampsSeconds: t, values: t.map(rhythm) },
      request,
      { name: 'seasonal_naive_day', models: [dayNaive] },
      [dayNaive, naive]
    );
    expect(scores.holdoutSteps).toBe(24);
    // Yesterday's value at the same hour is today's: no error, and the zero-width band holds every actual. MASE is
    // undefined: the daily seasonal-naive error it divides by is zero on this history too.
    expect(scores.accuracy).toEqual({
      model: 'seasonal_naive_day',
      wape: 0,
      mase: NaN,
      coverage: { '80': 1, '95': 1 },
    });
    expect(scores.backtest.map((row) => row.model)).toEqual(['seasonal_naive_day', 'naive']);
    // The flat naive line misses the rhythm.
    expect(scores.backtest[1].wape).toBeGreaterThan(0.1);
  });

  it('names the model an automatic method chose', () => {
    const t = hours(10 * 24);
    const scores = holdoutScores(
      { timestampsSeconds: t, values: t.map(rhythm) },
      request,
      { name: 'auto', models: [dayNaive, naive] },
      []
    );
    expect(scores.accuracy?.model).toMatch(/^auto → /);
  });

  it('holds out at most a quarter of the history', () => {
    // 10 days span 239 h: a 168 h horizon holds out floor(239 / 4) = 59 h.
    const t = hours(10 * 24);
    const scores = holdoutScores(
      { timestampsSeconds: t, values: t.map(rhythm) },
      { ...request, horizonSteps: 168 },
      { name: 'naive', models: [naive] },
      []
    );
    expect(scores.holdoutSteps).toBe(59);
  });

  it('gives no scores when a quarter of the history is shorter than a day', () => {
    // 3 days span 71 h: a quarter is 17 h, less than the day a 24 h horizon asks for.
    const t = hours(3 * 24);
    expect(
      holdoutScores({ timestampsSeconds: t, values: t.map(rhythm) }, request, { name: 'naive', models: [naive] }, [
        naive,
      ])
    ).toEqual({
      backtest: [],
      holdoutSteps: 0,
    });
    expect(
      holdoutScores(
        { timestampsSeconds: t, values: t.map(() => null) },
        request,
        { name: 'naive', models: [naive] },
        []
      )
    ).toEqual({
      backtest: [],
      holdoutSteps: 0,
    });
  });

  it('compares only the hours that were observed', () => {
    // Constant 10 with one held-out hour at 20: the naive forecast 10 misses it by 10 out of 23 × 10 + 20 = 250.
    const t = hours(10 * 24);
    const values: Array<number | null> = t.map(() => 10);
    values[230] = 20;
    const method = { name: 'naive', models: [naive] };
    expect(holdoutScores({ timestampsSeconds: t, values }, request, method, []).accuracy?.wape).toBeCloseTo(
      10 / 250,
      10
    );
    values[230] = null;
    expect(holdoutScores({ timestampsSeconds: t, values }, request, method, []).accuracy?.wape).toBe(0);
  });

  it('passes business events to the refit: a known effect in the held-out day is forecast', () => {
    // The rhythm, +50 % from 10:00 to 16:00 on the held-out last day; the regression fits the rhythm exactly and,
    // told of the event, multiplies those hours by 1.5: no error. Without the event it misses 6 hours by half their value.
    const t = hours(10 * 24);
    const event = {
      name: 'launch',
      startSeconds: START + (9 * 24 + 10) * HOUR,
      endSeconds: START + (9 * 24 + 16) * HOUR,
    };
    const effect = { kind: 'multiplicative' as const, value: 0.5 };
    const values = t.map((time) => rhythm(time) * (time >= event.startSeconds && time < event.endSeconds ? 1.5 : 1));
    const method = { name: 'regression', models: [regression] };
    const informed = holdoutScores(
      { timestampsSeconds: t, values },
      { ...request, events: [{ ...event, effect }] },
      method,
      []
    );
    const blind = holdoutScores({ timestampsSeconds: t, values }, request, method, []);
    expect(informed.accuracy!.wape).toBeLessThan(1e-6);
    const eventHours = t.filter((time) => time >= event.startSeconds && time < event.endSeconds);
    const missed = eventHours.reduce((sum, time) => sum + 0.5 * rhythm(time), 0);
    const lastDay = values.slice(-24).reduce((a, b) => a + b, 0);
    expect(blind.accuracy!.wape).toBeCloseTo(missed / lastDay, 6);
  });
});
