/**
 * `headroom size training|inference` as a person runs it: the two command lines of the contract exactly as
 * written there (through `npm run --silent headroom --`), the table without --json, and bad input (a clear message on
 * stderr, exit code 2, nothing on stdout).
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';

import { runHeadroom, type CliRun } from '../kit/cli';

const ROOT = join(__dirname, '../..');

/** `npm run --silent headroom -- <args>`, the contract's own spelling. */
function npmHeadroom(args: string[]): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile('npm', ['run', '--silent', 'headroom', '--', ...args], { cwd: ROOT }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

const TRAINING = ['size', 'training', '--params', '70e9', '--tokens', '2e12', '--gpu-model', 'A100-80GB'];
const LLAMA2_70B_SERVED = [
  ...['size', 'inference', '--params', '70e9', '--layers', '80', '--kv-heads', '8', '--head-dim', '128'],
  ...['--bytes', '2', '--context', '8192', '--concurrency', '32'],
];

describe('headroom size training', () => {
  it('the contract: Llama 2 70B on 2T tokens, A100-80GB bf16 at MFU 0.435 (Touvron et al. 2023, Table 2)', async () => {
    const { code, stdout, stderr } = await npmHeadroom([...TRAINING, '--dtype', 'bf16', '--mfu', '0.435', '--json']);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const result = JSON.parse(stdout);
    // 6 × 70e9 × 2e12 = 8.4e23 FLOPs; ÷ (312e12 × 0.435 × 3600) = 1,719,225.86 GPU-hours; the paper reports
    // 1,720,320 A100-80GB GPU-hours.
    expect(result.flops).toBe(8.4e23);
    expect(Math.abs(result.gpuHours / 1_720_320 - 1)).toBeLessThan(0.005);
    expect(result).not.toHaveProperty('days');
    expect(result).toMatchObject({ gpuModel: 'A100-80GB', dtype: 'bf16', peakFlopsPerGpu: 312e12, mfu: 0.435 });
  });

  it('adds days with --gpus: 1,719,225.86 GPU-hours ÷ 2048 GPUs ÷ 24 = 34.98 days', async () => {
    const { code, stdout } = await runHeadroom([
      ...TRAINING,
      '--dtype',
      'bf16',
      '--mfu',
      '0.435',
      '--gpus',
      '2048',
      '--json',
    ]);
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.days).toBeCloseTo(34.978, 3);
    expect(result.gpus).toBe(2048);
  });

  it('prints a table without --json, and takes --peak-flops instead of a GPU model', async () => {
    // 6 × 7e9 × 1e12 = 4.2e22 FLOPs ÷ (100e12 × 0.5 × 3600) = 233,333.3 GPU-hours.
    const { code, stdout, stderr } = await runHeadroom([
      ...['size', 'training', '--params', '7e9', '--tokens', '1e12', '--peak-flops', '100e12', '--mfu', '0.5'],
    ]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toContain('training compute (6·N·D)     4.2000e+22 FLOPs\n');
    expect(stdout).toContain('GPU-hours                    233,333\n');
  });
});

describe('headroom size inference', () => {
  it('the contract: Llama 2 70B, 32 sequences of 8192 tokens on 80 GiB GPUs', async () => {
    const { code, stdout, stderr } = await npmHeadroom([...LLAMA2_70B_SERVED, '--gpu-memory-gib', '80', '--json']);
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    // Weights 70e9 × 2 = 1.4e11 bytes; KV 80·8·128·2·2 = 327,680 bytes a token × 8192 × 32 = 85,899,345,920 bytes;
    // per GPU at size 2: 7e10 + 42,949,672,960 > 80 × 2^30 × 0.9 = 77,309,411,328; at size 4: 56,474,836,480 fits.
    expect(result).toMatchObject({ weightsBytes: 1.4e11, kvCacheBytes: 85_899_345_920, gpusPerReplica: 4 });
    expect(stderr).toBe(
      'note: The weights (140.0 GB at 2 bytes per parameter) do not fit one GPU (77.3 GB usable): a replica needs ' +
        'tensor-parallel size 4.\n'
    );
  });

  it('sizes replicas for a rate on a GPU model from the datasheets, as a table', async () => {
    // H100-80GB: 80e9 bytes, 72e9 usable; size 4 fits (56.5e9). 10 requests/s × 500 tokens = 5,000 tokens/s;
    // 800 tokens/s a GPU × 4 = 3,200 a replica → ⌈1.5625⌉ = 2 replicas, 8 GPUs.
    const { code, stdout } = await runHeadroom([
      ...LLAMA2_70B_SERVED,
      ...['--gpu-model', 'H100-80GB', '--heads', '64'],
      ...['--requests-per-second', '10', '--tokens-per-request', '500', '--tokens-per-second-per-gpu', '800'],
    ]);
    expect(code).toBe(0);
    expect(stdout).toContain('GPUs per replica (TP size)   4 (56.5 GB a GPU)\n');
    expect(stdout).toContain('replicas                     2\n');
    expect(stdout).toContain('GPUs                         8\n');
  });
  it('--kv-bytes, --gpu-memory-utilization and --target-utilisation each change the answer', async () => {
    // fp8 KV cache: 80·8·128·2·1 = 163,840 bytes a token × 8192 × 12 = 16,106,127,360 bytes; with 1.4e11 of weights
    // one GPU of two holds 7e10 + 8,053,063,680 = 78,053,063,680 bytes: more than 80 GiB × 0.9 = 77,309,411,328, less
    // than × 0.95 = 81,604,378,624. So 2 GPUs a replica at 0.95, 4 at the default 0.9.
    // 3 requests/s × 500 tokens = 1,500 tokens/s; a replica of 2 at 800 a GPU and 0.8 serves 1,280 → 2 replicas
    // (at utilisation 1 it would serve 1,600 → 1).
    const fp8Kv = [
      ...LLAMA2_70B_SERVED.map((a) => (a === '32' ? '12' : a)),
      '--kv-bytes',
      '1',
      '--gpu-memory-gib',
      '80',
    ];
    const rate = ['--requests-per-second', '3', '--tokens-per-request', '500', '--tokens-per-second-per-gpu', '800'];
    const at95 = await runHeadroom([
      ...fp8Kv,
      '--gpu-memory-utilization',
      '0.95',
      ...rate,
      '--target-utilisation',
      '0.8',
      '--json',
    ]);
    expect(at95.code).toBe(0);
    expect(JSON.parse(at95.stdout)).toMatchObject({
      kvCacheBytes: 16_106_127_360,
      gpusPerReplica: 2,
      usableFraction: 0.95,
      tokensPerSecond: 1500,
      replicas: 2,
      gpus: 4,
    });
    const at90 = await runHeadroom([...fp8Kv, ...rate, '--json']);
    expect(JSON.parse(at90.stdout)).toMatchObject({ gpusPerReplica: 4, replicas: 1, gpus: 4 });
  });
});

describe('bad input: a clear message on stderr, exit code 2, nothing on stdout', () => {
  it.each([
    [
      'fp8 on an A100',
      [...TRAINING, '--dtype', 'fp8', '--mfu', '0.4'],
      'A100-80GB has no fp8 peak in its datasheet (NVIDIA A100 Tensor Core GPU datasheet); it has fp32, tf32, bf16, fp16.',
    ],
    [
      'an unknown GPU model',
      [
        'size',
        'training',
        '--params',
        '7e9',
        '--tokens',
        '1e12',
        '--gpu-model',
        'V100',
        '--dtype',
        'bf16',
        '--mfu',
        '0.4',
      ],
      'Unknown GPU model "V100"; known: A100-40GB, A100-80GB, H100-80GB, H100-PCIe, H200, B200, L40S, L4, A10G',
    ],
    [
      'a zero parameter count',
      [...TRAINING.slice(0, 3), '0', ...TRAINING.slice(4), '--dtype', 'bf16', '--mfu', '0.4'],
      'parameters must be a positive number, got 0.',
    ],
    [
      'a negative parameter count',
      [...TRAINING.slice(0, 3), '-70e9', ...TRAINING.slice(4), '--dtype', 'bf16', '--mfu', '0.4'],
      'parameters must be a positive number, got -70000000000.',
    ],
    [
      'NaN parameters',
      [...TRAINING.slice(0, 3), 'NaN', ...TRAINING.slice(4), '--dtype', 'bf16', '--mfu', '0.4'],
      '--params must be a number, got "NaN".',
    ],
    [
      'an MFU above 1',
      [...TRAINING, '--dtype', 'bf16', '--mfu', '43.5'],
      'mfu must be a share in (0, 1], e.g. 0.4 for 40 %, got 43.5.',
    ],
    ['an MFU of 0', [...TRAINING, '--dtype', 'bf16', '--mfu', '0'], 'mfu must be a share in (0, 1]'],
    [
      'no peak given',
      ['size', 'training', '--params', '7e9', '--tokens', '1e12', '--mfu', '0.4'],
      '--gpu-model and --dtype are required (or --peak-flops).',
    ],
    [
      'a model that fits not even 8 GPUs (Llama 3.1 405B in bf16, 126 layers, 8 KV heads)',
      [
        'size',
        'inference',
        '--params',
        '405e9',
        '--layers',
        '126',
        '--kv-heads',
        '8',
        '--head-dim',
        '128',
        '--bytes',
        '2',
        '--context',
        '8192',
        '--concurrency',
        '32',
        '--gpu-memory-gib',
        '80',
      ],
      // 8.1e11 + 126·8·128·2·2 × 8192 × 32 = 135,291,469,824 → 945.3 GB; 77.3 GB usable a GPU → ⌈12.23⌉ = 13 GPUs.
      'Weights 810.0 GB + KV cache 135.3 GB = 945.3 GB per replica do not fit even on 8 GPUs of 85.9 GB (77.3 GB usable each, ' +
        '118.2 GB needed per GPU); the replica needs the memory of at least 13 such GPUs.',
    ],
    ['no GPU memory', [...LLAMA2_70B_SERVED], 'Give one of --gpu-memory-gib and --gpu-model.'],
    [
      'half a rate',
      [...LLAMA2_70B_SERVED, '--gpu-memory-gib', '80', '--requests-per-second', '10'],
      'Sizing for a rate needs all of --requests-per-second, --tokens-per-request, --tokens-per-second-per-gpu',
    ],
    ['no kind', ['size'], 'headroom size: say what to size: training or inference.'],
    [
      'a peak twice',
      [...TRAINING, '--dtype', 'bf16', '--peak-flops', '312e12', '--mfu', '0.4'],
      'Give either --peak-flops or --gpu-model with --dtype, not both.',
    ],
  ])('%s', async (_, args, message) => {
    const { code, stdout, stderr } = await runHeadroom(args);
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr).toContain(message);
  });
});
