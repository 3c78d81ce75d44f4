/**
 * The Plan page's answers from its inputs: the text each field holds read as a number, then the engine's sizing
 * (engine/sizing). A value it cannot use becomes a message for that field, never an exception the page would crash on.
 */
import { t } from '@grafana/i18n';
import {
  gpuDatasheet,
  peakDenseFlops,
  replicasForRate,
  sizeInference,
  SizingInputError,
  trainingEstimate,
  VLLM_GPU_MEMORY_UTILIZATION,
  type InferenceSizing,
  type TrainingEstimate,
} from '../../engine/sizing';
import { CUSTOM_GPU_MEMORY, type PlanInputs } from './planInputs';

/** The answer, or what is wrong and with which input (`field` undefined: no single input is to blame). */
export type Outcome<T> = { ok: true; value: T } | { ok: false; field?: keyof PlanInputs; message: string };

const GIB = 2 ** 30;

/** The engine's field names, as the page's inputs; a field absent here is shown above the section. */
const TRAINING_FIELDS: Record<string, keyof PlanInputs> = {
  parameters: 'trainingParams',
  tokens: 'trainingTokens',
  mfu: 'trainingMfu',
  gpus: 'trainingGpus',
  gpuModel: 'trainingGpu',
  dtype: 'trainingDtype',
};

const INFERENCE_FIELDS: Record<string, keyof PlanInputs> = {
  parameters: 'inferenceParams',
  bytesPerParameter: 'inferenceBytes',
  bytesPerValue: 'inferenceBytes',
  layers: 'inferenceLayers',
  kvHeads: 'inferenceKvHeads',
  headDim: 'inferenceHeadDim',
  context: 'inferenceContext',
  concurrency: 'inferenceConcurrency',
  gpuModel: 'inferenceGpu',
};

/** Thrown while reading the inputs: text that is not a number, attributed to its field. */
class UnreadableInput extends Error {
  constructor(
    readonly field: keyof PlanInputs,
    message: string
  ) {
    super(message);
  }
}

/** The number a field holds; exponents as in the CLI (70e9). Empty or not a number: a message for that field. */
function numberIn(inputs: PlanInputs, field: keyof PlanInputs): number {
  const text = inputs[field].trim();
  if (text === '') {
    throw new UnreadableInput(field, t('plan.error.empty', 'Enter a number.'));
  }
  const value = Number(text);
  if (!Number.isFinite(value)) {
    throw new UnreadableInput(
      field,
      t('plan.error.not-a-number', '"{{text}}" is not a number; write e.g. 70e9 for 70 billion.', {
        text,
        interpolation: { escapeValue: false },
      })
    );
  }
  return value;
}

function outcomeOf<T>(compute: () => T, fields: Record<string, keyof PlanInputs>): Outcome<T> {
  try {
    return { ok: true, value: compute() };
  } catch (error) {
    if (error instanceof UnreadableInput) {
      return { ok: false, field: error.field, message: error.message };
    }
    if (error instanceof SizingInputError) {
      return { ok: false, field: fields[error.field], message: error.message };
    }
    throw error;
  }
}

export interface TrainingPlan extends TrainingEstimate {
  /** The datasheet peak the GPU-hours were worked out at, shown with them. */
  peakFlopsPerGpu: number;
}

/** FLOPs, GPU-hours and, with a GPU count, days: `headroom size training` on the page's inputs. */
export function trainingOutcome(inputs: PlanInputs): Outcome<TrainingPlan> {
  return outcomeOf(() => {
    const peak = peakDenseFlops(gpuDatasheet(inputs.trainingGpu), inputs.trainingDtype);
    const estimate = trainingEstimate({
      parameters: numberIn(inputs, 'trainingParams'),
      tokens: numberIn(inputs, 'trainingTokens'),
      peakFlopsPerGpu: peak,
      mfu: numberIn(inputs, 'trainingMfu'),
      gpus: inputs.trainingGpus.trim() === '' ? undefined : numberIn(inputs, 'trainingGpus'),
    });
    return { ...estimate, peakFlopsPerGpu: peak };
  }, TRAINING_FIELDS);
}

/** One GPU's memory in bytes: the datasheet's, or the GiB typed for a custom GPU. */
function inferenceGpuMemoryBytes(inputs: PlanInputs): number {
  if (inputs.inferenceGpu === CUSTOM_GPU_MEMORY) {
    return numberIn(inputs, 'inferenceGpuMemoryGib') * GIB;
  }
  return gpuDatasheet(inputs.inferenceGpu).memoryBytes;
}

