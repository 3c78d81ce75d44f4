/**
 * `headroom size training|inference`: GPU-hours and days to train a model, and memory, GPUs per replica and replicas
 * to serve one. The arithmetic is the engine's (engine/sizing); this file reads flags and prints.
 */
import {
  GPU_DATASHEETS,
  dtypesOf,
  gpuDatasheet,
  peakDenseFlops,
  sizeInference,
  SizingInputError,
  trainingEstimate,
  VLLM_GPU_MEMORY_UTILIZATION,
  type InferenceSizing,
  type TrainingEstimate,
  measuredTokensPerSecondPerGpu,
} from '../../engine/sizing';
import { createCatalog } from '../../prometheus/catalog';
import { createPrometheusClient } from '../../prometheus/client';
import { createFetchTransport } from '../../prometheus/fetchTransport';
import { fetchVllmServingHistory } from '../../prometheus/vllmThroughput';
import { parseFlags, UsageError } from '../args';
import type { CliCommand } from '../command';
import { reportCommandError } from '../reportError';

const GPU_LIST = GPU_DATASHEETS.map((row) => `${row.id} (${dtypesOf(row).join(', ') || 'no peak'})`).join(', ');

const TRAINING_USAGE = `usage: headroom size training --params N --tokens D --mfu U
                              (--gpu-model M --dtype T | --peak-flops P) [--gpus G] [--json]

GPU-hours to train N parameters on D tokens: 6·N·D FLOPs ÷ (peak FLOP/s per GPU × MFU × 3600), and wall-clock days
(GPU-hours ÷ G ÷ 24) when --gpus is given. Numbers accept exponents (70e9); output numbers are SI (FLOPs, hours).

options:
  --params N         parameter count
  --tokens D         tokens trained on
  --mfu U            model FLOPs utilisation in (0, 1], e.g. 0.4: your fleet's own, measured with \`headroom mfu\`
                     on a running job, or a stated assumption (this command does not read Prometheus)
  --gpu-model M      GPU model, by id or DCGM modelName: ${GPU_LIST}
  --dtype T          data type of the matmuls; its dense peak comes from the GPU's NVIDIA datasheet
  --peak-flops P     one GPU's peak FLOP/s instead of --gpu-model and --dtype
  --gpus G           GPUs the job runs on
  --json             print {"flops", "gpuHours", "days"?, ...} as JSON
`;

const INFERENCE_USAGE = `usage: headroom size inference --params N --bytes B --layers L --kv-heads K --head-dim Q --context T
                               --concurrency C (--gpu-memory-gib G | --gpu-model M) [options] [--json]

Memory per replica = weights (N × B) + KV cache (L × K × Q × 2 × bytes × T × C); GPUs per replica = the smallest
tensor-parallel size (1, 2, 4 or 8, dividing --heads when given, as vLLM requires) at which each GPU's share fits
${VLLM_GPU_MEMORY_UTILIZATION} of its memory (vLLM's default --gpu-memory-utilization). With a target rate, replicas =
⌈requests/s × tokens per request ÷ (tokens/s per GPU × GPUs per replica × target utilisation)⌉.
Output numbers are SI (bytes).

options:
  --params N                      parameter count
  --bytes B                       bytes per parameter (2 for bf16/fp16, 1 for fp8, 0.5 for 4-bit)
  --kv-bytes B                    bytes per KV-cache value (default --bytes; 1 for --kv-cache-dtype fp8)
  --layers L                      transformer layers
  --kv-heads K                    key/value heads (fewer than --heads under grouped-query attention)
  --head-dim Q                    dimension of one head
  --heads H                       attention heads; restricts tensor-parallel sizes to those dividing H
  --context T                     tokens per sequence the cache holds (vLLM --max-model-len)
  --concurrency C                 sequences held at once (vLLM --max-num-seqs)
  --gpu-memory-gib G              one GPU's memory in GiB
  --gpu-model M                   or take it from the GPU's datasheet: ${GPU_DATASHEETS.map((row) => row.id).join(', ')}
  --gpu-memory-utilization F      usable share of GPU memory, in (0, 1] (default ${VLLM_GPU_MEMORY_UTILIZATION})
  --requests-per-second R         } all three: replicas and GPUs for this rate; measure the
  --tokens-per-request T          } throughput at your latency target (a benchmark figure or
  --tokens-per-second-per-gpu X   } your vLLM history), counting tokens the same way
  --prometheus URL                without --tokens-per-second-per-gpu: measure it from the fleet's vLLM history,
                                  generation tokens/s ÷ GPUs its pods request, the 0.9 quantile of serving hours
                                  (capacity holds at the throughput reached when busy, not the idle average)
  --model NAME                    the served model (vLLM's model_name) to measure; needed when several are served
  --history-days D                history to measure over, up to now (default 7)
  --target-utilisation U          share of that throughput to plan for, in (0, 1] (default 1; 0.8 leaves the
                                  capacity plan's buffer)
  --json                          print {"weightsBytes", "kvCacheBytes", "gpusPerReplica", ...} as JSON
`;

