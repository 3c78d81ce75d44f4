/**
 * `headroom size inference --prometheus URL`: tokens/s per GPU measured from the fleet's vLLM history in a real
 * Prometheus (promtool backfill), worked by hand, and the bad input around it (no vLLM metrics, an unknown model,
 * several models and none chosen).
 */
import { runHeadroom } from '../kit/cli';
import { constantSamples, toOpenMetrics, type PlainSeries } from '../kit/openMetrics';
import { startPrometheus, type RunningPrometheus } from '../kit/prometheus';

const H = 3600;
const EVERY_5_MIN = 300;
// Whole 5 minutes, an hour before now, so the CLI's window (the 7 days up to now) holds all 24 hours.
const END = Math.floor(Date.now() / 1000 / EVERY_5_MIN) * EVERY_5_MIN - H;
const START = END - 24 * H;

/**
 * A vLLM pod's generation counter: `quiet` tokens/s for the first 12 hours, `busy` tokens/s for the last 12, and its
 * GPU request in kube-state-metrics.
 */
function vllmPod(model: string, pod: string, gpus: number, quiet: number, busy: number): PlainSeries[] {
  const labels = { model_name: model, namespace: 'serve', pod };
  const middle = START + 12 * H;
  // Starts high so Prometheus' extrapolation never clamps at zero.
  const counter = (t: number) => 1e9 + quiet * (Math.min(t, middle) - START) + busy * Math.max(0, t - middle);
  return [
    {
      name: 'vllm:generation_tokens_total',
      labels,
      samples: constantSamples(0, START, END, EVERY_5_MIN).map(([t]) => [t, counter(t)]),
    },
    {
      name: 'kube_pod_container_resource_requests',
      labels: { namespace: 'serve', pod, container: 'vllm', resource: 'nvidia_com_gpu', unit: 'integer' },
      samples: constantSamples(gpus, START, END, EVERY_5_MIN),
    },
  ];
}

const trainingPod: PlainSeries = {
  name: 'kube_pod_container_resource_requests',
  labels: { namespace: 'serve', pod: 'trainer-0', container: 'torch', resource: 'nvidia_com_gpu', unit: 'integer' },
  samples: constantSamples(8, START, END, EVERY_5_MIN),
};

let fleet: RunningPrometheus;
let noVllm: RunningPrometheus;

beforeAll(async () => {
  [fleet, noVllm] = await Promise.all([
    startPrometheus({
      openMetricsText: toOpenMetrics([
        // llama: one pod of 2 GPUs, 600 tokens/s at night (300 a GPU), 3000 tokens/s by day (1500 a GPU).
        ...vllmPod('llama-70b', 'llama-0', 2, 600, 3000),
        // mistral: one pod of 1 GPU, 400 tokens/s all day.
        ...vllmPod('mistral-7b', 'mistral-0', 1, 400, 400),
        // A training pod's 8 GPUs in the same namespace are not serving and must not count.
        trainingPod,
      ]),
    }),
    startPrometheus({ openMetricsText: toOpenMetrics([trainingPod]) }),
  ]);
});

afterAll(async () => {
  await Promise.all([fleet?.stop(), noVllm?.stop()]);
});

const LLAMA2_70B = [
  ...['size', 'inference', '--params', '70e9', '--layers', '80', '--kv-heads', '8', '--head-dim', '128'],
  ...['--bytes', '2', '--context', '8192', '--concurrency', '32', '--gpu-memory-gib', '80'],
  ...['--requests-per-second', '10', '--tokens-per-request', '500'],
];

describe('headroom size inference --prometheus: tokens/s per GPU from the vLLM history', () => {
  it('measures the busy hours: 3000 tokens/s on 2 GPUs is 1500 a GPU, not the day mean of 900', async () => {
    const { code, stdout, stderr } = await runHeadroom([
      ...LLAMA2_70B,
      ...['--prometheus', fleet.url, '--model', 'llama-70b', '--json'],
    ]);
    expect({ code, stderr: stderr.replace(/^note: .*\n/gm, '') }).toEqual({ code: 0, stderr: '' });
    const result = JSON.parse(stdout);
    // Serving hours: ~12 at 300 a GPU, ~12 at 1500, one hour straddling the change in between. The 0.9 quantile
    // falls in the busy half: 1500. 10 requests/s × 500 tokens = 5000 tokens/s; 4 GPUs a replica × 1500 = 6000 a
    // replica → 1 replica, 4 GPUs (at the mean of 900 it would be ⌈5000 ÷ 3600⌉ = 2 replicas).
    expect(result.tokensPerSecondPerGpuSource).toBe('measured');
    // Counting the training pod's 8 GPUs too would give 3000 ÷ 10 = 300.
    expect(result.tokensPerSecondPerGpu).toBeCloseTo(1500, 6);
    expect(result.measuredFrom).toMatchObject({ model: 'llama-70b', quantile: 0.9 });
    expect(result.measuredFrom.servingHours).toBeGreaterThanOrEqual(24);
    expect(result).toMatchObject({ tokensPerSecond: 5000, gpusPerReplica: 4, replicas: 1, gpus: 4 });
    expect(result.measuredFrom.queries.gpus).toContain('kube_pod_container_resource_requests');
  });

  it('says the figure was given when --tokens-per-second-per-gpu is', async () => {
    const { code, stdout } = await runHeadroom([...LLAMA2_70B, '--tokens-per-second-per-gpu', '800', '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({
      tokensPerSecondPerGpu: 800,
      tokensPerSecondPerGpuSource: 'given',
      replicas: 2,
    });
  });

  it('a 1-GPU model: 400 tokens/s on 1 GPU; 5000 tokens/s needs ⌈5000 ÷ (400 × 4)⌉ = 4 replicas', async () => {
    const { code, stdout } = await runHeadroom([
      ...LLAMA2_70B,
      ...['--prometheus', fleet.url, '--model', 'mistral-7b', '--json'],
    ]);
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.tokensPerSecondPerGpu).toBeCloseTo(400, 6);
    expect(result).toMatchObject({ replicas: 4, gpus: 16 });
  });
});

describe('bad input for the measured throughput: exit code 2, a message naming what is missing', () => {
  it.each([
    ['no vLLM metrics', () => ['--prometheus', noVllm.url], 'No vllm:generation_tokens_total series in this range'],
    [
      'a model with no series',
      () => ['--prometheus', fleet.url, '--model', 'gpt-9'],
      'No vllm:generation_tokens_total series for model "gpt-9"; models served: llama-70b, mistral-7b.',
    ],
    [
      'several models and none chosen',
      () => ['--prometheus', fleet.url],
      'vLLM serves several models; choose one with --model: llama-70b, mistral-7b.',
    ],
    ['--model without --prometheus', () => ['--model', 'llama-70b'], '--model and --history-days measure throughput'],
  ])('%s', async (_, extra, message) => {
    const { code, stdout, stderr } = await runHeadroom([...LLAMA2_70B, ...extra(), '--json']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(message);
  });

  it('--prometheus without a rate to size for', async () => {
    const { code, stdout, stderr } = await runHeadroom([...LLAMA2_70B.slice(0, -4), '--prometheus', fleet.url]);
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr).toContain('give --requests-per-second and --tokens-per-request');
  });
});
