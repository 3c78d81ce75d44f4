/**
 * The sensitivity a person chose for a rule on the Alerts page (band width, minimum margin, `for`, sides), and the
 * annotation that carries it on the Grafana rule, so every recalibration — from the page or a scheduled
 * `headroom recalibrate` — keeps it instead of falling back to the defaults.
 */
import { DEFAULT_ALERT_RULE, type AlertRuleConfig, type BandDirection } from '../engine/thresholds';
import { ANNOTATIONS, ruleFingerprint, type ProvisionedAlertRule } from './grafanaRule';

/** The knobs a person turns on the page; everything else is the deployed rule (DEFAULT_ALERT_RULE). */
export interface Sensitivity {
  /** Half-width of the band in robust standard deviations (1.4826 · MAD). */
  widthMads: number;
  /** Smallest half-width as a percentage of the series' size, so a flat series does not alert on noise. */
  minMarginPercent: number;
  /** How long the series must stay outside the band before the alert fires. */
  forMinutes: number;
  direction: BandDirection;
}

/** The step the page and `headroom recalibrate` read 4 weeks of history at (Prometheus' step for that range). */
export const ALERT_STEP_SECONDS = 300;

export const DEFAULT_SENSITIVITY: Sensitivity = {
  widthMads: DEFAULT_ALERT_RULE.band.width,
  minMarginPercent: DEFAULT_ALERT_RULE.band.minMarginFraction * 100,
  forMinutes: (DEFAULT_ALERT_RULE.forSteps * ALERT_STEP_SECONDS) / 60,
  direction: DEFAULT_ALERT_RULE.band.direction,
};

/** The annotation holding the sensitivity as JSON; the rule's fingerprint covers it. */
export const SENSITIVITY_ANNOTATION = 'headroom_sensitivity';

/** The deployed rule with a person's sensitivity; `for` in whole steps of the series (at least 0). */
export function ruleConfig(sensitivity: Sensitivity, stepSeconds: number): AlertRuleConfig {
  return {
    ...DEFAULT_ALERT_RULE,
    band: {
      ...DEFAULT_ALERT_RULE.band,
      width: sensitivity.widthMads,
      minMarginFraction: sensitivity.minMarginPercent / 100,
      direction: sensitivity.direction,
    },
    forSteps: Math.max(0, Math.round((sensitivity.forMinutes * 60) / stepSeconds)),
  };
}

/** The sensitivity a rule was written with; undefined when it has none or it is not one (edited by hand). */
export function parseSensitivity(rule: ProvisionedAlertRule): Sensitivity | undefined {
  const text = rule.annotations?.[SENSITIVITY_ANNOTATION];
  if (text === undefined) {
    return undefined;
  }
  let parsed: Partial<Sensitivity> | null;
  try {
    parsed = JSON.parse(text) as Partial<Sensitivity> | null;
  } catch {
    return undefined;
  }
  const ok = (x: unknown) => typeof x === 'number' && Number.isFinite(x) && x >= 0;
  const valid =
    parsed !== null &&
    typeof parsed === 'object' &&
    ok(parsed.widthMads) &&
    ok(parsed.minMarginPercent) &&
    ok(parsed.forMinutes) &&
    ['upper', 'lower', 'both'].includes(String(parsed.direction));
  return valid ? (parsed as Sensitivity) : undefined;
}

/** The sensitivity a rule was written with; the deployed default for rules written elsewhere (CLI, older pages). */
export function sensitivityOf(rule: ProvisionedAlertRule): Sensitivity {
  return parseSensitivity(rule) ?? DEFAULT_SENSITIVITY;
}

/** The rule carrying the sensitivity, with its fingerprint recomputed to cover it. */
export function withSensitivity(rule: ProvisionedAlertRule, sensitivity: Sensitivity): ProvisionedAlertRule {
  const annotated = {
    ...rule,
    annotations: { ...rule.annotations, [SENSITIVITY_ANNOTATION]: JSON.stringify(sensitivity) },
  };
  return {
    ...annotated,
    annotations: { ...annotated.annotations, [ANNOTATIONS.fingerprint]: ruleFingerprint(annotated) },
  };
}