/**
 * Weights, KV cache and GPUs per replica: `headroom size inference` on the page's inputs, the KV cache in the weights'
 * data type and vLLM's default usable share of GPU memory. A replica too big for 8 GPUs is blamed on the GPU memory.
 */
export function inferenceOutcome(inputs: PlanInputs): Outcome<InferenceSizing> {
  const memoryField: keyof PlanInputs =
    inputs.inferenceGpu === CUSTOM_GPU_MEMORY ? 'inferenceGpuMemoryGib' : 'inferenceGpu';
  return outcomeOf(
    () => {
      const bytes = numberIn(inputs, 'inferenceBytes');
      return sizeInference({
        parameters: numberIn(inputs, 'inferenceParams'),
        bytesPerParameter: bytes,
        bytesPerValue: bytes,
        layers: numberIn(inputs, 'inferenceLayers'),
        kvHeads: numberIn(inputs, 'inferenceKvHeads'),
        headDim: numberIn(inputs, 'inferenceHeadDim'),
        context: numberIn(inputs, 'inferenceContext'),
        concurrency: numberIn(inputs, 'inferenceConcurrency'),
        gpuMemoryBytes: inferenceGpuMemoryBytes(inputs),
        usableFraction: VLLM_GPU_MEMORY_UTILIZATION,
      });
    },
    { ...INFERENCE_FIELDS, gpuMemoryBytes: memoryField }
  );
}

/** One served model's tokens/s per GPU as the `serving` query's throughput view measured it. */
export interface MeasuredModel {
  model: string;
  tokensPerSecondPerGpu: number;
  servingHours: number;
}

export interface RatePlan {
  tokensPerSecondPerGpu: number;
  /** Measured from the fleet's vLLM history (of `model`), or the assumption typed. */
  source: 'measured' | 'assumed';
  model?: string;
  servingHours?: number;
  replicas: number;
  gpus: number;
}

const RATE_FIELDS: Record<string, keyof PlanInputs> = {
  requestsPerSecond: 'rateRequestsPerSecond',
  tokensPerRequest: 'rateTokensPerRequest',
  tokensPerSecondPerGpu: 'rateTokensPerSecondPerGpu',
};

/**
 * Replicas and GPUs for a request rate, as `headroom size inference --requests-per-second` sizes it (target
 * utilisation 1, its default): tokens/s per GPU typed wins (an assumption, said so); else the measured one of the
 * model chosen, or of the only model measured; with no vLLM history the person is asked for the assumption.
 */
export function rateOutcome(
  inputs: PlanInputs,
  measured: readonly MeasuredModel[],
  gpusPerReplica: number
): Outcome<RatePlan> {
  return outcomeOf(() => {
    const typed = inputs.rateTokensPerSecondPerGpu.trim();
    const chosen =
      measured.find((m) => m.model === inputs.rateModel) ?? (measured.length === 1 ? measured[0] : undefined);
    if (typed === '' && !chosen) {
      throw new UnreadableInput(
        'rateTokensPerSecondPerGpu',
        measured.length === 0
          ? t(
              'plan.error.no-history',
              'No vLLM history in this time range to measure from: enter the tokens/s per GPU you assume (a benchmark of this model on this GPU).'
            )
          : t(
              'plan.error.choose-model',
              'Choose the served model to measure, or enter the tokens/s per GPU you assume.'
            )
      );
    }
    const perGpu = typed !== '' ? numberIn(inputs, 'rateTokensPerSecondPerGpu') : chosen!.tokensPerSecondPerGpu;
    const plan = replicasForRate({
      requestsPerSecond: numberIn(inputs, 'rateRequestsPerSecond'),
      tokensPerRequest: numberIn(inputs, 'rateTokensPerRequest'),
      tokensPerSecondPerGpu: perGpu,
      gpusPerReplica,
      targetUtilisation: 1,
    });
    return typed !== ''
      ? { tokensPerSecondPerGpu: perGpu, source: 'assumed', replicas: plan.replicas, gpus: plan.gpus }
      : {
          tokensPerSecondPerGpu: perGpu,
          source: 'measured',
          model: chosen!.model,
          servingHours: chosen!.servingHours,
          replicas: plan.replicas,
          gpus: plan.gpus,
        };
  }, RATE_FIELDS);
}
