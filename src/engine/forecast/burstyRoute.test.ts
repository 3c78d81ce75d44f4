/** @jest-environment node */
import type { AutoForecast } from './auto';
import { withPeakEnvelope } from './burstyRoute';
import { holdoutScores } from './holdout';
import { defaultForecasters, forecastRaw } from './pipeline';

const TEN_MINUTES = 600;
const DAY = 144;
const START = 1_700_006_400; // a midnight (UTC)

/** Seven days of an empty queue that fills for an hour or two at a different time each day. */
function queueDepth(): number[] {
  return Array.from({ length: 7 * DAY }, (_, t) => {
    const day = Math.floor(t / DAY);
    const start = (37 * day + 20) % (DAY - 12);
    const at = t % DAY;
    return at >= start && at < start + 6 + (day % 3) * 3 ? 16 + 8 * (day % 4) : 0;
  });
}

const raw = (values: number[]) => ({ timestampsSeconds: values.map((_, t) => START + t * TEN_MINUTES), values });
const request = { stepSeconds: TEN_MINUTES, horizonSteps: DAY, levels: [80, 95] };

describe('the bursty route in forecastRaw', () => {
  it('forecasts a bursty 10-minute series with the bursty candidates only, its mean below the bursts', () => {
    const values = queueDepth();
    const result = forecastRaw(raw(values), request, defaultForecasters());
    expect(Object.keys(result.backtestMae).sort()).toEqual(['bursty_level', 'double_exponential', 'naive']);
    // The queue was empty at the end: the planned mean is not a burst (every burst is ≥ 16 GPUs).
    expect(Math.max(...result.mean)).toBeLessThan(16);
    // The 95 % plan reaches the largest burst of the week (40 GPUs): seven daily rises, the 95 % level is past the
    // sample (⌈8 · 0.95⌉ = 8 > 7), so it is at least the largest rise.
    expect(Math.max(...result.intervals['95'].upper)).toBeGreaterThanOrEqual(40);
  });

  it('leaves a smooth series, a model chosen by name and an hourly series to the usual models', () => {
    const smooth = Array.from({ length: 7 * DAY }, (_, t) => 100 + 50 * Math.sin((2 * Math.PI * t) / DAY));
    const models = defaultForecasters();
    expect(Object.keys(forecastRaw(raw(smooth), request, models).backtestMae)).not.toContain('bursty_level');
    const named = forecastRaw(raw(queueDepth()), request, [models[0]]);
    expect(Object.keys(named.backtestMae)).toEqual([models[0].name]);
    const hourly = queueDepth().slice(0, 24 * 30);
    const hourlyResult = forecastRaw(
      { timestampsSeconds: hourly.map((_, t) => START + t * 3600), values: hourly },
      { stepSeconds: 3600, horizonSteps: 24, levels: [80, 95] },
      models
    );
    expect(Object.keys(hourlyResult.backtestMae)).not.toContain('bursty_level');
  });
});

describe('the bursty route in the accuracy check', () => {
  it('scores auto as the forecast runs it: through the bursty candidates on a bursty series', () => {
    const models = defaultForecasters();
    const { accuracy } = holdoutScores(raw(queueDepth()), request, { name: 'auto', models }, models);
    expect(accuracy?.model).toMatch(/^auto → .*(bursty_level|double_exponential|naive)/);
    expect(accuracy?.model).not.toMatch(/seasonal_naive|regression/);
    // The check trains on days 0–5 and holds out day 6. Their bursts rise 16, 24, 32, 40, 16, 24 above an empty
    // queue; the 80 % envelope is the ⌈7 · 0.8⌉ = 6th smallest rise, 40, on a level of 0 (the queue is empty at the
    // cut), so day 6's burst of 32 lies inside even the 80 % band at every step (the usual intervals missed part of
    // it: 95.8 % coverage).
    expect(accuracy?.coverage['80']).toBe(1);
  });
});

describe('withPeakEnvelope', () => {
  it('raises the upper bounds to today’s level plus the quantile of the daily rises (hand-computed)', () => {
    // 3 h steps: a day is 8 steps, the 6 h level is the median of the last 2 values (0). Four days with one peak each,
    // 10, 20, 30, 40 above a median of 0. 80 %: ⌈5 · 0.8⌉ = 4 ≤ 4, the 4th smallest rise, 40. 95 %: ⌈5 · 0.95⌉ = 5 > 4,
    // past the sample: 40 + mean 25 · ln((1/5) / 0.05) = 40 + 25 · ln 4.
    const values = [10, 20, 30, 40].flatMap((r) => [0, 0, 0, r, 0, 0, 0, 0]);
    const forecast: AutoForecast = {
      model: 'm',
      mean: [1, 2],
      intervals: { '80': { lower: [0, 0], upper: [5, 50] }, '95': { lower: [-1, -1], upper: [6, 80] } },
      backtestMae: {},
      backtestCoverage: {},
      skipped: [],
    };
    const out = withPeakEnvelope(forecast, values, 3 * 3600, [80, 95]);
    expect(out.intervals['80'].upper).toEqual([40, 50]);
    expect(out.intervals['95'].upper[0]).toBeCloseTo(40 + 25 * Math.log(4), 10);
    expect(out.intervals['95'].upper[1]).toBe(80);
    expect(out.intervals['95'].lower).toEqual([-1, -1]);
    expect(out.mean).toEqual([1, 2]);
  });
});
