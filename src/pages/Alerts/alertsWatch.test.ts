/** @jest-environment node */
import { DEFAULT_WATCH, watchFromUrl, watchToUrl } from './alertsWatch';

describe('the watch in the URL', () => {
  it('round-trips', () => {
    const watch = {
      ...DEFAULT_WATCH,
      preset: 'promql' as const,
      promql: 'sum(up)',
      widthMads: 4.5,
      direction: 'upper' as const,
    };
    expect(watchFromUrl(watchToUrl(watch))).toEqual(watch);
  });

  it('falls back to the default for unknown presets and out-of-range numbers', () => {
    expect(watchFromUrl({ watch: 'nope', width: '99', margin: '-1', for: 'x', side: 'sideways' })).toEqual(
      DEFAULT_WATCH
    );
  });
});
