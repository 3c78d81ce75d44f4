/**
 * The Plan page's inputs, as the person typed them, in a scene object synced to the URL (planScene.ts): a shared link
 * reproduces the plan, and a value the engine refuses survives a reload so it can be corrected rather than retyped.
 */
import type { SceneObjectState } from '@grafana/scenes';

/** Every input of both sections, as text; `inferenceGpu` is a datasheet id or `CUSTOM_GPU_MEMORY`. */
export interface PlanInputs {
  trainingParams: string;
  trainingTokens: string;
  trainingGpu: string;
  trainingDtype: string;
  trainingMfu: string;
  trainingGpus: string;
  inferenceParams: string;
  inferenceLayers: string;
  inferenceKvHeads: string;
  inferenceHeadDim: string;
  inferenceBytes: string;
  inferenceContext: string;
  inferenceConcurrency: string;
  inferenceGpu: string;
  inferenceGpuMemoryGib: string;
  /** Serving a rate: requests/s, output tokens per request, the served model measured, tokens/s per GPU assumed. */
  rateRequestsPerSecond: string;
  rateTokensPerRequest: string;
  rateModel: string;
  rateTokensPerSecondPerGpu: string;
}

export interface PlanState extends SceneObjectState, PlanInputs {}

/** The GPU choice of the inference section that takes the memory from the GiB field instead of a datasheet. */
export const CUSTOM_GPU_MEMORY = 'custom';

/**
 * Llama 2 7B (Touvron et al. 2023: 32 layers, 32 heads of 128, 2T tokens) on A100-80GB: a worked plan to start from,
 * so the page answers before anything is typed.
 */
export const DEFAULT_PLAN: PlanInputs = {
  trainingParams: '7e9',
  trainingTokens: '2e12',
  trainingGpu: 'A100-80GB',
  trainingDtype: 'bf16',
  trainingMfu: '0.4',
  trainingGpus: '',
  inferenceParams: '7e9',
  inferenceLayers: '32',
  inferenceKvHeads: '32',
  inferenceHeadDim: '128',
  inferenceBytes: '2',
  inferenceContext: '4096',
  inferenceConcurrency: '16',
  inferenceGpu: 'A100-80GB',
  inferenceGpuMemoryGib: '',
  rateRequestsPerSecond: '10',
  rateTokensPerRequest: '500',
  rateModel: '',
  rateTokensPerSecondPerGpu: '',
};

/** URL key of each input: short, and the same words as the `headroom size` flags. */
export const PLAN_URL_KEYS: Readonly<Record<keyof PlanInputs, string>> = {
  trainingParams: 'train-params',
  trainingTokens: 'train-tokens',
  trainingGpu: 'train-gpu',
  trainingDtype: 'train-dtype',
  trainingMfu: 'train-mfu',
  trainingGpus: 'train-gpus',
  inferenceParams: 'serve-params',
  inferenceLayers: 'serve-layers',
  inferenceKvHeads: 'serve-kv-heads',
  inferenceHeadDim: 'serve-head-dim',
  inferenceBytes: 'serve-bytes',
  inferenceContext: 'serve-context',
  inferenceConcurrency: 'serve-concurrency',
  inferenceGpu: 'serve-gpu',
  inferenceGpuMemoryGib: 'serve-gpu-memory-gib',
  rateRequestsPerSecond: 'serve-requests-per-second',
  rateTokensPerRequest: 'serve-tokens-per-request',
  rateModel: 'serve-model',
  rateTokensPerSecondPerGpu: 'serve-tokens-per-second-per-gpu',
};

const INPUT_NAMES = Object.keys(PLAN_URL_KEYS) as Array<keyof PlanInputs>;

export type PlanUrlValues = Record<string, string | string[] | null | undefined>;

/** The inputs as URL values; an input left at its default stays out of the URL. */
export function planToUrl(inputs: PlanInputs): PlanUrlValues {
  return Object.fromEntries(
    INPUT_NAMES.map((name) => [PLAN_URL_KEYS[name], inputs[name] === DEFAULT_PLAN[name] ? null : inputs[name]])
  );
}

/**
 * The inputs from URL values: a key the URL lacks is the default, anything present is kept as written (checked when
 * the plan is worked out, where a bad value gets its message next to its field).
 */
export function planFromUrl(values: PlanUrlValues): PlanInputs {
  const entries = INPUT_NAMES.map((name) => {
    const value = values[PLAN_URL_KEYS[name]];
    return [name, typeof value === 'string' ? value : DEFAULT_PLAN[name]];
  });
  return Object.fromEntries(entries) as PlanInputs;
}
