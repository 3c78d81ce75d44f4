/**
 * A GPU whose dcgm-exporter is replaced while a pod holds it (a DaemonSet rollout gives the exporter a new instance):
 * two series of one GPU, one after the other. At the asked step staleness ends the old series; read in windows
 * (src/prometheus/podStep.ts) both fall in the window of the switch, and the GPU must still count once.
 */
import { analyseWaste } from '../../src/engine/efficiency';
import { createCatalog } from '../../src/prometheus/catalog';
import { createPrometheusClient } from '../../src/prometheus/client';
import { createFetchTransport } from '../../src/prometheus/fetchTransport';
import { fetchPodActivity } from '../../src/prometheus/podActivity';
import { constantSamples, toOpenMetrics, type PlainSeries } from '../kit/openMetrics';
import { startPrometheus, type RunningPrometheus } from '../kit/prometheus';

const DAY = 86400;
const HOUR = 3600;
const MINUTE = 60;
// Two hours ending at midnight UTC today: recent enough for Prometheus retention, stable while the suite runs.
const END = Math.floor(Date.now() / 1000 / DAY) * DAY;
const START = END - 2 * HOUR;
const MODEL = 'NVIDIA A100-SXM4-80GB';

/** A GPU held over [from, to) at 50 %: a scrape at x reports the minute before it, so samples at from + 60 … to. */
function gpu(labels: Record<string, string>, pod: { namespace: string; pod: string }, from: number, to: number) {
  return {
    name: 'DCGM_FI_PROF_GR_ENGINE_ACTIVE',
    labels: { Hostname: 'n1', modelName: MODEL, ...labels, ...pod },
    samples: constantSamples(0, from + MINUTE, to, MINUTE).map(([t]) => [t, 0.5]),
  } satisfies PlainSeries;
}

// web/serve-b holds GPU 2 for both hours; its exporter is replaced 65 minutes in, and without NODE_NAME the new one
// writes its own pod name as the Hostname. x/other holds GPU 3 throughout.
const serveB = { namespace: 'web', pod: 'serve-b' };
const series: PlainSeries[] = [
  gpu({ gpu: '2', UUID: 'GPU-2', instance: 'exporter-a' }, serveB, START, START + 65 * MINUTE),
  gpu(
    { gpu: '2', UUID: 'GPU-2', instance: 'exporter-b', Hostname: 'dcgm-exporter-b7k2q' },
    serveB,
    START + 65 * MINUTE,
    END
  ),
  gpu({ gpu: '3', UUID: 'GPU-3', instance: 'exporter-a' }, { namespace: 'x', pod: 'other' }, START, END),
];

let prometheus: RunningPrometheus;

beforeAll(async () => {
  prometheus = await startPrometheus({ openMetricsText: toOpenMetrics(series), lookbackDeltaSeconds: MINUTE - 1 });
}, 60_000);

afterAll(async () => {
  await prometheus?.stop();
});

it('counts a GPU whose exporter was replaced once, in windows as at the asked step', async () => {
  const client = createPrometheusClient(createFetchTransport(prometheus.url));
  // 2 pods × 121 points at 60 s exceed 20: every pod throughout fits ⌊20 / 2⌋ = 10 points, 15-minute windows.
  const windowed = await fetchPodActivity(client, createCatalog(), {
    startSeconds: START,
    endSeconds: END,
    stepSeconds: MINUTE,
    maxPodPoints: 20,
  });
  expect(windowed.windows?.windowSeconds).toBe(15 * MINUTE);
  expect(windowed.pods.map((p) => [p.pod, p.gpuCount]).sort()).toEqual([
    ['other', 1],
    ['serve-b', 1],
  ]);
  const hours = analyseWaste(windowed.pods, {
    prices: { [MODEL]: { onDemand: 7, reserved: 4, spot: 2 } },
    nowSeconds: END,
  }).pods.map((p) => [p.pod, p.allocatedGpuHours]);
  // Each of the 8 windows holds 15 scrapes of each GPU (serve-b's window of the switch: 5 from one exporter, 10 from
  // the other): one GPU each for 8 × 15 minutes, 2 GPU-hours; not 2 GPUs for serve-b.
  expect(hours.sort()).toEqual([
    ['other', 2],
    ['serve-b', 2],
  ]);
}, 60_000);
