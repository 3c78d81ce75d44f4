/**
 * Benchmark of `writeOpenMetricsHistory`: each size runs in its own child process so peak RSS is that run's.
 *   npx tsx bench/simulate.ts [--sizes 64,256,1024] [--days 30] [--step-seconds 60] [--runs 3] [--sink file|null]
 *   npx tsx bench/simulate.ts --calibration      compare with the real data in ../shared/data
 * `--sink null` writes to /dev/null: generation speed without the disk (1,024 GPUs × 30 days is ~180 GB of text).
 */
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultFleetSpec, writeOpenMetricsHistory } from '../src/simulator';
import { calibrate, QUANTILE_LEVELS } from '../src/simulator/calibration';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '64,256,1024' },
    days: { type: 'string', default: '30' },
    'step-seconds': { type: 'string', default: '60' },
    runs: { type: 'string', default: '3' },
    sink: { type: 'string', default: 'file' },
    child: { type: 'string' },
    calibration: { type: 'boolean' },
    'data-dir': { type: 'string', default: join(__dirname, '../../shared/data') },
  },
});

const END_SECONDS = 1_748_736_000; // 2025-06-01T00:00:00Z: fixed so every run simulates the same fleet.

async function child(gpuCount: number): Promise<void> {
  const out = values.sink === 'null' ? '/dev/null' : join(tmpdir(), `headroom-bench-${process.pid}.om`);
  const started = process.hrtime.bigint();
  const summary = await writeOpenMetricsHistory(
    defaultFleetSpec({ gpuCount, seed: 1 }),
    { endSeconds: END_SECONDS, days: Number(values.days), stepSeconds: Number(values['step-seconds']) },
    out
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage();
  if (out !== '/dev/null') {
    rmSync(out, { force: true });
  }
  // maxRSS is in KiB.
  const peakMiB = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(
    JSON.stringify({
      gpus: summary.totalGpus,
      seconds,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      peakMiB,
      bytes: summary.bytes,
      samples: summary.sampleCount,
      series: summary.seriesCount,
    })
  );
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function bench(): void {
  const runs = Number(values.runs);
  // The machine may be shared: the load average and CPU time (user + system) say how much of the wall time was ours.
  const load = () =>
    loadavg()
      .map((x) => x.toFixed(1))
      .join(' ');
  console.log(
    `history: ${values.days} days at ${values['step-seconds']} s, sink ${values.sink}, median of up to ${runs} runs; load ${load()} on ${cpus().length} CPUs`
  );
  console.log(
    '| GPUs | days | step s | sink | runs | time s (median) | CPU s | peak RSS MiB | output MiB | samples | series | samples/s |'
  );
  console.log('|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const size of values.sizes.split(',').map(Number)) {
    // The biggest fleet runs once: it takes many minutes.
    const n = size >= 1024 ? 1 : runs;
    const results = Array.from({ length: n }, () =>
      JSON.parse(
        execFileSync(
          process.execPath,
          ['--import', 'tsx', __filename, '--child', String(size), ...process.argv.slice(2)],
          {
            encoding: 'utf8',
            maxBuffer: 1 << 20,
          }
        )
      )
    );
    const r = results[0];
    const seconds = median(results.map((x) => x.seconds));
    console.log(
      `| ${r.gpus} | ${values.days} | ${values['step-seconds']} | ${values.sink} | ${n} | ${seconds.toFixed(1)} | ${median(results.map((x) => x.cpuSeconds)).toFixed(1)} | ` +
        `${median(results.map((x) => x.peakMiB)).toFixed(0)} | ${(r.bytes / 2 ** 20).toFixed(0)} | ${r.samples} | ${r.series} | ${Math.round(r.samples / seconds)} |`
    );
  }
  console.log(`load ${load()}`);
}

function calibration(): void {
  const report = calibrate(defaultFleetSpec({ gpuCount: 64, seed: 1 }), {
    startSeconds: END_SECONDS,
    days: 28,
    dataDir: values['data-dir']!,
  });
  const f = (x: number) => x.toFixed(2);
  console.log(
    `GPU_UTIL over allocated whole GPUs (64 GPUs, 28 days, every 5 min); share at 0 %: ${f(report.simulatedShareAtZero)}`
  );
  console.log(`| source | KS distance | ${QUANTILE_LEVELS.map((q) => `p${q * 100}`).join(' | ')} |`);
  console.log(`|---|---:|${QUANTILE_LEVELS.map(() => '---:').join('|')}|`);
  console.log(`| simulated | | ${report.simulatedQuantiles.join(' | ')} |`);
  for (const u of report.utilization) {
    console.log(`| ${u.cluster} | ${f(u.ksDistance)} | ${u.referenceQuantiles.map((x) => x.toFixed(0)).join(' | ')} |`);
  }
  console.log(
    `\nAllocated GPUs: hour-of-day and day-of-week profiles vs running_gpu_num; simulated peak/trough ${f(report.simulatedPeakToTrough)}`
  );
  console.log('| cluster | hour-of-day r | day-of-week r | real peak/trough |');
  console.log('|---|---:|---:|---:|');
  for (const s of report.shapes) {
    console.log(
      `| ${s.cluster} | ${f(s.hourCorrelation)} | ${f(s.weekdayCorrelation)} | ${f(s.referencePeakToTrough)} |`
    );
  }
}

if (values.child) {
  child(Number(values.child)).catch((error) => {
    process.stderr.write(String(error));
    process.exitCode = 1;
  });
} else if (values.calibration) {
  calibration();
} else {
  bench();
}
