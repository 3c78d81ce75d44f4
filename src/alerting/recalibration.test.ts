import { ANNOTATIONS, type ProvisionedAlertRule } from './grafanaRule';
import { calibratedAtSeconds, dueCalibrationSeconds, isRecalibratedSince } from './recalibration';

const DAY = 86_400;
// 2026-12-07T00:00:00Z = 20,794 days after 1970-01-01 (2026-01-01 is day 20,454; + 334 days to 1 December; + 6).
const DEC_7 = 20_794 * DAY;

const calibratedAt = (iso?: string) =>
  ({ uid: 'r', annotations: iso === undefined ? {} : { [ANNOTATIONS.calibratedAt]: iso } }) as ProvisionedAlertRule;

describe('the due calibration time', () => {
  test('daily: the last 00:00 UTC, as `headroom recalibrate` has always calibrated', () => {
    expect(new Date(DEC_7 * 1000).toISOString()).toBe('2026-12-07T00:00:00.000Z');
    expect(dueCalibrationSeconds(DEC_7 + 3 * 3600 + 52 * 60, DAY)).toBe(DEC_7);
    expect(dueCalibrationSeconds(DEC_7, DAY)).toBe(DEC_7);
    expect(dueCalibrationSeconds(DEC_7 - 1, DAY)).toBe(DEC_7 - DAY);
  });

  test('every 6 hours: 00:00, 06:00, 12:00, 18:00 UTC', () => {
    expect(dueCalibrationSeconds(DEC_7 + 13 * 3600, 6 * 3600)).toBe(DEC_7 + 12 * 3600);
  });
});

describe('a rule recalibrated since the due time', () => {
  test('is one whose headroom_calibrated_at is at or after it', () => {
    expect(isRecalibratedSince(calibratedAt('2026-12-07T00:00:00.000Z'), DEC_7)).toBe(true);
    expect(isRecalibratedSince(calibratedAt('2026-12-07T06:00:00Z'), DEC_7)).toBe(true);
    expect(isRecalibratedSince(calibratedAt('2026-12-06T00:00:00Z'), DEC_7)).toBe(false);
  });

  test('a missing or unreadable timestamp counts as not recalibrated', () => {
    expect(calibratedAtSeconds(calibratedAt())).toBeNaN();
    expect(isRecalibratedSince(calibratedAt(), DEC_7)).toBe(false);
    expect(isRecalibratedSince(calibratedAt('yesterday'), DEC_7)).toBe(false);
  });
});
