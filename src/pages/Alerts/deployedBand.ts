/**
 * The thresholds a written rule holds, read back from its PromQL (the inverse of engine/thresholds/compile.ts), and
 * how far the band learnt today has moved from them: the drift since calibration the managed-rule list shows.
 */
import { bandAt, type Band } from '../../engine/thresholds';
import { quantileOfSorted, sortedCopy } from '../../engine/thresholds/robust';
import { HOUR_SECONDS, WEEK_SECONDS, type SeasonMode } from '../../engine/thresholds/slots';
import type { BandSide, ProvisionedAlertRule } from '../../alerting/grafanaRule';

export interface DeployedSide {
  mode: SeasonMode;
  /** One threshold per slot (1, 24 or 168), in compile order: day_of_week 0–6, each hour 0–23. */
  values: number[];
}

const NUMBER = String.raw`\(?(-?[0-9.eE+-]+|[-+]?Inf|NaN)\)?`;
const HOUR_TERM = new RegExp(String.raw`\(hour\(\) == bool (\d+)\) \* ${NUMBER}`, 'g');
const FLAT = new RegExp(String.raw`^vector\(${NUMBER}\)$`);

/**
 * The band side inside `selector > bool scalar(<threshold>)` or `< bool scalar(...)`; undefined when the PromQL is
 * not what Headroom wrote (a person rewrote it).
 */
export function parseDeployedSide(expr: string): DeployedSide | undefined {
  const start = expr.lastIndexOf(' bool scalar(');
  if (start < 0 || !expr.endsWith(')')) {
    return undefined;
  }
  const threshold = expr.slice(start + ' bool scalar('.length, -1);
  const flat = FLAT.exec(threshold);
  if (flat) {
    return { mode: 'flat', values: [Number(flat[1])] };
  }
  const values: number[] = [];
  for (const match of threshold.matchAll(HOUR_TERM)) {
    if (Number(match[1]) !== values.length % 24) {
      return undefined;
    }
    values.push(Number(match[2]));
  }
  if (values.length === 24 && !threshold.includes('day_of_week()')) {
    return { mode: 'hour-of-day', values };
  }
  return values.length === 168 ? { mode: 'hour-of-week', values } : undefined;
}

/** The side of the band in a written rule's query. */
export function deployedSideOf(rule: ProvisionedAlertRule): DeployedSide | undefined {
  const expr = rule.data[0]?.model?.expr;
  return typeof expr === 'string' ? parseDeployedSide(expr) : undefined;
}

/**
 * Median over the 168 hours of a week of |threshold learnt now − threshold deployed|, as a share of the series'
 * size (max(|median|, 1st–99th percentile range) of the recent values, the scale the band's minimum margin uses).
 * NaN when there are no values.
 */
export function driftFraction(
  deployed: DeployedSide,
  side: BandSide,
  current: Band,
  recentValues: readonly number[]
): number {
  const finite = sortedCopy(recentValues.filter((v) => Number.isFinite(v)));
  const size = Math.max(
    Math.abs(quantileOfSorted(finite, 0.5)),
    quantileOfSorted(finite, 0.99) - quantileOfSorted(finite, 0.01)
  );
  if (!(size > 0) || !current[side]) {
    return NaN;
  }
  const deployedBand: Band = { mode: deployed.mode, calibratedAtSeconds: 0, [side]: deployed.values };
  // Hour starts of one UTC week; any week will do, the band depends only on the hour of the week.
  const shifts: number[] = [];
  for (let t = 0; t < WEEK_SECONDS; t += HOUR_SECONDS) {
    shifts.push(Math.abs(bandAt(current, t)[side] - bandAt(deployedBand, t)[side]));
  }
  return quantileOfSorted(sortedCopy(shifts), 0.5) / size;
}
