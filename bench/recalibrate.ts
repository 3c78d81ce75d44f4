/**
 * Recalibration speed: relearning the adaptive band of 1,000 watched series, as `headroom recalibrate` and the
 * Alerts page do, on real series (NAB realAWSCloudwatch + artificial, Donut cpu4; ../shared/data/anomaly) cycled to
 * 1,000 and cut to the band's 4-week training window.
 * Rows of the table:
 * - learn band: `learnBand` at the end of the window (the thresholds a recalibrated rule carries);
 * - band + rules: the band compiled into Grafana rules with fingerprints and planned against Grafana's copy;
 * - calibrateSeries: the band plus the replay that gives the rule's "expected starts per week" annotation (daily
 *   recalibration over the window), timed on a sample and scaled to 1,000;
 * each at the 5-minute step `headroom recalibrate` reads 4 weeks at, and at an hourly step (the band's slots are
 * hours). Target (issue 5): 1,000 series in ≤ 2 s.
 * Usage: npx tsx bench/recalibrate.ts [--data DIR] [--runs N] [--sample N]
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { calibrateSeries } from '../src/alerting/calibrate';
import { planSync } from '../src/alerting/grafanaClient';
import { grafanaRulesForBand } from '../src/alerting/grafanaRule';
import { DEFAULT_ALERT_RULE, learnBand, medianStepSeconds } from '../src/engine/thresholds';

const SERIES = 1_000;
const WINDOW_SECONDS = 28 * 86_400;
const TARGET_MS = 2_000;

interface Series {
  timestamps: number[];
  values: number[];
}

const toSeconds = (text: string) =>
  /^\d+(\.\d+)?$/.test(text) ? Number(text) : Date.parse(text.trim().replace(' ', 'T') + 'Z') / 1000;

function readSeries(path: string): Series {
  const rows = readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split(','));
  return { timestamps: rows.map((r) => toSeconds(r[0])), values: rows.map((r) => Number(r[1])) };
}

/** The last 4 weeks of a series, the window a recalibration learns from. */
function lastWindow(series: Series): Series {
  const end = series.timestamps[series.timestamps.length - 1];
  const from = series.timestamps.findIndex((t) => t > end - WINDOW_SECONDS);
  return { timestamps: series.timestamps.slice(from), values: series.values.slice(from) };
}

/** Hourly means, as a query at a 1-hour step with avg_over_time would give. */
function hourly(series: Series): Series {
  const byHour = new Map<number, { sum: number; count: number }>();
  series.timestamps.forEach((t, i) => {
    const hour = Math.floor(t / 3600) * 3600;
    const bucket = byHour.get(hour) ?? { sum: 0, count: 0 };
    bucket.sum += series.values[i];
    bucket.count++;
    byHour.set(hour, bucket);
  });
  const hours = [...byHour.keys()].sort((a, b) => a - b);
  return { timestamps: hours, values: hours.map((h) => byHour.get(h)!.sum / byHour.get(h)!.count) };
}

function loadRealSeries(dataDir: string): Series[] {
  const nab = join(dataDir, 'anomaly', 'nab', 'data');
  const files = readdirSync(nab)
    .sort()
    .flatMap((group) =>
      readdirSync(join(nab, group))
        .sort()
        .map((file) => join(nab, group, file))
    );
  return [...files, join(dataDir, 'anomaly', 'donut', 'cpu4.csv')].map((file) => lastWindow(readSeries(file)));
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function timeMs(work: () => void): number {
  const started = performance.now();
  work();
  return performance.now() - started;
}

function main() {
  const { values: args } = parseArgs({
    options: {
      data: { type: 'string', default: join(__dirname, '..', '..', 'shared', 'data') },
      runs: { type: 'string', default: '3' },
      sample: { type: 'string', default: '20' },
    },
  });
  const runs = Number(args.runs);
  const sample = Number(args.sample);
  const real = loadRealSeries(args.data as string);
  const fleets = {
    '5 min': Array.from({ length: SERIES }, (_, i) => real[i % real.length]),
    '1 h': Array.from({ length: SERIES }, (_, i) => real[i % real.length]).map(hourly),
  };
  const rows: string[][] = [];
  for (const [step, fleet] of Object.entries(fleets)) {
    const points = median(fleet.map((s) => s.timestamps.length));
    const at = (s: Series) => s.timestamps[s.timestamps.length - 1] + medianStepSeconds(s.timestamps);
    const learn = () => fleet.forEach((s) => learnBand(s.timestamps, s.values, at(s), DEFAULT_ALERT_RULE.band));
    const rules = () => {
      const desired = fleet.flatMap((s, i) => {
        const band = learnBand(s.timestamps, s.values, at(s), DEFAULT_ALERT_RULE.band)!;
        const calibration = {
          band,
          method: DEFAULT_ALERT_RULE.band.method,
          trainingStartSeconds: s.timestamps[0],
          trainingEndSeconds: s.timestamps[s.timestamps.length - 1],
          expectedStartsPerWeek: 0,
          stepSeconds: medianStepSeconds(s.timestamps),
        };
        const target = { selector: `series_${i}`, datasourceUid: 'prom', folderUID: 'headroom', ruleGroup: 'g' };
        return grafanaRulesForBand(target, calibration, { forSeconds: 300, keepFiringForSeconds: 10_800 });
      });
      planSync(desired, desired);
    };
    const calibrateSample = () => fleet.slice(0, sample).forEach((s) => calibrateSeries(s.timestamps, s.values, at(s)));
    const measure = (name: string, work: () => void, scale: number, times: number) => {
      const ms = Array.from({ length: times }, () => timeMs(work) * scale);
      const m = median(ms);
      rows.push([
        step,
        name,
        String(points),
        m.toFixed(0),
        Math.min(...ms).toFixed(0),
        (m / SERIES).toFixed(2),
        m <= TARGET_MS ? 'yes' : 'no',
      ]);
    };
    measure('learn band', learn, 1, runs);
    measure('band + Grafana rules + plan', rules, 1, runs);
    measure(
      `calibrateSeries (×${SERIES / sample} from ${sample})`,
      calibrateSample,
      SERIES / sample,
      Math.min(runs, 3)
    );
  }
  const header = ['step', 'work per series', 'points', 'median ms / 1,000', 'min ms', 'ms/series', `≤ ${TARGET_MS} ms`];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) => `| ${cells.map((cell, c) => cell.padEnd(widths[c])).join(' | ')} |`;
  console.log(
    `${SERIES} series cycled from ${real.length} real series (NAB + Donut), last 4 weeks each; ${runs} runs\n`
  );
  console.log(line(header));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  rows.forEach((r) => console.log(line(r)));
}

main();
