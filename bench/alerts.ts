/**
 * Alert-quality benchmark of the adaptive thresholds against two baselines, on public labelled
 * series (see ../shared/data/README.md):
 * - NAB v1.1 (realAWSCloudwatch, artificialWithAnomaly, artificialNoAnomaly): normalised scores of
 *   alert starts under the standard, reward_low_FP_rate and reward_low_FN_rate profiles;
 * - Donut cpu4: point-adjusted F1 of the time in alert;
 * - alert starts per series-week (NAB, after the warm-up).
 * The adaptive rule runs through `answerAlertsRequest`, the code behind `headroom thresholds --alerts`.
 * Usage: npx tsx bench/alerts.ts [--data DIR] [--sweep]   (--sweep also scores variants of the rule)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { answerAlertsRequest } from '../src/cli/commands/thresholds';
import {
  alertEpisodes,
  AlertRuleConfig,
  DEFAULT_ALERT_RULE,
  grafanaStyleThresholds,
  medianStepSeconds,
  nabFileScore,
  nabNormalisedScore,
  NabProfile,
  pointAdjustedF1,
  RowThresholds,
  staticThresholds,
} from '../src/engine/thresholds';

const WEEK = 7 * 86_400;
/** NAB: the first 15 % of a file, at most 750 rows, is probationary. */
const probationRows = (rows: number) => Math.min(Math.floor(0.15 * rows), 750);
const STATIC_QUANTILE = 0.99;

interface LabelledSeries {
  name: string;
  timestamps: number[];
  values: number[];
  windows: Array<[number, number]>;
}

const toSeconds = (text: string) =>
  /^\d+(\.\d+)?$/.test(text) ? Number(text) : Date.parse(text.trim().replace(' ', 'T') + 'Z') / 1000;

function readCsv(path: string): string[][] {
  return readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split(','));
}

function loadNab(dir: string): LabelledSeries[] {
  const windows = JSON.parse(readFileSync(join(dir, 'labels', 'combined_windows.json'), 'utf8')) as Record<
    string,
    string[][]
  >;
  const series: LabelledSeries[] = [];
  for (const group of readdirSync(join(dir, 'data')).sort()) {
    for (const file of readdirSync(join(dir, 'data', group)).sort()) {
      const rows = readCsv(join(dir, 'data', group, file));
      const name = `${group}/${file}`;
      series.push({
        name,
        timestamps: rows.map((r) => toSeconds(r[0])),
        values: rows.map((r) => Number(r[1])),
        windows: (windows[name] ?? []).map(([a, b]) => [toSeconds(a.slice(0, 19)), toSeconds(b.slice(0, 19))]),
      });
    }
  }
  return series;
}

function loadProfiles(dir: string): Record<string, NabProfile> {
  const raw = JSON.parse(readFileSync(join(dir, 'profiles.json'), 'utf8')) as Record<
    string,
    { CostMatrix: NabProfile }
  >;
  return Object.fromEntries(Object.entries(raw).map(([name, p]) => [name, p.CostMatrix]));
}

/** A detector: alert starts and the per-row firing state, for a series and its warm-up. */
type Detector = (timestamps: number[], values: number[], warmupRows: number) => { starts: number[]; firing: boolean[] };

function adaptive(config: AlertRuleConfig): Detector {
  return (timestamps, values, warmupRows) => {
    const answer = answerAlertsRequest({ timestamps, values, probationary_length: warmupRows }, config);
    // Firing from each start up to (not including) its end, as the contract reports it.
    const firing = new Array<boolean>(timestamps.length).fill(false);
    answer.alert_starts.forEach((start, k) => {
      const end = answer.alert_ends[k] ?? Number.POSITIVE_INFINITY;
      timestamps.forEach((t, i) => {
        if (t >= start && t < end) {
          firing[i] = true;
        }
      });
    });
    return { starts: answer.alert_starts, firing };
  };
}

function fromThresholds(make: (timestamps: number[], values: number[], warmupRows: number) => RowThresholds): Detector {
  return (timestamps, values, warmupRows) => {
    const step = medianStepSeconds(timestamps);
    const episodes = alertEpisodes(timestamps, values, make(timestamps, values, warmupRows), {
      forSeconds: DEFAULT_ALERT_RULE.forSteps * step,
      keepFiringForSeconds: DEFAULT_ALERT_RULE.keepFiringForSteps * step,
    });
    return { starts: episodes.startsSeconds, firing: episodes.firing };
  };
}

interface Row {
  detector: string;
  nab: Record<string, number>;
  startsPerSeriesWeek: number;
  donutF1: number;
  ms: number;
}

