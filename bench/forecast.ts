/**
 * Rolling-origin forecast benchmark on real public series (see ../shared/data/README.md).
 * Hourly means; each origin trains on at most 28 days before it; horizons 24 h and 168 h.
 * Usage: npx tsx bench/forecast.ts [--origins N] [--auto-origins N] [--data DIR] [--methods a,b] [--lstm]
 *   [--fleet-gpus N] (0 skips the large-fleet section) [--lofo]
 * --lofo instead chooses auto's selection variant leave-one-family-out (bench/forecastLofo.ts) on the series and the
 * simulated fleet (7 origins), and prints the held-out table.
 * --lstm adds the LSTM row (tfjs, wasm backend when it loads, else cpu; seconds per fit, not ms).
 * After the tables: auto's time on the series with a full 672-hour history at 168 h, and day-ahead accuracy on
 * a simulated fleet of thousands of GPUs (the real clusters have at most 208), cached in the temp folder.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadAugursInNode } from '../src/cli/augursInNode';
import {
  DAY_SECONDS,
  DEFAULT_AUTO_OPTIONS,
  augursEts,
  autoForecast,
  coverage,
  defaultForecasters,
  mase,
  peakError,
  wape,
  type Forecaster,
} from '../src/engine/forecast';
import { DEFAULT_LSTM_OPTIONS, trainLstm } from '../src/engine/forecast/lstm';
import { defaultFleetSpec } from '../src/simulator';
import { FREE } from '../src/simulator/scheduler';
import { FleetSimulation, TICK_SECONDS } from '../src/simulator/simulation';
import { lofo } from './forecastLofo';
import { HOUR, loadSeries, type Series } from './realSeries';
import { median, mean } from './stats';
import { rollingOrigins, TRAIN_STEPS } from './rollingOrigins';

const HORIZONS = [24, 168];
const LEVELS = [80, 95];

/** Fixed so every run simulates the same fleet: 2025-06-01T00:00:00Z. */
const FLEET_END_SECONDS = 1_748_736_000;
const FLEET_DAYS = 36;

/**
 * Allocated GPUs of the simulated fleet (the default fleet spec at `gpus` GPUs, seed 1), hourly means of a sample
 * every 10 minutes, MIG instances as their share of a GPU. About 100 s for 4,096 GPUs, so cached.
 */
function simulatedFleet(gpus: number): Series {
  const cache = join(tmpdir(), `headroom-bench-fleet-${gpus}-${FLEET_DAYS}d-${FLEET_END_SECONDS}.json`);
  if (existsSync(cache)) {
    return JSON.parse(readFileSync(cache, 'utf8'));
  }
  const startSeconds = FLEET_END_SECONDS - FLEET_DAYS * DAY_SECONDS;
  const sim = new FleetSimulation(defaultFleetSpec({ gpuCount: gpus, seed: 1 }), startSeconds);
  const values: number[] = [];
  for (let hour = 0; hour < FLEET_DAYS * 24; hour++) {
    let sum = 0;
    for (let minute = 0; minute < 60; minute += 10) {
      sim.advanceTo(sim.startTick + hour * 60 + minute);
      sim.layout.slots.forEach((slot, s) => (sum += sim.holder[s] === FREE ? 0 : slot.computeShare));
    }
    values.push(sum / 6);
  }
  const series = { name: `simulated ${gpus} GPUs, allocated`, startSeconds: sim.startTick * TICK_SECONDS, values };
  writeFileSync(cache, JSON.stringify(series));
  return series;
}

interface MethodResult {
  mean: number[];
  model?: string;
  intervals?: Record<string, { lower: number[]; upper: number[] }>;
}
type Method = (history: number[], startSeconds: number, horizonSteps: number) => MethodResult | Promise<MethodResult>;

/** tfjs on the wasm backend where it initialises (several times faster than cpu here), else cpu. */
async function loadLstm(): Promise<{ method: Method; backend: string }> {
  const tf = await import('@tensorflow/tfjs');
  await import('@tensorflow/tfjs-backend-wasm');
  const backend = (await tf.setBackend('wasm').catch(() => false)) ? 'wasm' : 'cpu';
  await tf.setBackend(backend);
  await tf.ready();
  return {
    backend,
    method: (history, startSeconds, horizonSteps) =>
      trainLstm({ values: history, startSeconds, stepSeconds: HOUR, horizonSteps }, { ...DEFAULT_LSTM_OPTIONS, tf }),
  };
}

