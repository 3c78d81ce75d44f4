/**
 * Benchmark of the fragmentation analysis on a 10,000-GPU state: 1,250 nodes × 8 GPUs, a workload learnt from
 * 10,000 pod requests resampled from the Alibaba openb trace, placed by first-fit.
 *   npx tsx bench/fragmentation.ts [--runs 30] [--data-dir ../shared/data]
 * Timed: learnWorkload over the 10,000 requests + analyseFragmentation of the state (target: median ≤ 50 ms).
 */
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import {
  analyseFragmentation,
  firstFit,
  learnWorkload,
  type NodeState,
  type PodRequest,
} from '../src/engine/fragmentation';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '30' },
    'data-dir': { type: 'string', default: join(__dirname, '../../shared/data') },
  },
});

/** Deterministic LCG so every run benchmarks the same state. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

const random = rng(1);
const MODELS = ['G2', 'V100M32', 'T4', 'A100'];
const nodes: NodeState[] = Array.from({ length: 1250 }, (_, n) => ({
  name: `node-${String(n).padStart(4, '0')}`,
  gpuModel: MODELS[n % MODELS.length],
  gpuCount: 8,
  cpuFreeMilli: 96000,
  gpus: Array.from({ length: 8 }, (_, index) => ({ index, freeMilli: 1000 })),
}));
// Requests resampled (seeded, with replacement) from the openb pod list, so the type mix is a real cluster's.
const [header, ...lines] = readFileSync(join(values['data-dir']!, 'fragmentation/openb_pod_list_default.csv'), 'utf8')
  .trim()
  .split('\n');
const column = (name: string) => header.split(',').indexOf(name);
const [cpu, num, milli, spec] = ['cpu_milli', 'num_gpu', 'gpu_milli', 'gpu_spec'].map(column);
const pods: Array<PodRequest & { name: string }> = Array.from({ length: 10_000 }, (_, i) => {
  const cells = lines[Math.floor(random() * lines.length)].split(',');
  return {
    name: `pod-${i}`,
    cpuMilli: Number(cells[cpu]),
    gpuCount: Number(cells[num]),
    gpuMilli: Number(cells[milli]),
    gpuSpec: cells[spec],
  };
});
const state = firstFit(nodes, pods).nodes;

const total: number[] = [];
const learning: number[] = [];
let report = analyseFragmentation(state, learnWorkload(pods));
for (let run = 0; run < Number(values.runs); run++) {
  const started = process.hrtime.bigint();
  const workload = learnWorkload(pods);
  const learnt = process.hrtime.bigint();
  report = analyseFragmentation(state, workload);
  learning.push(Number(learnt - started) / 1e6);
  total.push(Number(process.hrtime.bigint() - started) / 1e6);
}
const quantile = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];
console.log(
  `load ${loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')} on ${cpus().length} CPUs`
);
console.log(
  '| GPUs | nodes | pods | task types | runs | median ms | p95 ms | of which learnWorkload median ms | F GPUs | F % of free |'
);
console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
console.log(
  `| ${nodes.length * 8} | ${nodes.length} | ${pods.length} | ${report.tasks.length} | ${total.length} | ${quantile(total, 0.5).toFixed(1)} | ` +
    `${quantile(total, 0.95).toFixed(1)} | ${quantile(learning, 0.5).toFixed(1)} | ${report.fragmentedGpus.toFixed(1)} | ${(report.fragmentedShareOfFree * 100).toFixed(1)} |`
);
