/**
 * Recalibration speed: what `headroom recalibrate` does per watched series once the history is fetched (fetch
 * excluded), for 1,000 series. Target (issue 5): 1,000 series in ≤ 2 s.
 * The CLI reads 4 weeks at a 5-minute step (`fetchTrainingSeries`: Prometheus' step for a 4-week range, 8,065
 * points), so each series here is a real one (NAB realAWSCloudwatch + artificial, Donut cpu4;
 * ../shared/data/anomaly, all recorded every 5 minutes) filled to a 4-week window by repeating its history whole
 * weeks earlier (most are 2 weeks long), then cycled to 1,000 series.
 * Rows of the table:
 * - recalibrate path on the pool: what `headroom recalibrate` does, `calibrateSeries` (the band, and the replay with
 *   daily recalibration behind the rule's "expected starts per week") + `grafanaRulesForBand` for each series on a
 *   `CalibrationPool` of one worker thread per core, then `planSync` against Grafana's copy — the headline number.
 *   The pool is started and warmed up (one run) before the timed runs, as in a long-running scheduled
 *   recalibration; a one-off CLI run also pays the threads' start (printed below the table);
 * - recalibrate path on one thread: the same work without the pool;
 * - calibrateSeries: the band and the expected-starts replay alone;
 * - learn band: `learnBand` at the calibration time alone (what the band costs without the replay);
 * - Grafana rules + plan: compiling the learnt bands into fingerprinted rules and planning them, alone;
 * - reference: sorting each series' values once with the engine's built-in sort, what exact quantiles of four
 *   weeks cost at the least when found by sorting: a yardstick for this machine's speed, not Headroom's work.
 * Each row: median and fastest of the runs (wall clock, whole fleet), and process CPU time of the median run (all
 * threads); the load average is printed because the machine is shared.
 * Usage: npx tsx bench/recalibrate.ts [--data DIR] [--runs N]
 */
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { calibrateSeries } from '../src/alerting/calibrate';
import type { CalibrationJob } from '../src/alerting/calibrationJob';
import { CalibrationPool } from '../src/cli/calibrationPool';
import { planSync } from '../src/alerting/grafanaClient';
import { grafanaRulesForBand, ProvisionedAlertRule, RuleTarget } from '../src/alerting/grafanaRule';
import { DEFAULT_ALERT_RULE, learnBand } from '../src/engine/thresholds';

const SERIES = 1_000;
const STEP_SECONDS = 300;
const WEEK_SECONDS = 7 * 86_400;
const WINDOW_SECONDS = 4 * WEEK_SECONDS;
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

/**
 * The 4 weeks before one step after the newest sample, as the CLI reads them; a shorter series is repeated whole
 * weeks earlier (so its weekly rhythm lines up) until it fills the window.
 */
function fourWeekWindow(series: Series): Series {
  const end = series.timestamps[series.timestamps.length - 1] + STEP_SECONDS;
  const spanSeconds = end - series.timestamps[0];
  const periodSeconds = Math.ceil(spanSeconds / WEEK_SECONDS) * WEEK_SECONDS;
  const timestamps: number[] = [];
  const values: number[] = [];
  for (let copy = Math.ceil(WINDOW_SECONDS / periodSeconds); copy >= 0; copy--) {
    series.timestamps.forEach((t, i) => {
      const shifted = t - copy * periodSeconds;
      if (shifted >= end - WINDOW_SECONDS) {
        timestamps.push(shifted);
        values.push(series.values[i]);
      }
    });
  }
  return { timestamps, values };
}

