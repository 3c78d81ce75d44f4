/**
 * The `serving` query type against a real Prometheus (promtool backfill), through the shared builder the browser
 * data source hands to Grafana (src/frames/serving/runServingQuery.ts) and through the backend process's QueryData,
 * with values set by hand below:
 *
 * - inference/llama-70b: one vLLM pod of 2 GPUs generating 600 tokens/s the whole hour, owned by ReplicaSet
 *   llama-70b-7d9f8c, owned by Deployment llama-70b; kube-state-metrics shows 3 replicas and KEDA's HPA 1 to 4;
 * - lab/mistral-7b: a vLLM pod with no kube-state-metrics owner and no GPU request (a bare pod);
 * - Karpenter's NodePool gpu allows 24 GPUs.
 */
import { type ChildProcess } from 'node:child_process';
import path from 'node:path';

import * as grpc from '@grpc/grpc-js';
import { tableFromIPC } from 'apache-arrow';

import { protocolServices } from '../../src/backend/protocol';
import { runServingQuery, type ServingQuery } from '../../src/frames/serving/runServingQuery';
import { createCatalog } from '../../src/prometheus/catalog';
import { createPrometheusClient } from '../../src/prometheus/client';
import { startSourceBackend, stopAll, unaryCall } from '../kit/backendProcess';
import { createHttpTransport } from '../kit/httpTransport';
import { constantSamples, toOpenMetrics, type PlainSeries } from '../kit/openMetrics';
import { startPrometheus, type RunningPrometheus } from '../kit/prometheus';

const REPO_ROOT = path.resolve(__dirname, '../..');
const HOUR = 3600;
const START = (Math.floor(Date.now() / 3_600_000) - 3) * HOUR;
const END = START + HOUR;
const RANGE = { fromEpochMs: START * 1000, toEpochMs: END * 1000 };
const everyMinute = (value: number) => constantSamples(value, START, END, 60);

const llamaPod = { namespace: 'inference', pod: 'llama-70b-7d9f8c-x2v4q' };
const hpa = { namespace: 'inference', horizontalpodautoscaler: 'keda-hpa-llama-70b' };
const SERIES: PlainSeries[] = [
  {
    name: 'vllm:generation_tokens_total',
    labels: { ...llamaPod, model_name: 'llama-70b' },
    samples: everyMinute(0).map(([t]) => [t, 1e6 + 600 * (t - START)]),
  },
  {
    name: 'vllm:generation_tokens_total',
    labels: { namespace: 'lab', pod: 'mistral', model_name: 'mistral-7b' },
    samples: everyMinute(0).map(([t]) => [t, 1e6 + 50 * (t - START)]),
  },
  {
    name: 'kube_pod_container_resource_requests',
    labels: { ...llamaPod, container: 'vllm', resource: 'nvidia_com_gpu', unit: 'integer' },
    samples: everyMinute(2),
  },
  {
    name: 'kube_pod_owner',
    labels: { ...llamaPod, owner_kind: 'ReplicaSet', owner_name: 'llama-70b-7d9f8c', owner_is_controller: 'true' },
    samples: everyMinute(1),
  },
  {
    name: 'kube_replicaset_owner',
    labels: {
      namespace: 'inference',
      replicaset: 'llama-70b-7d9f8c',
      owner_kind: 'Deployment',
      owner_name: 'llama-70b',
    },
    samples: everyMinute(1),
  },
  {
    name: 'kube_deployment_spec_replicas',
    labels: { namespace: 'inference', deployment: 'llama-70b' },
    samples: everyMinute(3),
  },
  {
    name: 'kube_horizontalpodautoscaler_info',
    labels: { ...hpa, scaletargetref_kind: 'Deployment', scaletargetref_name: 'llama-70b' },
    samples: everyMinute(1),
  },
  { name: 'kube_horizontalpodautoscaler_spec_min_replicas', labels: hpa, samples: everyMinute(1) },
  { name: 'kube_horizontalpodautoscaler_spec_max_replicas', labels: hpa, samples: everyMinute(4) },
  {
    name: 'karpenter_nodepools_limit',
    labels: { nodepool: 'gpu', resource_type: 'nvidia.com/gpu' },
    samples: everyMinute(24),
  },
];

let prometheus: RunningPrometheus;
let backend: ChildProcess;
let client: grpc.Client;
const services = protocolServices();

