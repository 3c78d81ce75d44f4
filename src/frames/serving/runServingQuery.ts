/**
 * The `serving` query type, answered the same by the browser data source and the backend: what the inference
 * services run and serve, for the Forecast page's "Copy manifests" diff and the Plan page's measured throughput.
 *
 * - `services`: the inference services vLLM's metrics show, each joined to its Deployment (prometheus/inferenceServices.ts);
 * - `deployed`: one Deployment's replicas and HPA bounds (kube-state-metrics), a NodePool's GPU limit (Karpenter) and a
 *   node group's bounds (cluster-autoscaler), at the end of the range (prometheus/deployedState.ts);
 * - `throughput`: each served model's tokens/s per GPU over the range, the 0.9 quantile of its serving hours, as
 *   `headroom size inference --prometheus` measures it (prometheus/vllmThroughput.ts, engine/sizing).
 */
import { measuredTokensPerSecondPerGpu, SizingInputError } from '../../engine/sizing';
import type { DeployedValues } from '../../engine/scaling';
import type { MetricCatalog } from '../../prometheus/catalog';
import { fetchDeployedState } from '../../prometheus/deployedState';
import { FleetDataError } from '../../prometheus/fleetState';
import { fetchInferenceServices } from '../../prometheus/inferenceServices';
import type { PrometheusClient } from '../../prometheus/types';
import { fetchVllmServingHistory } from '../../prometheus/vllmThroughput';
import { QueryModelError } from '../queryModelError';
import type { Frame, FrameNotice } from '../types';

export type ServingView = 'services' | 'deployed' | 'throughput';
export const SERVING_VIEWS: readonly ServingView[] = ['services', 'deployed', 'throughput'];

export const SERVING_FRAMES = {
  services: 'Inference services',
  deployed: 'Deployed',
  throughput: 'Measured throughput',
} as const;

export interface ServingQuery {
  refId: string;
  servingView?: ServingView;
  /** `deployed`: the Deployment, NAMESPACE/NAME (optional when a NodePool or node group is asked for). */
  deployment?: string;
  /** `deployed`: the Karpenter NodePool and the cluster-autoscaler node group whose bounds to read, if any. */
  nodePool?: string;
  nodeGroup?: string;
}

export interface ServingContext {
  client: PrometheusClient;
  catalog: MetricCatalog;
  fromMs: number;
  toMs: number;
  signal?: AbortSignal;
}

/** What the `deployed` frame carries in `meta.custom` for the page's diff. */
export interface DeployedFrameMeta {
  headroom: 'deployed';
  /** What the values are of, so a page shows them only beside the manifests of that same target. */
  target: DeployedFrameTarget;
  values: DeployedValues;
}

export interface DeployedFrameTarget {
  namespace?: string;
  deployment?: string;
  nodePool?: string;
  nodeGroup?: string;
}

export async function runServingQuery(query: ServingQuery, context: ServingContext): Promise<Frame[]> {
  const view = query.servingView ?? 'services';
  switch (view) {
    case 'services':
      return servicesFrames(query, context);
    case 'deployed':
      return deployedFrames(query, context);
    case 'throughput':
      return throughputFrames(query, context);
    default:
      throw new QueryModelError(`Unknown serving view "${view as string}": choose ${SERVING_VIEWS.join(', ')}.`);
  }
}

const executed = (queries: Array<{ name: string; expr: string }>) =>
  queries.map((q) => `# ${q.name}\n${q.expr}`).join('\n\n');

async function servicesFrames(query: ServingQuery, context: ServingContext): Promise<Frame[]> {
  const found = await fetchInferenceServices(context.client, context.catalog, context.toMs / 1000, context.signal);
  const notices: FrameNotice[] = found.unowned.map((model) => ({
    severity: 'warning',
    text: `vLLM serves ${model}, but kube-state-metrics shows no Deployment owning its pods (kube_pod_owner, kube_replicaset_owner).`,
  }));
  const { services } = found;
  return [
    {
      name: SERVING_FRAMES.services,
      refId: query.refId,
      meta: { preferredVisualisationType: 'table', notices, executedQueryString: executed(found.queries) },
      fields: [
        { name: 'Namespace', type: 'string', values: services.map((s) => s.namespace) },
        { name: 'Deployment', type: 'string', values: services.map((s) => s.deployment) },
        { name: 'Models', type: 'string', values: services.map((s) => s.models.join(', ')) },
      ],
    },
  ];
}

