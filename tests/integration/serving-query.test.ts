/**
 * The `serving` query type against a real Prometheus (promtool backfill), through the shared builder the browser
 * data source hands to Grafana (src/frames/serving/runServingQuery.ts) and through the backend process's QueryData,
 * with values set by hand from the data (tests/kit/backendQueryData.ts, shared with the Go conformance test):
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
import { servingSeries } from '../kit/backendQueryData';
import { createHttpTransport } from '../kit/httpTransport';
import { toOpenMetrics } from '../kit/openMetrics';
import { startPrometheus, type RunningPrometheus } from '../kit/prometheus';

const REPO_ROOT = path.resolve(__dirname, '../..');
const HOUR = 3600;
const START = (Math.floor(Date.now() / 3_600_000) - 3) * HOUR;
const END = START + HOUR;
const RANGE = { fromEpochMs: START * 1000, toEpochMs: END * 1000 };
const SERIES = servingSeries(START);

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
