/**
 * A calibrated threshold band as Prometheus rule files: recording rules for the thresholds plus
 * the alerting rule, and a `promtool test rules` file proving that a real Prometheus computes
 * the thresholds the engine computed.
 */
import { Band, bandAt, compileAlertCondition, compileBandSide } from '../engine/thresholds';
import { runbookLine, RUNBOOKS } from './runbooks';

export interface ThresholdRuleSpec {
  /** Identifies the rule: letters, digits and underscores; becomes the `headroom_rule` label. */
  name: string;
  /** The watched series, e.g. `DCGM_FI_DEV_GPU_UTIL{gpu="0"}`. */
  selector: string;
  band: Band;
  forSeconds: number;
  keepFiringForSeconds: number;
  evaluationIntervalSeconds: number;
  /** Grafana's URL (`https://grafana.example.com`): the alert gets an absolute `runbook_url`; none without it. */
  grafanaUrl?: string;
}

const RULE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SIDES = ['upper', 'lower'] as const;

/** Name of the recording rule holding one side's threshold. */
export const thresholdRecordName = (side: 'upper' | 'lower') => `headroom:alert_threshold_${side}`;

/** JSON strings are valid YAML double-quoted scalars: no hand-written escaping. */
const quote = (text: string) => JSON.stringify(text);

function recordSelector(spec: ThresholdRuleSpec, side: 'upper' | 'lower'): string {
  return `${thresholdRecordName(side)}{headroom_rule="${spec.name}"}`;
}

/** The rule file (YAML): one group with the threshold recording rules and the alerting rule. */
export function thresholdRuleFile(spec: ThresholdRuleSpec): string {
  if (!RULE_NAME.test(spec.name)) {
    throw new RangeError(`rule name "${spec.name}" must be letters, digits and underscores`);
  }
  const sides = SIDES.filter((side) => spec.band[side] !== undefined);
  const lines = [
    'groups:',
    `  - name: ${quote(`headroom_thresholds_${spec.name}`)}`,
    `    interval: ${spec.evaluationIntervalSeconds}s`,
    '    rules:',
  ];
  for (const side of sides) {
    lines.push(
      `      - record: ${thresholdRecordName(side)}`,
      `        expr: ${quote(compileBandSide(spec.band, side))}`,
      '        labels:',
      `          headroom_rule: ${quote(spec.name)}`
    );
  }
  const condition = compileAlertCondition(
    spec.selector,
    Object.fromEntries(sides.map((side) => [side, recordSelector(spec, side)]))
  );
  lines.push(
    `      - alert: ${quote(`HeadroomThreshold_${spec.name}`)}`,
    `        expr: ${quote(condition)}`,
    `        for: ${spec.forSeconds}s`,
    `        keep_firing_for: ${spec.keepFiringForSeconds}s`,
    '        labels:',
    '          managed_by: "headroom"',
    `          headroom_rule: ${quote(spec.name)}`,
    '        annotations:',
    `          summary: ${quote(`${spec.selector} is outside its learnt ${spec.band.mode} band`)}`,
    `          headroom_calibrated_at: ${quote(new Date(spec.band.calibratedAtSeconds * 1000).toISOString())}`,
    `          headroom_season_mode: ${quote(spec.band.mode)}`,
    ...runbookLine(RUNBOOKS.band, spec.grafanaUrl)
  );
  return lines.join('\n') + '\n';
}

/**
 * Times (seconds after 1970-01-01 00:00 UTC, where promtool's clock starts: a Thursday) at which
 * the thresholds are checked: the start and the last evaluation of every hour for a whole week
 * and back to the first hour, so every slot, the inside of each hour and the Saturday→Sunday
 * boundary (71 h → 72 h) are covered. Promtool evaluates the rules at every interval up to the
 * last check, so a longer interval makes the proof faster.
 */
export function weekCheckTimes(evaluationIntervalSeconds: number): number[] {
  const times: number[] = [];
  const lastInHour = Math.floor((3600 - 1) / evaluationIntervalSeconds) * evaluationIntervalSeconds;
  for (let hour = 0; hour < 168; hour++) {
    times.push(hour * 3600, ...(lastInHour > 0 ? [hour * 3600 + lastInHour] : []));
  }
  times.push(168 * 3600);
  return times;
}

/**
 * A `promtool test rules` file for `ruleFileName`: the watched series as input and, at each
 * check time, the recorded thresholds the engine expects (`bandAt`), written as the shortest
 * decimal that parses back to the same float64, which promtool compares exactly.
 * The evaluation interval must divide the check times so each check reads a fresh sample.
 */
export function thresholdRuleTestFile(
  spec: ThresholdRuleSpec,
  ruleFileName: string,
  checkTimesSeconds: readonly number[] = weekCheckTimes(spec.evaluationIntervalSeconds)
): string {
  const lastSeconds = Math.max(...checkTimesSeconds);
  const stepSeconds = spec.evaluationIntervalSeconds;
  const lines = [
    `rule_files: [${quote(ruleFileName)}]`,
    `evaluation_interval: ${stepSeconds}s`,
    'tests:',
    `  - interval: ${stepSeconds}s`,
    '    input_series:',
    `      - series: ${quote(spec.selector)}`,
    `        values: ${quote(`0+0x${Math.ceil(lastSeconds / stepSeconds)}`)}`,
    '    promql_expr_test:',
  ];
  for (const t of checkTimesSeconds) {
    const expected = bandAt(spec.band, t);
    for (const side of SIDES.filter((s) => spec.band[s] !== undefined)) {
      lines.push(
        `      - expr: ${quote(recordSelector(spec, side))}`,
        `        eval_time: ${t}s`,
        '        exp_samples:',
        `          - labels: ${quote(recordSelector(spec, side))}`,
        `            value: ${String(expected[side])}`
      );
    }
  }
  return lines.join('\n') + '\n';
}
