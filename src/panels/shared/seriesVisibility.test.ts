import { SeriesVisibilityChangeMode } from '@grafana/ui';
import { isShown, nextVisibleSeries } from './seriesVisibility';

const ALL = ['History', 'Forecast mean', '80 % interval'];
const { ToggleSelection: click, AppendToSelection: ctrlClick } = SeriesVisibilityChangeMode;

describe('nextVisibleSeries (Grafana legend clicks)', () => {
  it('a click shows only that series; a second click on it shows all again', () => {
    const only = nextVisibleSeries(null, 'History', click, ALL);
    expect([...only!]).toEqual(['History']);
    expect(ALL.filter((label) => isShown(only, label))).toEqual(['History']);
    expect(nextVisibleSeries(only, 'History', click, ALL)).toBeNull();
  });

  it('a click on another series while one is isolated isolates that one instead', () => {
    expect([...nextVisibleSeries(new Set(['History']), 'Forecast mean', click, ALL)!]).toEqual(['Forecast mean']);
  });

  it('Ctrl/Cmd/Shift-click hides one series, and showing it again leaves every series shown', () => {
    const hidden = nextVisibleSeries(null, '80 % interval', ctrlClick, ALL);
    expect(ALL.filter((label) => isShown(hidden, label))).toEqual(['History', 'Forecast mean']);
    expect(nextVisibleSeries(hidden, '80 % interval', ctrlClick, ALL)).toBeNull();
  });
});
