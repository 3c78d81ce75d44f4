/**
 * One series' recalibration as a unit of work: calibrate the deployed rule from its history and compile the band
 * into Grafana rules. `headroom recalibrate` runs these in worker threads (`calibrationPool.ts`), so everything here
 * crosses a thread boundary as plain data.
 */
import type { AlertRuleConfig } from '../engine/thresholds';
import { calibrateSeries } from './calibrate';
import { Calibration, grafanaRulesForBand, ProvisionedAlertRule, RuleTarget, RuleTiming } from './grafanaRule';
import { Sensitivity, withSensitivity } from './sensitivity';

export interface CalibrationJob {
  /** Where the rules go: selector, data source, folder and group. */
  target: RuleTarget;
  timestampsSeconds: readonly number[];
  /** null or NaN where there is no value. */
  values: ReadonlyArray<number | null>;
  calibratedAtSeconds: number;
  config: AlertRuleConfig;
  /** What a person chose on the Alerts page, written back into the rules. */
  sensitivity?: Sensitivity;
}

export interface CalibratedRules {
  calibration: Calibration;
  timing: RuleTiming;
  /** One rule per watched side. */
  rules: ProvisionedAlertRule[];
  /** What a person should know about the rules (a short history, a side that cannot fire). */
  warnings: string[];
}

/** Throws `CalibrationError` when the history holds too little to learn from. */
export function calibrateRules(job: CalibrationJob): CalibratedRules {
  const { calibration, timing, warnings } = calibrateSeries(
    job.timestampsSeconds,
    job.values,
    job.calibratedAtSeconds,
    job.config
  );
  const rules = grafanaRulesForBand(job.target, calibration, timing);
  const { sensitivity } = job;
  return {
    calibration,
    timing,
    rules: sensitivity ? rules.map((rule) => withSensitivity(rule, sensitivity)) : rules,
    warnings,
  };
}