/** Prometheus predict_linear: least-squares line over the last 6 h, extrapolated. */
const linear6h: Method = (history, _start, horizonSteps) => {
  const y = history.slice(-6);
  const n = y.length;
  const xMean = (n - 1) / 2;
  const yMean = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  y.forEach((v, x) => {
    sxy += (x - xMean) * (v - yMean);
    sxx += (x - xMean) ** 2;
  });
  const slope = sxx > 0 ? sxy / sxx : 0;
  return { mean: Array.from({ length: horizonSteps }, (_, h) => yMean + slope * (n - xMean + h)) };
};

async function loadProphet(): Promise<Method | string> {
  try {
    const require = createRequire(__filename);
    const dir = dirname(require.resolve('@bsull/augurs/prophet'));
    const prophetModule = await import('@bsull/augurs/prophet');
    prophetModule.initSync({ module: readFileSync(join(dir, 'prophet_bg.wasm')) });
    const { optimizer } = await import('@bsull/augurs-prophet-wasmstan');
    return (history, startSeconds, horizonSteps) => {
      const ds = history.map((_, k) => startSeconds + k * HOUR);
      const model = new prophetModule.Prophet({ optimizer, intervalWidth: 0.8 } as never);
      model.fit({ ds, y: history });
      const future = Array.from({ length: horizonSteps }, (_, h) => startSeconds + (history.length + h) * HOUR);
      const p = model.predict({ ds: future });
      model.free();
      return { mean: p.yhat.point };
    };
  } catch (error) {
    return `Prophet unavailable: ${error instanceof Error ? error.message : String(error)}`;
  }
}

interface Score {
  wape: number;
  mase: number;
  peak: number;
  cover80: number;
  cover95: number;
  ms: number;
}


async function main() {
  const { values: flags } = parseArgs({
    options: {
      origins: { type: 'string', default: '3' },
      'auto-origins': { type: 'string', default: String(DEFAULT_AUTO_OPTIONS.origins) },
      data: { type: 'string', default: '../shared/data' },
      methods: { type: 'string' },
      lstm: { type: 'boolean', default: false },
      'fleet-gpus': { type: 'string', default: '4096' },
      lofo: { type: 'boolean', default: false },
    },
  });
  const originCount = Number(flags.origins);
  const autoOptions = { ...DEFAULT_AUTO_OPTIONS, origins: Number(flags['auto-origins']) };
  const series = loadSeries(flags.data!);
  const augurs = loadAugursInNode();
  const models = defaultForecasters(augurs);
  if (flags.lofo) {
    const fleetGpus = Number(flags['fleet-gpus']);
    const fleet = fleetGpus > 0 ? [{ ...simulatedFleet(fleetGpus), family: 'fleet', origins: 7 }] : [];
    lofo([...series, ...fleet], models, originCount, (line) => process.stdout.write(`${line}\n`));
    return;
  }
  const byName = (name: string) => models.find((m) => m.name === name)!;
  const single =
    (model: Forecaster): Method =>
    (history, startSeconds, horizonSteps) =>
      model.forecast({ values: history, startSeconds, stepSeconds: HOUR, horizonSteps });
  const methods: Record<string, Method> = {
    auto: (history, startSeconds, horizonSteps) =>
      autoForecast(
        { values: history, startSeconds, stepSeconds: HOUR, horizonSteps, levels: LEVELS },
        models,
        autoOptions
      ),
    ...Object.fromEntries(models.map((m) => [m.name, single(m)])),
    ets: single(augursEts(augurs)),
    linear_6h: linear6h,
  };
  methods.augurs_mstl = single(byName('mstl'));
  delete methods.mstl;
  const prophet = await loadProphet();
  if (typeof prophet === 'string') {
    process.stderr.write(prophet + '\n');
  } else {
    methods.prophet = prophet;
  }
  if (flags.lstm) {
    const lstm = await loadLstm();
    process.stderr.write(`LSTM on the tfjs ${lstm.backend} backend\n`);
    methods.lstm = lstm.method;
  }
  if (flags.methods) {
    const keep = new Set(flags.methods.split(','));
    for (const name of Object.keys(methods).filter((m) => !keep.has(m))) {
      delete methods[name];
    }
  }

  process.stdout.write(`${series.length} series, ${originCount} origins each, train ≤ ${TRAIN_STEPS} h\n`);
  for (const horizonSteps of HORIZONS) {
    const { scores, autoChoices } = await evaluate(series, horizonSteps, methods, originCount);
    printTable(`horizon ${horizonSteps} h over series × origins`, scores);
    const choices = [...autoChoices.entries()].sort((a, b) => b[1] - a[1]);
    const withMstl = choices.filter(([m]) => m.includes('mstl')).reduce((sum, [, c]) => sum + c, 0);
    const top = choices.slice(0, 5).map(([m, c]) => `${m} ×${c}`);
    process.stdout.write(`auto chose: ${top.join(', ')}, …; MSTL alone or in a blend ×${withMstl}\n`);
  }
  if (methods.auto) {
    // The last 672 points of every series that long: wall time, and CPU time, which other processes disturb less.
    const long = series.filter((s) => s.values.length >= TRAIN_STEPS);
    const wallMs: number[] = [];
    const cpuMs: number[] = [];
    for (const s of long) {
      const startSeconds = s.startSeconds + (s.values.length - TRAIN_STEPS) * HOUR;
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      await methods.auto(s.values.slice(-TRAIN_STEPS), startSeconds, 168);
      wallMs.push(performance.now() - t0);
      const cpu = process.cpuUsage(cpu0);
      cpuMs.push((cpu.user + cpu.system) / 1000);
    }
    process.stdout.write(
      `\nauto on ${TRAIN_STEPS} hourly points, 168-step horizon, ${long.length} series: median ` +
        `${median(wallMs).toFixed(1)} ms wall, ${median(cpuMs).toFixed(1)} ms CPU per series\n`
    );
  }
  const fleetGpus = Number(flags['fleet-gpus']);
  if (fleetGpus > 0) {
    const fleet = simulatedFleet(fleetGpus);
    const peak = Math.max(...fleet.values);
    const fleetMethods = Object.fromEntries(Object.entries(methods).filter(([name]) => name !== 'lstm'));
    const { scores } = await evaluate([fleet], 24, fleetMethods, 7);
    printTable(`large fleet: ${fleet.name} (peak ${peak.toFixed(0)}), day ahead, 7 origins`, scores);
  }
}

