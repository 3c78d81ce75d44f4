/**
 * Inference services the fleet runs: the models vLLM serves (`model_name` on its series, with the namespace and pod
 * labels Prometheus' pod discovery adds) joined to the Deployment that owns each pod, through kube-state-metrics'
 * `kube_pod_owner` (pod → ReplicaSet) and `kube_replicaset_owner` (ReplicaSet → Deployment)
 * (kube-state-metrics docs/metrics/workload/pod-metrics.md and replicaset-metrics.md).
 */
import type { MetricCatalog } from './catalog';
import { FleetDataError } from './fleetState';
import { matcher, selector } from './promql';
import type { PrometheusClient } from './types';

export interface InferenceService {
  namespace: string;
  deployment: string;
  /** vLLM's model_name, one or more when a Deployment serves several. */
  models: string[];
}

export interface InferenceServices {
  services: InferenceService[];
  /** Served models whose pods have no Deployment owner in kube-state-metrics (a StatefulSet, a bare pod). */
  unowned: string[];
  queries: Array<{ name: string; expr: string }>;
}

/** An hour of lookback: a service that served in the last hour is still a candidate. */
const LOOKBACK = '1h';

export function inferenceServiceExprs(catalog: MetricCatalog) {
  const over = (s: string) => `last_over_time(${s}[${LOOKBACK}])`;
  return {
    servingPods: `group by (namespace, pod, model_name) (${over(catalog.name('vllm:generation_tokens_total'))})`,
    podOwners: `group by (namespace, pod, owner_name) (${over(
      selector('kube_pod_owner', [matcher('owner_kind', '=', 'ReplicaSet')])
    )})`,
    replicaSetOwners: `group by (namespace, replicaset, owner_name) (${over(
      selector('kube_replicaset_owner', [matcher('owner_kind', '=', 'Deployment')])
    )})`,
  };
}

/** The services at `atSeconds`, sorted by namespace and name. */
export async function fetchInferenceServices(
  client: PrometheusClient,
  catalog: MetricCatalog,
  atSeconds: number,
  signal?: AbortSignal
): Promise<InferenceServices> {
  const exprs = inferenceServiceExprs(catalog);
  const [pods, podOwners, replicaSetOwners] = await Promise.all(
    [exprs.servingPods, exprs.podOwners, exprs.replicaSetOwners].map((e) => client.queryInstant(e, atSeconds, signal))
  );
  const key = (namespace = '', name = '') => `${namespace}/${name}`;
  const replicaSetOf = new Map(
    podOwners.series.map((s) => [key(s.labels.namespace, s.labels.pod), s.labels.owner_name])
  );
  const deploymentOf = new Map(
    replicaSetOwners.series.map((s) => [key(s.labels.namespace, s.labels.replicaset), s.labels.owner_name])
  );
  const services = new Map<string, InferenceService>();
  const unowned = new Set<string>();
  for (const { labels } of pods.series) {
    const model = labels.model_name ?? '';
    const replicaSet = replicaSetOf.get(key(labels.namespace, labels.pod));
    const deployment = replicaSet === undefined ? undefined : deploymentOf.get(key(labels.namespace, replicaSet));
    if (deployment === undefined || labels.namespace === undefined) {
      unowned.add(model);
      continue;
    }
    const service = services.get(key(labels.namespace, deployment)) ?? {
      namespace: labels.namespace,
      deployment,
      models: [],
    };
    if (!service.models.includes(model)) {
      service.models.push(model);
    }
    services.set(key(labels.namespace, deployment), service);
  }
  const owned = new Set([...services.values()].flatMap((s) => s.models));
  return {
    services: [...services.values()].sort((a, b) =>
      key(a.namespace, a.deployment).localeCompare(key(b.namespace, b.deployment))
    ),
    unowned: [...unowned].filter((m) => !owned.has(m)).sort(),
    queries: Object.entries(exprs).map(([name, expr]) => ({ name, expr })),
  };
}

/** "inference/vllm-llama (llama-3-70b)". */
export function serviceName(service: InferenceService): string {
  return `${service.namespace}/${service.deployment} (${service.models.join(', ')})`;
}

/**
 * The one service to plan for: named (`namespace/deployment` or a deployment name unique among the services),
 * the one serving `model`, or the only one. A clear FleetDataError listing the candidates otherwise.
 */
export function chooseInferenceService(
  found: InferenceServices,
  choice: { deployment?: string; namespace?: string; model?: string }
): InferenceService {
  const { services } = found;
  const listed = services.length > 0 ? services.map(serviceName).join('; ') : 'none';
  let candidates = services;
  if (choice.deployment !== undefined) {
    const [ns, name] = choice.deployment.includes('/')
      ? choice.deployment.split('/', 2)
      : [choice.namespace, choice.deployment];
    candidates = candidates.filter((s) => s.deployment === name && (ns === undefined || s.namespace === ns));
  } else if (choice.namespace !== undefined) {
    candidates = candidates.filter((s) => s.namespace === choice.namespace);
  }
  if (choice.model !== undefined) {
    candidates = candidates.filter((s) => s.models.includes(choice.model!));
  }
  if (candidates.length === 1) {
    return candidates[0];
  }
  if (services.length === 0) {
    const why =
      found.unowned.length > 0
        ? `vLLM serves ${found.unowned.join(', ')}, but no kube_pod_owner/kube_replicaset_owner series lead from its pods to a Deployment`
        : 'no vllm:generation_tokens_total series in the last hour';
    throw new FleetDataError(`No inference service found (${why}): name the workload with --deployment NAME.`);
  }
  if (candidates.length === 0) {
    throw new FleetDataError(`No inference service matches; candidates: ${listed}.`);
  }
  throw new FleetDataError(
    `Several inference services match; choose one with --deployment NAMESPACE/NAME: ${candidates.map(serviceName).join('; ')}.`
  );
}