const USAGE = `usage: headroom size training|inference [options]

Sizing: GPU-hours and days to train a model, or memory, GPUs per replica and replicas to serve one.
\`headroom size training --help\` and \`headroom size inference --help\` list the options.
`;

const GIB = 2 ** 30;

export const sizeCommand: CliCommand = {
  summary: 'GPU-hours to train a model; memory, GPUs per replica and replicas to serve one',
  async run(args: string[]): Promise<number> {
    const [kind, ...rest] = args;
    if (kind === '--help') {
      process.stdout.write(USAGE);
      return 0;
    }
    if (kind === 'training') {
      return runSubcommand('size training', TRAINING_USAGE, rest, training);
    }
    if (kind === 'inference') {
      return runSubcommand('size inference', INFERENCE_USAGE, rest, inference);
    }
    process.stderr.write(
      `headroom size: ${kind === undefined ? 'say what to size' : `unknown kind "${kind}"`}: training or inference.\n\n` +
        USAGE
    );
    return 2;
  },
};

interface Body {
  json: boolean;
  value: object;
  table: string;
  notes: string[];
}

/** Help, or the subcommand's answer on stdout (notes on stderr), or its error: exit code as every command gives it. */
async function runSubcommand(
  name: string,
  usage: string,
  args: string[],
  body: (args: string[]) => Body | Promise<Body>
): Promise<number> {
  if (args.includes('--help')) {
    process.stdout.write(usage);
    return 0;
  }
  try {
    const { json, value, table, notes } = await body(args);
    process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : table);
    for (const note of notes) {
      process.stderr.write(`note: ${note}\n`);
    }
    return 0;
  } catch (error) {
    return reportCommandError(name, error, { usage: [SizingInputError] });
  }
}

const TRAINING_FLAGS = {
  params: { type: 'string' },
  tokens: { type: 'string' },
  mfu: { type: 'string' },
  'gpu-model': { type: 'string' },
  dtype: { type: 'string' },
  'peak-flops': { type: 'string' },
  gpus: { type: 'string' },
  json: { type: 'boolean', default: false },
} as const;

function training(args: string[]) {
  const values = parseFlags(args, TRAINING_FLAGS);
  const peak = trainingPeak(values);
  const gpus = optionalNumber('gpus', values.gpus);
  const mfu = requiredNumber('mfu', values.mfu);
  const estimate = trainingEstimate({
    parameters: requiredNumber('params', values.params),
    tokens: requiredNumber('tokens', values.tokens),
    mfu,
    peakFlopsPerGpu: peak.flops,
    gpus,
  });
  const value = { ...estimate, gpus, mfu, peakFlopsPerGpu: peak.flops, ...peak.about };
  return { json: values.json, value, table: trainingTable(estimate, value), notes: [] };
}

interface PeakAbout {
  gpuModel?: string;
  dtype?: string;
  peakSource?: string;
}

function trainingPeak(values: { 'gpu-model'?: string; dtype?: string; 'peak-flops'?: string }): {
  flops: number;
  about: PeakAbout;
} {
  if (values['peak-flops'] !== undefined) {
    if (values['gpu-model'] !== undefined || values.dtype !== undefined) {
      throw new UsageError('Give either --peak-flops or --gpu-model with --dtype, not both.');
    }
    return { flops: requiredNumber('peak-flops', values['peak-flops']), about: { peakSource: '--peak-flops' } };
  }
  if (values['gpu-model'] === undefined || values.dtype === undefined) {
    throw new UsageError('--gpu-model and --dtype are required (or --peak-flops).');
  }
  const row = gpuDatasheet(values['gpu-model']);
  const flops = peakDenseFlops(row, values.dtype);
  return {
    flops,
    about: {
      gpuModel: row.id,
      dtype: values.dtype.toLowerCase(),
      peakSource: `${row.source.title}, ${row.source.url}`,
    },
  };
}