/** "inference/vllm-llama" → its parts; a bad value is the query's fault. */
function deploymentOf(text: string | undefined, optional: boolean): { namespace?: string; deployment?: string } {
  if (optional && !text?.trim()) {
    return {};
  }
  const [namespace, deployment, ...rest] = (text ?? '').trim().split('/');
  if (!namespace || !deployment || rest.length > 0) {
    throw new QueryModelError(`The deployed view needs the Deployment as NAMESPACE/NAME, got "${text ?? ''}".`);
  }
  return { namespace, deployment };
}

async function deployedFrames(query: ServingQuery, context: ServingContext): Promise<Frame[]> {
  const nodePool = query.nodePool?.trim() || undefined;
  const nodeGroups = query.nodeGroup?.trim() ? [query.nodeGroup.trim()] : undefined;
  const target = {
    ...deploymentOf(query.deployment, nodePool !== undefined || nodeGroups !== undefined),
    nodePool,
    nodeGroups,
  };
  const state = await fetchDeployedState(context.client, target, context.toMs / 1000, context.signal);
  const { values } = state;
  const group = target.nodeGroups ? values.nodeGroups?.[target.nodeGroups[0]] : undefined;
  const rows: Array<[string, number | undefined]> = [
    ['spec.replicas', values.replicas],
    ['HPA spec.minReplicas', values.hpaMinReplicas],
    ['HPA spec.maxReplicas', values.hpaMaxReplicas],
    ['NodePool limits nvidia.com/gpu', values.nodePoolGpuLimit],
    ['node group min nodes', group?.minNodes],
    ['node group max nodes', group?.maxNodes],
  ];
  const meta: DeployedFrameMeta = {
    headroom: 'deployed',
    target: { namespace: target.namespace, deployment: target.deployment, nodePool, nodeGroup: nodeGroups?.[0] },
    values,
  };
  return [
    {
      name: SERVING_FRAMES.deployed,
      refId: query.refId,
      meta: { preferredVisualisationType: 'table', executedQueryString: executed(state.queries), custom: { ...meta } },
      fields: [
        { name: 'Field', type: 'string', values: rows.map(([field]) => field) },
        {
          name: 'Now',
          type: 'number',
          values: rows.map(([, value]) => value ?? null),
          config: { noValue: 'not visible' },
        },
      ],
    },
  ];
}

async function throughputFrames(query: ServingQuery, context: ServingContext): Promise<Frame[]> {
  const range = { startSeconds: Math.floor(context.fromMs / 1000), endSeconds: Math.floor(context.toMs / 1000) };
  const models = await context.client.labelValues(
    'model_name',
    [context.catalog.name('vllm:generation_tokens_total')],
    range,
    context.signal
  );
  const rows: Array<{ model: string; tokensPerSecondPerGpu: number; servingHours: number }> = [];
  const notices: FrameNotice[] = [];
  const queries: string[] = [];
  for (const model of models) {
    try {
      const history = await fetchVllmServingHistory(context.client, context.catalog, range, model, context.signal);
      queries.push(
        `# ${model}: tokens/s\n${history.queries.tokensPerSecond}\n# ${model}: GPUs\n${history.queries.gpus}`
      );
      rows.push({ model, ...measuredTokensPerSecondPerGpu(history.hours) });
    } catch (error) {
      // One model without GPU requests or serving hours does not hide the others.
      if (!(error instanceof FleetDataError || error instanceof SizingInputError)) {
        throw error;
      }
      notices.push({ severity: 'warning', text: `${model}: ${error.message}` });
    }
  }
  return [
    {
      name: SERVING_FRAMES.throughput,
      refId: query.refId,
      meta: { preferredVisualisationType: 'table', notices, executedQueryString: queries.join('\n\n') },
      fields: [
        { name: 'Model', type: 'string', values: rows.map((r) => r.model) },
        {
          name: 'Tokens/s per GPU',
          type: 'number',
          values: rows.map((r) => r.tokensPerSecondPerGpu),
          config: { description: 'Generation tokens/s ÷ GPUs the vLLM pods request, 0.9 quantile of serving hours' },
        },
        { name: 'Serving hours', type: 'number', values: rows.map((r) => r.servingHours) },
      ],
    },
  ];
}
