/** @jest-environment node */
import { augursEts, augursMstl } from '../engine/forecast/augurs';
import { loadAugursInNode } from './augursInNode';

const HOUR = 3600;
// 2023-11-15 00:00 UTC, a midnight, so hour of day = k mod 24.
const MIDNIGHT = 1_700_006_400;

describe('augurs models', () => {
  const augurs = loadAugursInNode();
  const pattern = (k: number) => 100 + 20 * Math.sin((2 * Math.PI * k) / 24);
  const values = Array.from({ length: 24 * 14 }, (_, k) => pattern(k));

  it('MSTL continues a clean daily pattern', () => {
    const out = augursMstl(augurs).forecast({ values, startSeconds: MIDNIGHT, stepSeconds: HOUR, horizonSteps: 48 });
    out.mean.forEach((m, h) => expect(Math.abs(m - pattern(values.length + h))).toBeLessThan(1));
  });

  it('ETS forecasts around the level of a daily pattern', () => {
    const out = augursEts(augurs).forecast({ values, startSeconds: MIDNIGHT, stepSeconds: HOUR, horizonSteps: 24 });
    expect(out.mean).toHaveLength(24);
    // Over one full day the pattern averages 100.
    expect(Math.abs(out.mean.reduce((x, y) => x + y, 0) / 24 - 100)).toBeLessThan(10);
  });
});