function loadFleet(dataDir: string): { fleet: Series[]; realSeries: number } {
  const nab = join(dataDir, 'anomaly', 'nab', 'data');
  const files = readdirSync(nab)
    .sort()
    .flatMap((group) =>
      readdirSync(join(nab, group))
        .sort()
        .map((file) => join(nab, group, file))
    );
  const real = [...files, join(dataDir, 'anomaly', 'donut', 'cpu4.csv')].map((f) => fourWeekWindow(readSeries(f)));
  return { fleet: Array.from({ length: SERIES }, (_, i) => real[i % real.length]), realSeries: real.length };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Calibrated at one step after the newest sample, so the whole window is learnt from. */
const calibratedAt = (s: Series) => s.timestamps[s.timestamps.length - 1] + STEP_SECONDS;
const targetOf = (i: number): RuleTarget => ({
  selector: `gpu_utilization{node="node-${i}"}`,
  datasourceUid: 'prometheus',
  folderUID: 'headroom',
  ruleGroup: 'headroom-adaptive',
});
const jobOf = (s: Series, i: number): CalibrationJob => ({
  target: targetOf(i),
  timestampsSeconds: s.timestamps,
  values: s.values,
  calibratedAtSeconds: calibratedAt(s),
  config: DEFAULT_ALERT_RULE,
});

async function main() {
  const { values: args } = parseArgs({
    options: {
      data: { type: 'string', default: join(__dirname, '..', '..', 'shared', 'data') },
      runs: { type: 'string', default: '5' },
    },
  });
  const runs = Number(args.runs);
  const { fleet, realSeries } = loadFleet(args.data as string);
  const calibrated = fleet.map((s) => calibrateSeries(s.timestamps, s.values, calibratedAt(s)));
  // Grafana's copy: what the last run wrote, so planning compares every rule (all come out unchanged).
  const existing = calibrated.flatMap((c, i) => grafanaRulesForBand(targetOf(i), c.calibration, c.timing));

  const recalibratePath = () => {
    const desired: ProvisionedAlertRule[] = [];
    fleet.forEach((s, i) => {
      const { calibration, timing } = calibrateSeries(s.timestamps, s.values, calibratedAt(s));
      desired.push(...grafanaRulesForBand(targetOf(i), calibration, timing));
    });
    planSync(desired, existing);
  };
  const startedAt = performance.now();
  const pool = CalibrationPool.forSeries(fleet.length);
  await pool.calibrate(jobOf(fleet[0], 0));
  const poolStartMs = performance.now() - startedAt;
  const recalibrateOnPool = async () => {
    const calibratedOnPool = await Promise.all(fleet.map((s, i) => pool.calibrate(jobOf(s, i))));
    planSync(
      calibratedOnPool.flatMap((c) => c.rules),
      existing
    );
  };
  const work: Array<[string, () => void | Promise<void>]> = [
    [`recalibrate path, pool of ${pool.threads} threads: calibrate + Grafana rules, plan`, recalibrateOnPool],
    ['recalibrate path, one thread: calibrateSeries + Grafana rules + plan', recalibratePath],
    [
      '  calibrateSeries (band + expected-starts replay)',
      () => fleet.forEach((s) => calibrateSeries(s.timestamps, s.values, calibratedAt(s))),
    ],
    [
      '  learn band only',
      () => fleet.forEach((s) => learnBand(s.timestamps, s.values, calibratedAt(s), DEFAULT_ALERT_RULE.band)),
    ],
    [
      '  Grafana rules + plan only',
      () =>
        planSync(
          calibrated.flatMap((c, i) => grafanaRulesForBand(targetOf(i), c.calibration, c.timing)),
          existing
        ),
    ],
    [
      "reference: one native sort of each series' values (Float64Array.prototype.sort)",
      () => fleet.forEach((s) => Float64Array.from(s.values).sort()),
    ],
  ];
  const points = median(fleet.map((s) => s.timestamps.length));
  const rows: string[][] = [];
  for (const [name, run] of work) {
    await run(); // warm-up: compiled code, as in a long-running recalibration
    const samples: Array<{ wallMs: number; cpuMs: number }> = [];
    for (let r = 0; r < runs; r++) {
      const cpuBefore = process.cpuUsage();
      const started = performance.now();
      await run();
      const wallMs = performance.now() - started;
      const cpu = process.cpuUsage(cpuBefore);
      samples.push({ wallMs, cpuMs: (cpu.user + cpu.system) / 1000 });
    }
    const medianWallMs = median(samples.map((s) => s.wallMs));
    const medianRun = samples.find((s) => s.wallMs === medianWallMs)!;
    rows.push([
      name,
      '5 min',
      String(points),
      medianWallMs.toFixed(0),
      Math.min(...samples.map((s) => s.wallMs)).toFixed(0),
      medianRun.cpuMs.toFixed(0),
      (medianWallMs / SERIES).toFixed(2),
      name.startsWith(' ') || name.startsWith('reference') ? '' : medianWallMs <= TARGET_MS ? 'yes' : 'NO',
    ]);
    if (run === recalibrateOnPool) {
      await pool.close(); // its idle threads stay out of the other rows' CPU time
    }
  }
  const header = [
    `work per series (× ${SERIES.toLocaleString('en')})`,
    'step',
    'points',
    'median ms',
    'min ms',
    'CPU ms',
    'ms/series',
    `≤ ${TARGET_MS.toLocaleString('en')} ms`,
  ];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) =>
    `| ${cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join(' | ')} |`;
  console.log(
    `${SERIES.toLocaleString('en')} series cycled from ${realSeries} real series (NAB + Donut), each filled to the ` +
      `4-week window the CLI reads at its 5-minute step; ${runs} runs (after one warm-up); ` +
      `load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' / ')} on this machine\n`
  );
  console.log(line(header));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  rows.forEach((r) => console.log(line(r)));
  console.log(
    `\nThe pool: ${pool.threads} worker threads (one per core, os.availableParallelism()); starting them and ` +
      `calibrating the first series took ${poolStartMs.toFixed(0)} ms, which a one-off CLI run adds once.`
  );
}

void main();
