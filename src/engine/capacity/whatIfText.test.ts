/** @jest-environment node */
import fc from 'fast-check';

import { CapacityInputError } from './errors';
import { launchEventText, parseLaunchEvents } from './whatIfText';

describe('parseLaunchEvents', () => {
  it('reads one event per text and several separated by ";", numbering the unnamed ones', () => {
    // 2025-06-02T18:00:00Z is 1748887200 s: 20241 days × 86400 + 18 × 3600.
    expect(
      parseLaunchEvents([
        'start=2025-06-02T18:00:00Z,end=1748908800,multiplier=2;start=1748887200,end=1748890800,multiplier=0.5,name=sale',
      ])
    ).toEqual([
      { name: 'what-if 1', startSeconds: 1748887200, endSeconds: 1748908800, multiplier: 2 },
      { name: 'sale', startSeconds: 1748887200, endSeconds: 1748890800, multiplier: 0.5 },
    ]);
  });

  it.each([
    ['a missing multiplier', 'start=2025-06-02T18:00:00Z,end=2025-06-03T00:00:00Z', /multiplier missing/],
    ['an unknown key', 'start=1,end=2,multiplier=2,ramp=1', /each key once/],
    ['a key twice', 'start=1,start=2,end=3,multiplier=2', /each key once/],
    ['a date that is not one', 'start=tomorrow,end=2,multiplier=2', /start "tomorrow" is neither ISO 8601/],
    [
      'a multiplier that is not a number',
      'start=1,end=2,multiplier=lots',
      /multiplier must be a number ≥ 0, got "lots"/,
    ],
  ])('refuses %s, quoting the text', (_, text, message) => {
    expect(() => parseLaunchEvents([text])).toThrow(CapacityInputError);
    expect(() => parseLaunchEvents([text])).toThrow(message);
    expect(() => parseLaunchEvents([text])).toThrow(`"${text}"`);
  });

  it('reads back what launchEventText writes (whole seconds, any multiplier, a name without , ; = or outer spaces)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4_000_000_000 }),
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.double({ min: 0, max: 1000, noNaN: true }),
        fc.stringMatching(/^[a-z]([a-z0-9 -]{0,18}[a-z0-9])?$/),
        (startSeconds, length, multiplier, name) => {
          const event = { name, startSeconds, endSeconds: startSeconds + length, multiplier };
          expect(parseLaunchEvents([launchEventText(event)])).toEqual([event]);
        }
      )
    );
  });
});