beforeAll(async () => {
  prometheus = await startPrometheus({ openMetricsText: toOpenMetrics(SERIES) });
  ({ backend, client } = await startSourceBackend(REPO_ROOT));
}, 120_000);

afterAll(() => stopAll({ client, backend, prometheus }));

const browser = (query: Omit<ServingQuery, 'refId'>) =>
  runServingQuery(
    { refId: 'A', ...query },
    {
      client: createPrometheusClient(createHttpTransport(prometheus.url)),
      catalog: createCatalog(),
      fromMs: RANGE.fromEpochMs,
      toMs: RANGE.toEpochMs,
    }
  );

const columns = (frame: { fields: Array<{ name: string; values: unknown[] }> }) =>
  Object.fromEntries(frame.fields.map((f) => [f.name, [...f.values]]));

/** The backend's answer to one query, each Arrow frame's columns as plain arrays. */
async function backendColumns(model: object): Promise<Array<Record<string, unknown[]>>> {
  const answer = await unaryCall(client, services.data, 'QueryData', {
    pluginContext: { dataSourceInstanceSettings: { url: prometheus.url, jsonData: Buffer.from('{"timeout": 30}') } },
    queries: [{ refId: 'A', intervalMs: 60_000, timeRange: RANGE, json: Buffer.from(JSON.stringify(model)) }],
  });
  const response = (answer.responses as Record<string, { frames: Buffer[]; error: string; status: number }>).A;
  expect({ error: response.error, status: response.status }).toEqual({ error: '', status: 200 });
  return response.frames.map((bytes) => {
    const table = tableFromIPC(bytes);
    return Object.fromEntries(
      table.schema.fields.map((f) => [
        f.name,
        Array.from({ length: table.numRows }, (_, i): unknown => table.getChild(f.name)!.get(i)),
      ])
    );
  });
}

describe('serving query type', () => {
  it('services: the vLLM model joined to its Deployment; the unowned pod named in a warning', async () => {
    const [frame] = await browser({ servingView: 'services' });
    expect(columns(frame)).toEqual({ Namespace: ['inference'], Deployment: ['llama-70b'], Models: ['llama-70b'] });
    expect(frame.meta?.notices).toEqual([
      expect.objectContaining({ text: expect.stringMatching(/^vLLM serves mistral-7b/) }),
    ]);
    expect(await backendColumns({ queryType: 'serving', servingView: 'services' })).toEqual([columns(frame)]);
  });

  it('deployed: replicas 3, HPA 1 to 4, NodePool 24 GPUs, node group not visible', async () => {
    const query = {
      servingView: 'deployed' as const,
      deployment: 'inference/llama-70b',
      nodePool: 'gpu',
      nodeGroup: 'gpu-a',
    };
    const [frame] = await browser(query);
    expect(columns(frame).Now).toEqual([3, 1, 4, 24, null, null]);
    expect(frame.meta?.custom).toEqual({
      headroom: 'deployed',
      target: { namespace: 'inference', deployment: 'llama-70b', nodePool: 'gpu', nodeGroup: 'gpu-a' },
      values: { replicas: 3, hpaMinReplicas: 1, hpaMaxReplicas: 4, nodePoolGpuLimit: 24, nodeGroups: { 'gpu-a': {} } },
    });
    const [answer] = await backendColumns({ queryType: 'serving', ...query });
    expect(answer.Now).toEqual([3, 1, 4, 24, null, null]);
  });

  it("deployed: a Deployment written without its namespace is the query's fault", async () => {
    await expect(browser({ servingView: 'deployed', deployment: 'llama-70b' })).rejects.toThrow(/NAMESPACE\/NAME/);
  });

  it('throughput: 600 tokens/s on 2 GPUs is 300 a GPU; the model without GPU requests is a warning', async () => {
    const [frame] = await browser({ servingView: 'throughput' });
    expect(columns(frame)).toEqual({ Model: ['llama-70b'], 'Tokens/s per GPU': [300], 'Serving hours': [1] });
    expect(frame.meta?.notices).toEqual([
      expect.objectContaining({ text: expect.stringMatching(/^mistral-7b: No kube_pod_container_resource_requests/) }),
    ]);
    expect(await backendColumns({ queryType: 'serving', servingView: 'throughput' })).toEqual([columns(frame)]);
  });
});
