import { DEFAULT_PLAN, CUSTOM_GPU_MEMORY, type PlanInputs } from './planInputs';
import { inferenceOutcome, rateOutcome, trainingOutcome } from './planResults';

/** The examples: Llama 2 70B (Touvron et al. 2023: 80 layers, 8 KV heads of 128, 2T tokens). */
const LLAMA2_70B: PlanInputs = {
  ...DEFAULT_PLAN,
  trainingParams: '70e9',
  trainingTokens: '2e12',
  trainingGpu: 'A100-80GB',
  trainingDtype: 'bf16',
  trainingMfu: '0.435',
  inferenceParams: '70e9',
  inferenceLayers: '80',
  inferenceKvHeads: '8',
  inferenceHeadDim: '128',
  inferenceBytes: '2',
  inferenceContext: '8192',
  inferenceConcurrency: '32',
  inferenceGpu: CUSTOM_GPU_MEMORY,
  inferenceGpuMemoryGib: '80',
};

it('sizes the Llama 2 70B training run as the paper reports it', () => {
  const outcome = trainingOutcome({ ...LLAMA2_70B, trainingGpus: '2048' });
  expect(outcome.ok).toBe(true);
  if (outcome.ok) {
    // 6 × 70e9 × 2e12 = 8.4e23; ÷ (312e12 (A100 bf16 dense) × 0.435 × 3600) = 1,719,226 GPU-hours (paper: 1,720,320).
    expect(outcome.value.flops).toBeCloseTo(8.4e23, -20);
    expect(outcome.value.gpuHours).toBeCloseTo(1_719_225.86, 1);
    expect(outcome.value.peakFlopsPerGpu).toBe(312e12);
    // 1,719,226 ÷ 2048 ÷ 24 = 34.98 days.
    expect(outcome.value.days).toBeCloseTo(34.98, 2);
  }
});

it('sizes the Llama 2 70B replica: 85.9 GB of KV cache, 4 GPUs of 80 GiB', () => {
  const outcome = inferenceOutcome(LLAMA2_70B);
  expect(outcome.ok).toBe(true);
  if (outcome.ok) {
    // 80 × 8 × 128 × 2 × 2 bytes × 8192 × 32 = 85,899,345,920 bytes.
    expect(outcome.value.kvCacheBytes).toBe(85_899_345_920);
    expect(outcome.value.weightsBytes).toBe(140e9);
    // (140e9 + 85.9e9) ÷ 2 = 113 GB > 0.9 × 80 GiB = 77.3 GB; ÷ 4 = 56.5 GB fits.
    expect(outcome.value.gpusPerReplica).toBe(4);
    expect(outcome.value.notes).toHaveLength(1);
  }
});

it.each([
  [{ trainingMfu: '1.5' }, 'trainingMfu', /share in \(0, 1\]/],
  [{ trainingMfu: '' }, 'trainingMfu', /Enter a number/],
  [{ trainingParams: '70 billion' }, 'trainingParams', /"70 billion" is not a number; write e\.g\. 70e9/],
  [{ trainingGpus: '2.5' }, 'trainingGpus', /whole number/],
  // A100s have no fp8 tensor cores: the data type is what to change.
  [{ trainingDtype: 'fp8' }, 'trainingDtype', /A100-80GB has no fp8 peak/],
  [{ trainingGpu: 'TPU' }, 'trainingGpu', /Unknown GPU model "TPU"/],
])('training: %p is an error on %s, not an exception', (change, field, message) => {
  const outcome = trainingOutcome({ ...LLAMA2_70B, ...change });
  expect(outcome).toEqual({ ok: false, field, message: expect.stringMatching(message) });
});

it.each([
  [{ inferenceLayers: '0' }, 'inferenceLayers', /whole number/],
  [{ inferenceBytes: '-2' }, 'inferenceBytes', /positive number/],
  [{ inferenceGpuMemoryGib: '' }, 'inferenceGpuMemoryGib', /Enter a number/],
  // 140 GB of weights on 8 × 0.9 × 16 GiB = 124 GB: no tensor-parallel size fits; the GPU is what to change.
  [{ inferenceGpuMemoryGib: '16' }, 'inferenceGpuMemoryGib', /GPU/],
  [{ inferenceGpu: 'L4' }, 'inferenceGpu', /GPU/],
])('inference: %p is an error on %s, not an exception', (change, field, message) => {
  const outcome = inferenceOutcome({ ...LLAMA2_70B, ...change });
  expect(outcome).toEqual({ ok: false, field, message: expect.stringMatching(message) });
});

describe('rateOutcome', () => {
  const MEASURED = [
    { model: 'llama-70b', tokensPerSecondPerGpu: 1500, servingHours: 24 },
    { model: 'mistral-7b', tokensPerSecondPerGpu: 400, servingHours: 24 },
  ];

  it("sizes at the chosen model's measured tokens/s per GPU", () => {
    // 10 requests/s × 500 tokens = 5000 tokens/s; 1500 a GPU × 2 GPUs a replica = 3000 a replica → 2 replicas, 4 GPUs.
    const outcome = rateOutcome({ ...DEFAULT_PLAN, rateModel: 'llama-70b' }, MEASURED, 2);
    expect(outcome).toEqual({
      ok: true,
      value: {
        tokensPerSecondPerGpu: 1500,
        source: 'measured',
        model: 'llama-70b',
        servingHours: 24,
        replicas: 2,
        gpus: 4,
      },
    });
  });

  it('takes the only model measured without a choice, and an assumption typed over any measurement', () => {
    expect(rateOutcome(DEFAULT_PLAN, [MEASURED[1]], 1)).toMatchObject({ ok: true, value: { model: 'mistral-7b' } });
    // 5000 tokens/s ÷ 1000 a GPU = 5 replicas of 1 GPU.
    expect(rateOutcome({ ...DEFAULT_PLAN, rateTokensPerSecondPerGpu: '1000' }, MEASURED, 1)).toEqual({
      ok: true,
      value: { tokensPerSecondPerGpu: 1000, source: 'assumed', replicas: 5, gpus: 5 },
    });
  });

  it('asks for an assumption without vLLM history, and for a choice among several models', () => {
    expect(rateOutcome(DEFAULT_PLAN, [], 1)).toMatchObject({
      ok: false,
      field: 'rateTokensPerSecondPerGpu',
      message: expect.stringMatching(/^No vLLM history in this time range/),
    });
    expect(rateOutcome(DEFAULT_PLAN, MEASURED, 1)).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^Choose the served model/),
    });
  });
});
