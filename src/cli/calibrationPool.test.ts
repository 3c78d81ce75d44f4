/** @jest-environment node */
import { DEFAULT_ALERT_RULE } from '../engine/thresholds';
import { CalibrationError } from '../alerting/calibrate';
import { CalibrationJob, calibrateRules } from '../alerting/calibrationJob';
import { CalibrationPool } from './calibrationPool';
import { DEFAULT_SENSITIVITY } from '../alerting/sensitivity';

const STEP = 300;
const DAYS = 15;
const MONDAY = 1_700_438_400; // 2023-11-20 00:00 UTC

/** Busy 09:00–17:00 UTC, a gap of missing values on day 3, one spike per series. */
function jobOf(series: number): CalibrationJob {
  const timestampsSeconds = Array.from({ length: (DAYS * 86_400) / STEP }, (_, k) => MONDAY + k * STEP);
  const values = timestampsSeconds.map((t, k) => {
    const hour = Math.floor((t % 86_400) / 3600);
    if (k >= 600 && k < 650) {
      return null;
    }
    return k === 2_000 + series * 97 ? 500 : 40 + series + (hour >= 9 && hour < 17 ? 30 : 0) + ((k * 7) % 5);
  });
  return {
    target: { selector: `gpu_util{gpu="${series}"}`, datasourceUid: 'prom', folderUID: 'headroom', ruleGroup: 'gpu' },
    timestampsSeconds,
    values,
    calibratedAtSeconds: MONDAY + DAYS * 86_400,
    config: DEFAULT_ALERT_RULE,
    sensitivity: series % 2 === 0 ? DEFAULT_SENSITIVITY : undefined,
  };
}

describe('CalibrationPool', () => {
  it('gives on worker threads exactly what calibrating on this thread gives, in the order asked', async () => {
    const jobs = Array.from({ length: 5 }, (_, i) => jobOf(i));
    const pool = new CalibrationPool(2);
    try {
      const onPool = await Promise.all(jobs.map((job) => pool.calibrate(job)));
      expect(onPool).toEqual(jobs.map(calibrateRules));
      expect(onPool.map((c) => c.rules[0].annotations?.headroom_selector)).toEqual(
        jobs.map((job) => job.target.selector)
      );
    } finally {
      await pool.close();
    }
  });

  it("rejects a series with too little history with calibrateSeries' CalibrationError, and goes on with the rest", async () => {
    const pool = new CalibrationPool(2);
    try {
      const tooShort = { ...jobOf(0), timestampsSeconds: [MONDAY], values: [1], calibratedAtSeconds: MONDAY };
      const [failed, fine] = await Promise.allSettled([pool.calibrate(tooShort), pool.calibrate(jobOf(1))]);
      expect(failed.status === 'rejected' && failed.reason).toBeInstanceOf(CalibrationError);
      expect(fine.status).toBe('fulfilled');
    } finally {
      await pool.close();
    }
  });

  it('runs on the calling thread for under 100 series a thread, and refuses work once closed', async () => {
    const inline = CalibrationPool.forSeries(99);
    expect(inline.threads).toBe(1);
    await expect(inline.calibrate(jobOf(2))).resolves.toEqual(calibrateRules(jobOf(2)));
    await inline.close();

    const pool = new CalibrationPool(2);
    await pool.close();
    await expect(pool.calibrate(jobOf(3))).rejects.toThrow(/closed/);
  });
});
