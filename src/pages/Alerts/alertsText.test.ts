/** @jest-environment node */
import { alertStateText, bandModelText, utcMinute } from './alertsText';

const EVALUATED_MS = Date.UTC(2026, 10, 27, 7, 0);

describe('alertStateText', () => {
  it('reads a rule Grafana has not evaluated yet (inactive, health ok, no last evaluation) as such, not as Normal', () => {
    expect(alertStateText({ state: 'inactive', health: 'ok' }, true)).toEqual({
      text: 'Not evaluated yet',
      color: 'darkgrey',
    });
    expect(alertStateText({ state: 'inactive', health: 'ok', lastEvaluationMs: EVALUATED_MS }, true)).toEqual({
      text: 'Normal',
      color: 'green',
    });
  });

  it('leads with the state and puts an error or missing data in the detail, since Grafana can fire on either', () => {
    const since = Date.UTC(2026, 10, 27, 6, 10);
    expect(alertStateText({ state: 'firing', health: 'ok', activeSinceMs: since }, true)).toEqual({
      text: 'Firing',
      color: 'red',
      detail: 'since 2026-11-27 06:10 UTC',
    });
    expect(
      alertStateText({ state: 'firing', health: 'error', lastError: 'query A: EOF', activeSinceMs: since }, true)
    ).toEqual({ text: 'Firing', color: 'red', detail: 'since 2026-11-27 06:10 UTC · query A: EOF' });
    expect(alertStateText({ state: 'pending', health: 'nodata' }, true)).toEqual({
      text: 'Pending',
      color: 'orange',
      detail: 'The query returned no data at the last evaluation.',
    });
    expect(alertStateText({ state: 'recovering', health: 'ok' }, true)?.text).toBe('Recovering');
  });

  it("shows an inactive rule that failed as Error with Grafana's message, and one without data as No data", () => {
    expect(alertStateText({ state: 'inactive', health: 'error', lastError: 'bad_data' }, true)).toEqual({
      text: 'Error',
      color: 'red',
      detail: 'bad_data',
    });
    expect(alertStateText({ state: 'inactive', health: 'nodata' }, true)?.text).toBe('No data');
  });

  it('says when Grafana did not list the rule, shows nothing before it answered, and an unknown state as it came', () => {
    expect(alertStateText(undefined, true)?.text).toBe('Not listed');
    expect(alertStateText(undefined, false)).toBeUndefined();
    expect(alertStateText({ state: 'paused', health: 'ok' }, true)).toEqual({ text: 'paused', color: 'darkgrey' });
  });
});

describe('utcMinute', () => {
  it('writes the minute in UTC', () => {
    expect(utcMinute(Date.UTC(2025, 5, 2, 10, 5, 59))).toBe('2025-06-02 10:05');
  });
});

describe('bandModelText', () => {
  it('names the rhythm the band kept and its width', () => {
    expect(bandModelText('hour-of-week', 'median-mad', 3)).toBe('median ± 3·MAD, per hour of week');
    expect(bandModelText('hour-of-day', 'median-mad', 2.5)).toBe('median ± 2.5·MAD, per hour of day');
    expect(bandModelText('flat', 'robust-quantile', 2)).toBe(
      'median ± 2× the quantile reach, one level for every hour (no rhythm kept)'
    );
  });
});