function trainingTable(
  estimate: TrainingEstimate,
  about: PeakAbout & { gpus?: number; mfu: number; peakFlopsPerGpu: number }
) {
  const rows: Array<[string, string]> = [
    ['training compute (6·N·D)', `${estimate.flops.toExponential(4)} FLOPs`],
    [
      'peak per GPU',
      `${(about.peakFlopsPerGpu / 1e12).toFixed(1)} TFLOP/s` +
        (about.gpuModel ? ` (${about.gpuModel} dense ${about.dtype})` : ''),
    ],
    ['MFU', `${(about.mfu * 100).toFixed(1)} %`],
    ['GPU-hours', whole(estimate.gpuHours)],
  ];
  if (estimate.days !== undefined) {
    rows.push([`days on ${about.gpus} GPUs`, estimate.days.toFixed(1)]);
  }
  return table(rows) + (about.gpuModel ? `peak from: ${about.peakSource}\n` : '');
}

const INFERENCE_FLAGS = {
  params: { type: 'string' },
  bytes: { type: 'string' },
  'kv-bytes': { type: 'string' },
  layers: { type: 'string' },
  'kv-heads': { type: 'string' },
  'head-dim': { type: 'string' },
  heads: { type: 'string' },
  context: { type: 'string' },
  concurrency: { type: 'string' },
  'gpu-memory-gib': { type: 'string' },
  'gpu-model': { type: 'string' },
  'gpu-memory-utilization': { type: 'string' },
  'requests-per-second': { type: 'string' },
  'tokens-per-request': { type: 'string' },
  'tokens-per-second-per-gpu': { type: 'string' },
  'target-utilisation': { type: 'string' },
  prometheus: { type: 'string' },
  model: { type: 'string' },
  'history-days': { type: 'string' },
  json: { type: 'boolean', default: false },
} as const;

const RATE_FLAGS = ['requests-per-second', 'tokens-per-request', 'tokens-per-second-per-gpu'] as const;

const DAY_SECONDS = 86_400;

/** Tokens/s per GPU as given, or measured from the vLLM history when --prometheus is given instead. */
async function throughputPerGpu(values: {
  'tokens-per-second-per-gpu'?: string;
  'requests-per-second'?: string;
  'tokens-per-request'?: string;
  prometheus?: string;
  model?: string;
  'history-days'?: string;
}): Promise<{ tokensPerSecondPerGpu?: number; about: object }> {
  const given = optionalNumber('tokens-per-second-per-gpu', values['tokens-per-second-per-gpu']);
  if (given !== undefined || values.prometheus === undefined) {
    if (values.model !== undefined || values['history-days'] !== undefined) {
      throw new UsageError(
        '--model and --history-days measure throughput: give --prometheus without --tokens-per-second-per-gpu.'
      );
    }
    return {
      tokensPerSecondPerGpu: given,
      about: given === undefined ? {} : { tokensPerSecondPerGpu: given, tokensPerSecondPerGpuSource: 'given' },
    };
  }
  if (values['requests-per-second'] === undefined || values['tokens-per-request'] === undefined) {
    throw new UsageError(
      '--prometheus measures tokens/s per GPU to size for a rate: give --requests-per-second and --tokens-per-request.'
    );
  }
  const days = optionalNumber('history-days', values['history-days']) ?? 7;
  if (!(days > 0)) {
    throw new UsageError(`--history-days must be positive, got ${days}.`);
  }
  const endSeconds = Math.floor(Date.now() / 1000);
  const history = await fetchVllmServingHistory(
    createPrometheusClient(createFetchTransport(values.prometheus)),
    createCatalog(),
    { startSeconds: endSeconds - days * DAY_SECONDS, endSeconds },
    values.model
  );
  const measured = measuredTokensPerSecondPerGpu(history.hours);
  return {
    tokensPerSecondPerGpu: measured.tokensPerSecondPerGpu,
    about: {
      tokensPerSecondPerGpu: measured.tokensPerSecondPerGpu,
      tokensPerSecondPerGpuSource: 'measured',
      measuredFrom: {
        model: history.model,
        servingHours: measured.servingHours,
        quantile: measured.quantile,
        queries: history.queries,
      },
    },
  };
}