function evaluate(
  name: string,
  detector: Detector,
  nab: LabelledSeries[],
  donut: { timestamps: number[]; values: number[]; labels: boolean[] },
  profiles: Record<string, NabProfile>
): Row {
  const started = performance.now();
  const perProfile: Record<string, Array<ReturnType<typeof nabFileScore>>> = {};
  let starts = 0;
  let weeks = 0;
  for (const s of nab) {
    const warmup = probationRows(s.timestamps.length);
    const result = detector(s.timestamps, s.values, warmup);
    const judged = result.starts.filter((t) => t >= s.timestamps[warmup]);
    starts += judged.length;
    weeks += (s.timestamps[s.timestamps.length - 1] - s.timestamps[warmup]) / WEEK;
    for (const [profile, weights] of Object.entries(profiles)) {
      (perProfile[profile] ??= []).push(nabFileScore(s.timestamps, result.starts, s.windows, warmup, weights));
    }
  }
  const warmup = probationRows(donut.timestamps.length);
  const onDonut = detector(donut.timestamps, donut.values, warmup);
  const f1 = pointAdjustedF1(onDonut.firing.slice(warmup), donut.labels.slice(warmup));
  return {
    detector: name,
    nab: Object.fromEntries(Object.entries(perProfile).map(([p, files]) => [p, nabNormalisedScore(files)])),
    startsPerSeriesWeek: starts / weeks,
    donutF1: f1.f1,
    ms: performance.now() - started,
  };
}

/** The alternatives the defaults were chosen against: each changes one setting of the default rule. */
function variants(): Array<[string, AlertRuleConfig]> {
  const base = DEFAULT_ALERT_RULE;
  const band = (change: Partial<AlertRuleConfig['band']>): AlertRuleConfig => ({
    ...base,
    band: { ...base.band, ...change },
  });
  return [
    ['robust-quantile width 2', band({ method: 'robust-quantile', width: 2 })],
    ['robust-quantile width 3', band({ method: 'robust-quantile', width: 3 })],
    ['median-mad width 4', band({ width: 4 })],
    ['median-mad width 6', band({ width: 6 })],
    ['no slot-quantile floor', band({ floorQuantile: 0.5 })],
    ['slot-quantile floor 0.99', band({ floorQuantile: 0.99 })],
    ['no smoothing across slots', band({ smoothingSlots: 0 })],
    ['always seasonal', band({ seasonalGainRatio: Number.POSITIVE_INFINITY })],
    ['upper side only', band({ direction: 'upper' })],
    ['for 0 steps', { ...base, forSteps: 0 }],
    ['for 2 steps', { ...base, forSteps: 2 }],
    ['keep_firing_for 12 steps', { ...base, keepFiringForSteps: 12 }],
    ['recalibrate hourly', { ...base, recalibrationSeconds: 3600 }],
  ];
}

function main(): void {
  const { values: args } = parseArgs({
    options: {
      data: { type: 'string', default: join(__dirname, '..', '..', 'shared', 'data') },
      sweep: { type: 'boolean' },
    },
  });
  const dataDir = args.data as string;
  const nabDir = join(dataDir, 'anomaly', 'nab');
  const nab = loadNab(nabDir);
  const profiles = loadProfiles(nabDir);
  const donutRows = readCsv(join(dataDir, 'anomaly', 'donut', 'cpu4.csv'));
  const donut = {
    timestamps: donutRows.map((r) => toSeconds(r[0])),
    values: donutRows.map((r) => Number(r[1])),
    labels: donutRows.map((r) => r[2].trim() === '1'),
  };
  const detectors: Array<[string, Detector]> = [
    ['adaptive (headroom thresholds --alerts)', adaptive(DEFAULT_ALERT_RULE)],
    [`static q${STATIC_QUANTILE} of warm-up`, fromThresholds((_, v, w) => staticThresholds(v, w, STATIC_QUANTILE))],
    ['grafana-style mean ± 2σ, 1d/1w', fromThresholds(grafanaStyleThresholds)],
  ];
  if (args.sweep) {
    detectors.push(...variants().map(([name, config]): [string, Detector] => [name, adaptive(config)]));
  }
  const rows = detectors.map(([name, d]) => evaluate(name, d, nab, donut, profiles));
  const profileNames = Object.keys(profiles);
  const header = ['detector', ...profileNames.map((p) => `NAB ${p}`), 'starts/series-week', 'Donut PA-F1', 'ms'];
  const table = rows.map((r) => [
    r.detector,
    ...profileNames.map((p) => r.nab[p].toFixed(1)),
    r.startsPerSeriesWeek.toFixed(2),
    r.donutF1.toFixed(3),
    r.ms.toFixed(0),
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...table.map((r) => r[c].length)));
  const line = (cells: string[]) => `| ${cells.map((cell, c) => cell.padEnd(widths[c])).join(' | ')} |`;
  console.log(`NAB: ${nab.length} series; Donut cpu4: ${donut.timestamps.length} rows\n`);
  console.log(line(header));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  table.forEach((r) => console.log(line(r)));
}

main();
