/** @jest-environment node */
import { invalidEvents, knownEffectAt, type BusinessEvent } from './calendar';
import { fourierRegression } from './regression';

const HOUR = 3600;
const DAY = 24 * HOUR;
// 2023-11-15 00:00 UTC, a midnight, so hour of day = k mod 24.
const MIDNIGHT = 1_700_006_400;
const model = fourierRegression({ dailyHarmonics: 3, weeklyHarmonics: 2 });
const atHour = (k: number) => MIDNIGHT + k * HOUR;

describe('knownEffectAt', () => {
  it('multiplies relative changes and adds amounts of overlapping events', () => {
    const events: BusinessEvent[] = [
      { name: 'promo', startSeconds: 0, endSeconds: 10, effect: { kind: 'multiplicative', value: 0.5 } },
      { name: 'outage', startSeconds: 5, endSeconds: 20, effect: { kind: 'multiplicative', value: -0.2 } },
      { name: 'batch', startSeconds: 5, endSeconds: 6, effect: { kind: 'additive', value: 10 } },
      { name: 'unknown', startSeconds: 0, endSeconds: 20 },
    ];
    expect(knownEffectAt(events, 4)).toEqual({ factor: 1.5, offset: 0 });
    // 1.5 × 0.8 = 1.2, plus 10; the end is exclusive.
    expect(knownEffectAt(events, 5).factor).toBeCloseTo(1.2, 12);
    expect(knownEffectAt(events, 5).offset).toBe(10);
    expect(knownEffectAt(events, 10)).toEqual({ factor: 0.8, offset: 0 });
    expect(knownEffectAt(events, 20)).toEqual({ factor: 1, offset: 0 });
  });

  it('rejects empty names, reversed ranges and a −100 % or worse multiplicative effect', () => {
    const ok = { name: 'x', startSeconds: 0, endSeconds: 1 };
    expect(invalidEvents([ok])).toBeUndefined();
    expect(invalidEvents([{ ...ok, name: '' }])).toMatch(/name/);
    expect(invalidEvents([{ ...ok, endSeconds: 0 }])).toMatch(/after the start/);
    expect(invalidEvents([{ ...ok, effect: { kind: 'multiplicative', value: -1 } }])).toMatch(/above −1/);
  });
});

describe('fourierRegression with business events', () => {
  it('learns a +50 % promotion from two past days and applies it to a future one', () => {
    // Baseline 100 + 20·sin(hour), exactly representable; on promotion days every value is ×1.5.
    const baseline = (k: number) => 100 + 20 * Math.sin((2 * Math.PI * k) / 24);
    const promoDays = [5, 12, 22];
    const promo = (day: number): BusinessEvent => ({
      name: 'promo',
      startSeconds: MIDNIGHT + day * DAY,
      endSeconds: MIDNIGHT + (day + 1) * DAY,
    });
    const values = Array.from({ length: 21 * 24 }, (_, k) =>
      promoDays.includes(Math.floor(k / 24)) ? 1.5 * baseline(k) : baseline(k)
    );
    const out = model.forecast({
      values,
      startSeconds: MIDNIGHT,
      stepSeconds: HOUR,
      horizonSteps: 48,
      events: promoDays.map(promo),
    });
    expect(out.eventEffects?.promo).toBeCloseTo(0.5, 8);
    // Horizon day 0 (day 21) is ordinary: 06:00 gives 100 + 20 = 120, 18:00 gives 80.
    expect(out.mean[6]).toBeCloseTo(120, 6);
    expect(out.mean[18]).toBeCloseTo(80, 6);
    // Day 22 is a promotion: 1.5 × 120 = 180 at 06:00, 1.5 × 80 = 120 at 18:00, 150 at midnight.
    expect(out.mean[24]).toBeCloseTo(150, 6);
    expect(out.mean[30]).toBeCloseTo(180, 6);
    expect(out.mean[42]).toBeCloseTo(120, 6);
  });

  it('without the calendar the same history gives no promotion in the forecast', () => {
    const values = Array.from({ length: 21 * 24 }, (_, k) => ([5, 12].includes(Math.floor(k / 24)) ? 150 : 100));
    const out = model.forecast({ values, startSeconds: MIDNIGHT, stepSeconds: HOUR, horizonSteps: 48 });
    expect(Math.max(...out.mean)).toBeLessThan(120);
    expect(out.eventEffects).toEqual({});
  });

  it('applies overlapping known effects and removes a past known effect from the baseline', () => {
    // Flat 100, except a known +50 % day in the past that the data shows as 150.
    const values = Array.from({ length: 14 * 24 }, (_, k) => (Math.floor(k / 24) === 3 ? 150 : 100));
    const n = values.length;
    const known = (name: string, from: number, to: number, kind: 'multiplicative' | 'additive', value: number) => ({
      name,
      startSeconds: atHour(from),
      endSeconds: atHour(to),
      effect: { kind, value },
    });
    const events = [
      known('launch', 3 * 24, 4 * 24, 'multiplicative', 0.5),
      known('launch', n + 2, n + 6, 'multiplicative', 0.5),
      known('drain', n + 4, n + 8, 'multiplicative', -0.2),
      known('backfill', n + 5, n + 7, 'additive', 10),
    ];
    const out = model.forecast({ values, startSeconds: MIDNIGHT, stepSeconds: HOUR, horizonSteps: 9, events });
    // 100; ×1.5; ×1.5×0.8; ×1.5×0.8 + 10; ×0.8 + 10; ×0.8; 100.
    const expected = [100, 100, 150, 150, 120, 130, 90, 80, 100];
    out.mean.forEach((m, h) => expect(m).toBeCloseTo(expected[h], 6));
  });

  it('adds the shares of overlapping learnt events', () => {
    // Flat 100; "promo" alone +50 % (day 2), "launch" alone +20 % (day 5), both on day 9: ×1.7.
    const dayOf = (k: number) => Math.floor(k / 24);
    const factor = (day: number) => ({ 2: 1.5, 5: 1.2, 9: 1.7 })[day] ?? 1;
    const values = Array.from({ length: 14 * 24 }, (_, k) => 100 * factor(dayOf(k)));
    const day = (name: string, d: number): BusinessEvent => ({
      name,
      startSeconds: MIDNIGHT + d * DAY,
      endSeconds: MIDNIGHT + (d + 1) * DAY,
    });
    const events = [day('promo', 2), day('launch', 5), day('promo', 9), day('launch', 9)];
    // The future: both from hour 2 to 4 of the horizon (day 14), promo alone at hour 1.
    events.push({ name: 'promo', startSeconds: atHour(14 * 24 + 1), endSeconds: atHour(14 * 24 + 4) });
    events.push({ name: 'launch', startSeconds: atHour(14 * 24 + 2), endSeconds: atHour(14 * 24 + 4) });
    const out = model.forecast({ values, startSeconds: MIDNIGHT, stepSeconds: HOUR, horizonSteps: 5, events });
    expect(out.eventEffects?.promo).toBeCloseTo(0.5, 8);
    expect(out.eventEffects?.launch).toBeCloseTo(0.2, 8);
    [100, 150, 170, 170, 100].forEach((v, h) => expect(out.mean[h]).toBeCloseTo(v, 6));
  });
});