async function inference(args: string[]) {
  const values = parseFlags(args, INFERENCE_FLAGS);
  const throughput = await throughputPerGpu(values);
  const gpuMemoryBytes = gpuMemory(values['gpu-memory-gib'], values['gpu-model']);
  const bytesPerParameter = requiredNumber('bytes', values.bytes);
  const usableFraction =
    optionalNumber('gpu-memory-utilization', values['gpu-memory-utilization']) ?? VLLM_GPU_MEMORY_UTILIZATION;
  const context = requiredNumber('context', values.context);
  const concurrency = requiredNumber('concurrency', values.concurrency);
  const sizing = sizeInference({
    parameters: requiredNumber('params', values.params),
    bytesPerParameter,
    layers: requiredNumber('layers', values.layers),
    kvHeads: requiredNumber('kv-heads', values['kv-heads']),
    headDim: requiredNumber('head-dim', values['head-dim']),
    bytesPerValue: optionalNumber('kv-bytes', values['kv-bytes']) ?? bytesPerParameter,
    attentionHeads: optionalNumber('heads', values.heads),
    context,
    concurrency,
    gpuMemoryBytes,
    usableFraction,
    rate: rateOf(values, throughput.tokensPerSecondPerGpu),
  });
  const { replicas, ...memory } = sizing;
  const value = { ...memory, gpuMemoryBytes, usableFraction, ...replicas, ...(replicas && throughput.about) };
  return {
    json: values.json,
    value,
    table: inferenceTable(sizing, { context, concurrency, gpuMemoryBytes, usableFraction }),
    notes: sizing.notes,
  };
}

function gpuMemory(gib: string | undefined, model: string | undefined): number {
  if ((gib === undefined) === (model === undefined)) {
    throw new UsageError('Give one of --gpu-memory-gib and --gpu-model.');
  }
  return gib !== undefined ? requiredNumber('gpu-memory-gib', gib) * GIB : gpuDatasheet(model as string).memoryBytes;
}

function rateOf(
  values: Partial<Record<(typeof RATE_FLAGS)[number] | 'target-utilisation', string>>,
  tokensPerSecondPerGpu: number | undefined
) {
  const given = RATE_FLAGS.filter(
    (flag) =>
      values[flag] !== undefined || (flag === 'tokens-per-second-per-gpu' && tokensPerSecondPerGpu !== undefined)
  );
  if (given.length === 0) {
    if (values['target-utilisation'] !== undefined) {
      throw new UsageError(`--target-utilisation needs the rate: --${RATE_FLAGS.join(', --')}.`);
    }
    return undefined;
  }
  if (given.length < RATE_FLAGS.length) {
    throw new UsageError(
      `Sizing for a rate needs all of --${RATE_FLAGS.join(', --')}; got only --${given.join(', --')}.`
    );
  }
  return {
    requestsPerSecond: requiredNumber('requests-per-second', values['requests-per-second']),
    tokensPerRequest: requiredNumber('tokens-per-request', values['tokens-per-request']),
    tokensPerSecondPerGpu: tokensPerSecondPerGpu ?? requiredNumber('tokens-per-second-per-gpu', undefined),
    targetUtilisation: optionalNumber('target-utilisation', values['target-utilisation']) ?? 1,
  };
}

function inferenceTable(
  sizing: InferenceSizing,
  shape: { context: number; concurrency: number; gpuMemoryBytes: number; usableFraction: number }
): string {
  const rows: Array<[string, string]> = [
    ['weights', gb(sizing.weightsBytes)],
    [
      'KV cache',
      `${gb(sizing.kvCacheBytes)} (${whole(sizing.kvCacheBytesPerToken)} bytes a token × ${shape.context} tokens × ` +
        `${shape.concurrency} sequences)`,
    ],
    ['memory per replica', gb(sizing.memoryPerReplicaBytes)],
    ['usable per GPU', `${gb(sizing.usableBytesPerGpu)} (${shape.usableFraction} of ${gb(shape.gpuMemoryBytes)})`],
    ['GPUs per replica (TP size)', `${sizing.gpusPerReplica} (${gb(sizing.bytesPerGpu)} a GPU)`],
  ];
  if (sizing.replicas) {
    rows.push(
      ['tokens/s to serve', whole(sizing.replicas.tokensPerSecond)],
      ['replicas', String(sizing.replicas.replicas)],
      ['GPUs', String(sizing.replicas.gpus)]
    );
  }
  return table(rows);
}

function requiredNumber(flag: string, text: string | undefined): number {
  const value = optionalNumber(flag, text);
  if (value === undefined) {
    throw new UsageError(`--${flag} is required.`);
  }
  return value;
}

/** The flag's number; text that is not one ("many", "", "NaN") is a usage error. Its range is the engine's to check. */
function optionalNumber(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) {
    return undefined;
  }
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) {
    throw new UsageError(`--${flag} must be a number, got "${text}".`);
  }
  return value;
}

const whole = (x: number) => Math.round(x).toLocaleString('en-US');
const gb = (bytes: number) => `${(bytes / 1e9).toFixed(1)} GB`;
const table = (rows: Array<[string, string]>) => rows.map(([k, v]) => `${k.padEnd(28)} ${v}\n`).join('');
