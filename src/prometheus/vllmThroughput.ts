/**
 * A served model's vLLM history hour by hour, for sizing inference from the fleet's own throughput: generation
 * tokens/s (the hourly mean of `vllm:generation_tokens_total`'s rate; output tokens, as `--tokens-per-request`
 * counts them) and the GPUs its pods held (kube-state-metrics' GPU requests of the pods that export vLLM series, joined
 * on namespace and pod). The division and the busy-hour quantile are the engine's (`measuredTokensPerSecondPerGpu`).
 */
import type { ServingHour } from '../engine/sizing';
import { DEFAULT_GPU_RESOURCE, type MetricCatalog } from './catalog';
import { FleetDataError } from './fleetState';
import { matcher, selector } from './promql';
import type { PrometheusClient, PromSeries, TimeRangeSeconds } from './types';

const HOUR_SECONDS = 3600;
const VLLM_MODEL_LABEL = 'model_name';
/** The labels Prometheus' Kubernetes pod discovery gives a scraped vLLM pod, and kube-state-metrics gives its pod. */
const POD_KEY = 'namespace, pod';

export interface VllmThroughputQueries {
  tokensPerSecond: string;
  gpus: string;
}

/** Hourly generation tokens/s and GPUs held, one series each per served model (all of them, or `model`). */
export function vllmThroughputExprs(catalog: MetricCatalog, model?: string): VllmThroughputQueries {
  const tokens = selector(catalog.name('vllm:generation_tokens_total'), [
    model === undefined ? undefined : matcher(VLLM_MODEL_LABEL, '=', model),
  ]);
  const gpusByPod =
    `sum by (${POD_KEY}) (` +
    `${selector(catalog.name('kube_pod_container_resource_requests'), [
      matcher('resource', '=', catalog.name(DEFAULT_GPU_RESOURCE)),
    ])})`;
  return {
    tokensPerSecond: `sum by (${VLLM_MODEL_LABEL}) (rate(${tokens}[1h]))`,
    gpus:
      `sum by (${VLLM_MODEL_LABEL}) (${gpusByPod} * on (${POD_KEY}) group_left (${VLLM_MODEL_LABEL}) ` +
      `group by (${POD_KEY}, ${VLLM_MODEL_LABEL}) (${tokens}))`,
  };
}

export interface VllmServingHistory {
  model: string;
  hours: ServingHour[];
  queries: VllmThroughputQueries;
}

/**
 * The hours of `range` for one served model. `FleetDataError` (a person's input) when the range holds no vLLM
 * generation counter, no series for `model`, several models and no `model` to choose, or no GPU requests for the pods.
 */
export async function fetchVllmServingHistory(
  client: PrometheusClient,
  catalog: MetricCatalog,
  range: TimeRangeSeconds,
  model?: string,
  signal?: AbortSignal
): Promise<VllmServingHistory> {
  const metric = catalog.name('vllm:generation_tokens_total');
  const models = await client.labelValues(VLLM_MODEL_LABEL, [metric], range, signal);
  if (models.length === 0) {
    throw new FleetDataError(
      `No ${metric} series in this range: is vLLM scraped? Give --tokens-per-second-per-gpu instead.`
    );
  }
  if (model !== undefined && !models.includes(model)) {
    throw new FleetDataError(`No ${metric} series for model "${model}"; models served: ${models.join(', ')}.`);
  }
  if (model === undefined && models.length > 1) {
    throw new FleetDataError(`vLLM serves several models; choose one with --model: ${models.join(', ')}.`);
  }
  const served = model ?? models[0];
  const queries = vllmThroughputExprs(catalog, served);
  const options = { ...range, stepSeconds: HOUR_SECONDS };
  const [tokens, gpus] = await Promise.all([
    client.queryRange(queries.tokensPerSecond, options, signal),
    client.queryRange(queries.gpus, options, signal),
  ]);
  if (gpus.series.length === 0) {
    throw new FleetDataError(
      `No ${catalog.name('kube_pod_container_resource_requests')} GPU requests for the pods serving "${served}": ` +
        'is kube-state-metrics scraped, and do the vLLM series carry namespace and pod labels?'
    );
  }
  return { model: served, hours: alignHours(tokens.series[0], gpus.series[0]), queries };
}

/** Hours where both series have a value. */
function alignHours(tokens: PromSeries | undefined, gpus: PromSeries): ServingHour[] {
  if (!tokens) {
    return [];
  }
  const gpusAt = new Map(gpus.timestampsSeconds.map((t, i) => [t, gpus.values[i]]));
  return tokens.timestampsSeconds.flatMap((t, i) => {
    const held = gpusAt.get(t);
    return held === undefined ? [] : [{ tokensPerSecond: tokens.values[i], gpus: held }];
  });
}
