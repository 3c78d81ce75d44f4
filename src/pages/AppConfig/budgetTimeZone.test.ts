import { getTimeZones } from '@grafana/data';
import { checkTimeZone } from '../../engine/efficiency';
import { PICKER_UTC, pickerZone, storedZone } from './budgetTimeZone';

// Expected names from tzdb itself, not from the code: its `backward` file links US/Pacific → America/Los_Angeles,
// Asia/Calcutta → Asia/Kolkata, Europe/Kiev → Europe/Kyiv, and (since 2024b) EST → America/Panama; UTC, Etc/UTC
// and GMT are the zone the engine defaults to.
describe('the budget time zone the settings page shows and stores', () => {
  it('shows a saved zone as the picker lists it, whatever its case', () => {
    expect(pickerZone('Europe/Berlin')).toBe('Europe/Berlin');
    expect(pickerZone(' europe/berlin ')).toBe('Europe/Berlin');
  });

  it('turns an alias typed before the picker into the zone it stands for', () => {
    expect(pickerZone('US/Pacific')).toBe('America/Los_Angeles');
    expect(pickerZone('Asia/Calcutta')).toBe('Asia/Kolkata');
    expect(pickerZone('Europe/Kiev')).toBe('Europe/Kyiv');
    expect(pickerZone('EST')).toBe('America/Panama');
  });

  it('shows UTC for nothing saved and for the names of UTC, and stores UTC as nothing', () => {
    for (const saved of [undefined, '', 'utc', 'UTC', 'Etc/UTC', 'GMT']) {
      expect(pickerZone(saved)).toBe(PICKER_UTC);
    }
    expect(storedZone(PICKER_UTC)).toBeUndefined();
    expect(storedZone('Asia/Tokyo')).toBe('Asia/Tokyo');
  });

  it('keeps a saved text no zone matches, so the page can say so', () => {
    expect(pickerZone('Europe/Atlantis')).toBe('Europe/Atlantis');
  });
});

describe('the zones the picker offers', () => {
  it('are all accepted by the engine, so a zone chosen in the browser also works in the command line', () => {
    const refused = getTimeZones().filter((zone) => {
      try {
        checkTimeZone(zone);
        return false;
      } catch {
        return true;
      }
    });
    expect(refused).toEqual([]);
  });
});