interface Evaluation {
  scores: Record<string, Score[]>;
  autoChoices: Map<string, number>;
}

async function evaluate(
  series: Series[],
  horizonSteps: number,
  methods: Record<string, Method>,
  originCount: number
): Promise<Evaluation> {
  const scores: Record<string, Score[]> = Object.fromEntries(Object.keys(methods).map((k) => [k, []]));
  const autoChoices = new Map<string, number>();
  for (const s of series) {
    for (const { origin, history, startSeconds, actual, scale } of rollingOrigins(s, horizonSteps, originCount)) {
      for (const [name, method] of Object.entries(methods)) {
        const t0 = performance.now();
        let f;
        try {
          f = await method(history, startSeconds, horizonSteps);
        } catch (error) {
          process.stderr.write(`${name} failed on ${s.name}@${origin}: ${String(error)}\n`);
          continue;
        }
        const ms = performance.now() - t0;
        if (name === 'auto' && f.model) {
          autoChoices.set(f.model, (autoChoices.get(f.model) ?? 0) + 1);
        }
        scores[name].push({
          wape: wape(actual, f.mean),
          mase: mase(actual, f.mean, scale),
          peak: Math.abs(peakError(actual, f.mean)),
          cover80: f.intervals ? coverage(actual, f.intervals['80'].lower, f.intervals['80'].upper) : NaN,
          cover95: f.intervals ? coverage(actual, f.intervals['95'].lower, f.intervals['95'].upper) : NaN,
          ms,
        });
      }
    }
  }
  return { scores, autoChoices };
}

function printTable(title: string, scores: Record<string, Score[]>): void {
  process.stdout.write(
    `\n${title}: WAPE, MASE med and ms are medians; MASE mean, |peak err| and coverage (%) are means\n`
  );
  process.stdout.write('method               n   WAPE   MASE med  MASE mean  |peak err|  cover80  cover95   ms\n');
  for (const [name, list] of Object.entries(scores)) {
    const pct = (x: number) => (Number.isFinite(x) ? (100 * x).toFixed(1).padStart(7) : '      -');
    process.stdout.write(
      `${name.padEnd(20)} ${String(list.length).padStart(3)} ${median(list.map((x) => x.wape)).toFixed(3)}  ${median(
        list.map((x) => x.mase)
      )
        .toFixed(3)
        .padStart(8)}  ${mean(list.map((x) => x.mase))
        .toFixed(3)
        .padStart(9)}  ${mean(list.map((x) => x.peak))
        .toFixed(3)
        .padStart(10)}  ${pct(mean(list.map((x) => x.cover80)))}  ${pct(mean(list.map((x) => x.cover95)))}  ${median(
        list.map((x) => x.ms)
      ).toFixed(1)}\n`
    );
  }
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
