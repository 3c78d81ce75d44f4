/**
 * The Grafana rules the Alerts page writes for one watched series, the plan that compares them with what Grafana
 * holds, and the managed-rule rows the page lists. Rules go to the folder `headroom recalibrate` reads by default.
 */
import { planSync, type GrafanaFolder, type SyncPlan } from '../../alerting/grafanaClient';
import {
  ANNOTATIONS,
  editedSinceWritten,
  grafanaRulesForBand,
  isHeadroomManaged,
  durationSeconds,
  type BandSide,
  type Calibration,
  type ProvisionedAlertRule,
  type RuleTiming,
} from '../../alerting/grafanaRule';
import { sensitivityOf, withSensitivity, type Sensitivity } from '../../alerting/sensitivity';

export { SENSITIVITY_ANNOTATION, sensitivityOf } from '../../alerting/sensitivity';

/** The folder `headroom recalibrate` uses by default (`--folder-uid headroom`). */
export const HEADROOM_FOLDER: GrafanaFolder = { uid: 'headroom', title: 'Headroom' };
export const RULE_GROUP = 'headroom-adaptive';
/** Grafana's rule evaluation interval must be a multiple of its base interval (10 s). */
const BASE_INTERVAL_SECONDS = 10;
/** The group's interval: the series' step, rounded up to Grafana's base interval. */
export function groupIntervalSeconds(stepSeconds: number): number {
  return Math.max(BASE_INTERVAL_SECONDS, Math.ceil(stepSeconds / BASE_INTERVAL_SECONDS) * BASE_INTERVAL_SECONDS);
}

/** Grafana's rules for a calibrated band, carrying the sensitivity; the fingerprint covers it too. */
export function desiredRules(
  target: { selector: string; datasourceUid: string },
  calibration: Calibration,
  timing: RuleTiming,
  sensitivity: Sensitivity
): ProvisionedAlertRule[] {
  return grafanaRulesForBand(
    { ...target, folderUID: HEADROOM_FOLDER.uid, ruleGroup: RULE_GROUP },
    calibration,
    timing
  ).map((rule) => withSensitivity(rule, sensitivity));
}

const selectorOf = (rule: ProvisionedAlertRule) => rule.annotations?.[ANNOTATIONS.selector];

/**
 * The plan for one series: its desired rules against Headroom's rules for the same series in the Headroom folder (so a
 * side no longer wanted is deleted) and any rule with a desired UID (a person may have removed Headroom's label from
 * it: that is an edit to show, not a new rule). Other rules are left out, so writing one series never touches
 * another's rules.
 */
export function planForSeries(
  selector: string,
  desired: readonly ProvisionedAlertRule[],
  allRules: readonly ProvisionedAlertRule[]
): SyncPlan {
  const uids = new Set(desired.map((rule) => rule.uid));
  return planSync(
    desired,
    allRules.filter(
      (rule) =>
        uids.has(rule.uid) ||
        (rule.folderUID === HEADROOM_FOLDER.uid && isHeadroomManaged(rule) && selectorOf(rule) === selector)
    )
  );
}

/**
 * Recalibration of rules that exist: the same series and sides, relearnt; a side someone deleted stays deleted, and
 * rules of other series are left alone.
 */
export function planRecalibration(
  seriesRules: readonly ProvisionedAlertRule[],
  desired: readonly ProvisionedAlertRule[],
  allRules: readonly ProvisionedAlertRule[]
): SyncPlan {
  const uids = new Set(seriesRules.map((rule) => rule.uid));
  const kept = desired.filter((rule) => uids.has(rule.uid));
  const keptUids = new Set(kept.map((rule) => rule.uid));
  return planSync(
    kept,
    allRules.filter((rule) => rule.folderUID === HEADROOM_FOLDER.uid && keptUids.has(rule.uid))
  );
}

export type RuleStatus = 'active' | 'paused' | 'edited';

export interface ManagedRuleRow {
  uid: string;
  title: string;
  selector: string;
  side: BandSide;
  datasourceUid: string;
  status: RuleStatus;
  calibratedAtSeconds: number;
  expectedStartsPerWeek: number;
  forSeconds: number;
  sensitivity: Sensitivity;
  rule: ProvisionedAlertRule;
}

/** Headroom's rules in its folder, as the page lists them: sorted by what they watch, upper side first. */
export function managedRuleRows(rules: readonly ProvisionedAlertRule[]): ManagedRuleRow[] {
  return rules
    .filter((rule) => isHeadroomManaged(rule) && rule.folderUID === HEADROOM_FOLDER.uid && selectorOf(rule))
    .map((rule) => ({
      uid: rule.uid,
      title: rule.title,
      selector: selectorOf(rule)!,
      side: (rule.annotations?.[ANNOTATIONS.side] === 'lower' ? 'lower' : 'upper') as BandSide,
      datasourceUid: rule.data[0]?.datasourceUid ?? '',
      // Pausing is itself an edit of an owned field; "paused" says more than "edited".
      status: (rule.isPaused ? 'paused' : editedSinceWritten(rule) ? 'edited' : 'active') as RuleStatus,
      calibratedAtSeconds: Date.parse(rule.annotations?.[ANNOTATIONS.calibratedAt] ?? '') / 1000,
      expectedStartsPerWeek: Number(rule.annotations?.[ANNOTATIONS.expectedStartsPerWeek] ?? NaN),
      forSeconds: durationSeconds(rule.for),
      sensitivity: sensitivityOf(rule),
      rule,
    }))
    .sort((a, b) => (a.selector === b.selector ? (a.side === 'upper' ? -1 : 1) : a.selector < b.selector ? -1 : 1));
}
