/**
 * fetchSpotChurn against a real Prometheus holding kube-state-metrics node series: spot nodes found by the Karpenter
 * and EKS labels, on-demand nodes left out, and the share of spot GPUs interrupted per day worked by hand.
 */
import { createCatalog } from '../../src/prometheus/catalog';
import { createPrometheusClient } from '../../src/prometheus/client';
import { createFetchTransport } from '../../src/prometheus/fetchTransport';
import { runEfficiencyQuery } from '../../src/frames/efficiency/runEfficiencyQuery';
import { fetchSpotChurn } from '../../src/prometheus/spotChurn';
import { constantSamples, toOpenMetrics, type PlainSeries } from '../kit/openMetrics';
import { startPrometheus, type RunningPrometheus } from '../kit/prometheus';

const H = 3600;
const END = Math.floor(Date.now() / 1000 / H) * H;
const START = END - 48 * H;
const EVERY_5_MIN = 300;

/** A node's allocatable GPUs and its labels, sampled every 5 minutes from `from` to `to` hours into the window. */
function node(name: string, gpus: number, labels: Record<string, string>, from: number, to: number): PlainSeries[] {
  const samples = (value: number) => constantSamples(value, START + from * H, START + to * H, EVERY_5_MIN);
  return [
    {
      name: 'kube_node_status_allocatable',
      labels: { node: name, resource: 'nvidia_com_gpu', unit: 'integer' },
      samples: samples(gpus),
    },
    { name: 'kube_node_labels', labels: { node: name, ...labels }, samples: samples(1) },
  ];
}

let prometheus: RunningPrometheus;

beforeAll(async () => {
  prometheus = await startPrometheus({
    openMetricsText: toOpenMetrics([
      // a: Karpenter spot, 8 GPUs all along. b: Karpenter spot, 4 GPUs, gone after 11 h. c: EKS spot, 4 GPUs from
      // 12 h. d: Karpenter on-demand, 8 GPUs, gone after 5 h (not spot: left out).
      ...node('spot-a', 8, { label_karpenter_sh_capacity_type: 'spot' }, 0, 48),
      ...node('spot-b', 4, { label_karpenter_sh_capacity_type: 'spot' }, 0, 11),
      ...node('spot-c', 4, { label_eks_amazonaws_com_capacity_type: 'SPOT' }, 12, 48),
      ...node('od-d', 8, { label_karpenter_sh_capacity_type: 'on-demand' }, 0, 5),
    ]),
  });
});

afterAll(() => prometheus?.stop());

describe('fetchSpotChurn', () => {
  it('finds the spot GPU nodes and the share interrupted per day', async () => {
    const client = createPrometheusClient(createFetchTransport(prometheus.url));
    const churn = await fetchSpotChurn(client, createCatalog(), {
      startSeconds: START,
      endSeconds: END,
      stepSeconds: H,
    });
    // Hourly grid: a is there 48 h × 8 = 16 GPU-days; b until 11 h (its last sample; at 12 h nothing within the
    // 5-minute lookback), 12 h × 4 = 2; c from 12 h, 36 h × 4 = 6. 4 GPUs gone / 24 GPU-days = 1/6 per day.
    expect(
      churn.nodes.map((n) => [n.node, n.gpus, (n.firstSeenSeconds - START) / H, (n.lastSeenSeconds - START) / H]).sort()
    ).toEqual([
      ['spot-a', 8, 0, 48],
      ['spot-b', 4, 0, 11],
      ['spot-c', 4, 12, 48],
    ]);
    expect(churn.interruptedNodes).toEqual(['spot-b']);
    expect(churn.spotGpuDays).toBe(24);
    expect(churn.sharePerDay).toBeCloseTo(1 / 6, 12);
  });
});

describe("the Efficiency page's spot view", () => {
  const context = (url: string) => ({
    client: createPrometheusClient(createFetchTransport(url)),
    catalog: createCatalog(),
    filters: {},
    fromMs: START * 1000,
    toMs: END * 1000,
    appSettings: async () => ({}),
    run: async () => {
      throw new Error('the spot view runs no analysis task');
    },
  });

  it('gives the share of spot GPUs interrupted per day over the page range', async () => {
    const [frame] = await runEfficiencyQuery({ refId: 'S', efficiencyView: 'spot' }, context(prometheus.url));
    // The page's step is finer than an hour, so spot-b counts until its last sample plus the 5-minute lookback:
    // 4 GPUs gone over about 24 GPU-days, 1/6 a day give or take 0.005.
    expect(frame.fields[0].name).toBe('Spot GPUs interrupted per day');
    expect(frame.fields[0].values[0]).toBeCloseTo(1 / 6, 2);
    expect(frame.meta?.custom).toMatchObject({ interruptedGpus: 4, interruptedNodes: ['spot-b'] });
  });

  describe('without spot nodes', () => {
    let onDemandOnly: RunningPrometheus;
    beforeAll(async () => {
      onDemandOnly = await startPrometheus({
        openMetricsText: toOpenMetrics(node('od-d', 8, { label_karpenter_sh_capacity_type: 'on-demand' }, 0, 48)),
      });
    });
    afterAll(() => onDemandOnly?.stop());

    it('is empty and says "no spot nodes found"', async () => {
      const [frame] = await runEfficiencyQuery({ refId: 'S', efficiencyView: 'spot' }, context(onDemandOnly.url));
      expect(frame.fields[0].values).toEqual([null]);
      expect(frame.fields[0].config?.noValue).toBe('no spot nodes found');
    });
  });
});
