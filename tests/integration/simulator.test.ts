/**
 * The simulator's history against a real promtool backfill and a real Prometheus, and its live endpoint
 * against the history: the same seed must give the same fleet, and PromQL must see what the summary says.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { HistorySummary, defaultFleetSpec, startLiveMetricsServer, writeOpenMetricsHistory } from '../../src/simulator';
import { createCatalog } from '../../src/prometheus/catalog';
import { createPrometheusClient } from '../../src/prometheus/client';
import { fetchDeployedState } from '../../src/prometheus/deployedState';
import { fetchInferenceServices } from '../../src/prometheus/inferenceServices';
import { createHttpTransport } from '../kit/httpTransport';
import { RunningPrometheus, startPrometheus } from '../kit/prometheus';

const DAY_SECONDS = 86400;
// Midnight UTC today: recent enough for Prometheus retention, stable while the suite runs.
const END_SECONDS = Math.floor(Date.now() / 1000 / DAY_SECONDS) * DAY_SECONDS;
const DAYS = 2;
const STEP_SECONDS = 600;
const spec = defaultFleetSpec({ gpuCount: 16, seed: 11 });

let dir: string;
let file: string;
let summary: HistorySummary;
let text: string;
let prometheus: RunningPrometheus;

async function instant(query: string): Promise<Array<{ metric: Record<string, string>; value: number }>> {
  const url = `${prometheus.url}/api/v1/query?query=${encodeURIComponent(query)}&time=${summary.lastSampleSeconds}`;
  const body = (await (await fetch(url)).json()) as {
    data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> };
  };
  return body.data.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
}

async function scalar(query: string): Promise<number> {
  const result = await instant(query);
  return result.length === 0 ? 0 : result[0].value;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'headroom-sim-'));
  file = join(dir, 'history.om');
  summary = await writeOpenMetricsHistory(
    spec,
    { endSeconds: END_SECONDS, days: DAYS, stepSeconds: STEP_SECONDS },
    file
  );
  text = readFileSync(file, 'utf8');
  prometheus = await startPrometheus({ openMetricsFile: file });
}, 120_000);

afterAll(async () => {
  await prometheus?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('OpenMetrics history file', () => {
  it('ends with # EOF, declares each family once, and keeps each series in time order', () => {
    expect(text.endsWith('# EOF\n')).toBe(true);
    const types = text.match(/^# TYPE \S+/gm)!;
    expect(new Set(types).size).toBe(types.length);
    const lastTime = new Map<string, number>();
    let disorder = 0;
    for (const line of text.split('\n')) {
      if (line === '' || line.startsWith('#')) {
        continue;
      }
      const cut = line.lastIndexOf(' ');
      const key = line.slice(0, line.lastIndexOf(' ', cut - 1));
      const time = Number(line.slice(cut + 1));
      disorder += time <= (lastTime.get(key) ?? -Infinity) ? 1 : 0;
      lastTime.set(key, time);
    }
    expect(disorder).toBe(0);
    expect(lastTime.size).toBe(summary.seriesCount);
  });

  it('keeps token counters monotonic within a pod except for restarts back to a small value', () => {
    const perSeries = new Map<string, number[]>();
    for (const m of text.matchAll(/^(vllm:generation_tokens_total\{[^}]*\}) (\S+) (\d+)$/gm)) {
      perSeries.set(m[1], [...(perSeries.get(m[1]) ?? []), Number(m[2])]);
    }
    expect(perSeries.size).toBeGreaterThan(0);
    let rises = 0;
    for (const values of perSeries.values()) {
      for (let i = 1; i < values.length; i++) {
        if (values[i] < values[i - 1]) {
          // A restart starts from zero: within one step it cannot have reached the previous total.
          expect(values[i]).toBeLessThan(values[i - 1] / 2 + 1);
        } else {
          rises++;
        }
      }
    }
    expect(rises).toBeGreaterThan(0);
  });
});

describe('Prometheus backfilled from the history', () => {
  it('sees the fleet the summary describes', async () => {
    expect(summary.totalGpus).toBe(16);
    expect(await scalar('sum(kube_node_status_allocatable{resource="nvidia_com_gpu"})')).toBe(
      summary.allocatableWholeGpus
    );
    expect(await scalar('sum(kube_node_status_capacity{resource="nvidia_com_mig_1g_10gb"})')).toBe(
      summary.migInstancesAllocatable.nvidia_com_mig_1g_10gb
    );
    // One power series per physical GPU (MIG GPUs report power once, not per instance).
    expect(await scalar('count(DCGM_FI_DEV_POWER_USAGE)')).toBe(summary.totalGpus);
    const byModel = await instant('count by (modelName) (DCGM_FI_DEV_POWER_USAGE)');
    expect(Object.fromEntries(byModel.map((r) => [r.metric.modelName, r.value]))).toEqual(summary.gpusByModel);
  });

  it('sees the allocation, busy GPUs and pending pods of the last sample', async () => {
    const e = summary.atEnd;
    expect(await scalar('sum(kube_pod_container_resource_requests{resource="nvidia_com_gpu", node!=""})')).toBe(
      e.allocatedGpus
    );
    const byNamespace = await instant(
      'sum by (namespace) (kube_pod_container_resource_requests{resource="nvidia_com_gpu", node!=""})'
    );
    expect(Object.fromEntries(byNamespace.map((r) => [r.metric.namespace, r.value]))).toEqual(
      e.allocatedGpusByNamespace
    );
    expect(await scalar('count(DCGM_FI_DEV_GPU_UTIL{pod!=""})')).toBe(e.allocatedGpus);
    expect(await scalar('sum(DCGM_FI_PROF_GR_ENGINE_ACTIVE)')).toBeCloseTo(e.grEngineActiveSum, 3);
    expect(await scalar('sum(kube_pod_status_phase{phase="Pending"})')).toBe(e.pendingPods);
    expect(await scalar('sum(kube_pod_status_phase{phase="Running"})')).toBe(e.runningPods);
    // Allocated whole GPUs never exceed allocatable on any node.
    const over = await instant(
      'sum by (node) (kube_pod_container_resource_requests{resource="nvidia_com_gpu", node!=""}) > on(node) kube_node_status_allocatable{resource="nvidia_com_gpu"}'
    );
    expect(over).toEqual([]);
  });

  it("shows each inference service as kube-state-metrics does: found through its pods' owners, its HPA bounds as specified", async () => {
    const client = createPrometheusClient(createHttpTransport(prometheus.url));
    const found = await fetchInferenceServices(client, createCatalog(), summary.lastSampleSeconds);
    // Every Deployment of the fleet spec serves its model, named as kubectl would show it.
    const expected = spec.inference.map((d) => ({
      namespace: d.namespace,
      deployment: `vllm-${d.name}`,
      models: [d.servedModel],
    }));
    expect(spec.inference.length).toBeGreaterThan(0);
    expect(found.services).toEqual(expect.arrayContaining(expected));
    expect(found.unowned).toEqual([]);
    for (const d of spec.inference) {
      const { values } = await fetchDeployedState(
        client,
        { namespace: d.namespace, deployment: `vllm-${d.name}` },
        summary.lastSampleSeconds
      );
      expect([values.hpaMinReplicas, values.hpaMaxReplicas]).toEqual([d.minReplicas, d.maxReplicas]);
      // spec.replicas counts the Deployment's pods, pending or running: at least the running ones vLLM reports.
      const running = await scalar(
        `count(vllm:num_requests_running{namespace="${d.namespace}", pod=~"vllm-${d.name}-.*"})`
      );
      expect(values.replicas).toBeGreaterThanOrEqual(running);
      expect(values.replicas).toBeLessThanOrEqual(d.maxReplicas);
    }
  });
});

describe('live /metrics endpoint', () => {
  function sampleLines(body: string, name: string): string[] {
    return body
      .split('\n')
      .filter((l) => l.startsWith(`${name}{`))
      .sort();
  }

  it('continues the same fleet: at the history end it shows every sample the history shows', async () => {
    const server = await startLiveMetricsServer(spec, {
      port: 0,
      days: DAYS,
      nowSeconds: () => summary.lastSampleSeconds,
    });
    try {
      const body = await (await fetch(server.url)).text();
      const fromHistory = text
        .split('\n')
        .filter((l) => !l.startsWith('#') && l.endsWith(` ${summary.lastSampleSeconds}`))
        .map((l) => l.slice(0, l.lastIndexOf(' ')))
        .sort();
      expect(fromHistory.filter((l) => l.startsWith('DCGM_FI_PROF_GR_ENGINE_ACTIVE{')).length).toBeGreaterThan(0);
      // The history encodes bytes in bulk and the live endpoint formats one value at a time: every family,
      // counters and histograms included, must read the same.
      expect(
        body
          .split('\n')
          .filter((l) => l !== '' && !l.startsWith('#'))
          .sort()
      ).toEqual(fromHistory);
      expect(body).toMatch(/^# TYPE vllm:prompt_tokens_total counter$/m);
      expect(body).not.toContain('# EOF');
    } finally {
      await server.close();
    }
  });

  it('can leave out profiling fields and rename pod labels to exported_*', async () => {
    const server = await startLiveMetricsServer(spec, {
      port: 0,
      days: DAYS,
      profiling: false,
      exportedLabels: true,
      nowSeconds: () => summary.lastSampleSeconds,
    });
    try {
      const body = await (await fetch(server.url)).text();
      expect(body).not.toContain('DCGM_FI_PROF_');
      const held = sampleLines(body, 'DCGM_FI_DEV_FB_USED').filter((l) => l.includes('pod="'));
      expect(held.length).toBeGreaterThan(0);
      expect(held.every((l) => l.includes('exported_pod="') && !/[{,]pod="/.test(l))).toBe(true);
      expect((await fetch(server.url.replace('/metrics', '/other'))).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});

describe('headroom simulate command line', () => {
  const run = (args: string[]) =>
    promisify(execFile)('npx', ['tsx', 'src/cli/main.ts', 'simulate', ...args], { cwd: join(__dirname, '../..') }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: { code: number; stdout: string; stderr: string }) => ({
        code: error.code,
        stdout: error.stdout,
        stderr: error.stderr,
      })
    );

  it.each([
    ['1', 1, '1 × NVIDIA L4'],
    ['8', 8, '4 × NVIDIA H100 80GB HBM3, 4 × NVIDIA L4'],
  ])(
    'writes a fleet of --gpus %s (exactly that many GPUs), announcing its size before writing',
    async (gpus, total, models) => {
      const out = join(dir, `small-${gpus}.om`);
      const result = await run(['--gpus', gpus, '--days', '1', '--step-seconds', '600', '--out', out]);
      expect(result).toEqual(expect.objectContaining({ code: 0 }));
      expect(result.stdout).toContain(`fleet: ${total} GPUs on `);
      expect(result.stdout).toContain(`(${models})`);
      expect(readFileSync(out, 'utf8').endsWith('# EOF\n')).toBe(true);
      // The estimate (stderr, before writing) has the written file's exact series and sample counts, and its size
      // within 5 %: only the values' lengths are guessed, and they are a few bytes of ~200-byte lines. The file's
      // own size is the reference; the printed estimate is rounded, so half its last digit is allowed on top.
      const estimate = result.stderr.match(/^writing .*: about ([\d.]+) MiB \(([\d,]+) series, ([\d,]+) samples\)/m)!;
      const written = result.stdout.match(/^wrote .*: (\d+) series, (\d+) samples, ([\d.]+) MiB/m)!;
      expect(estimate[2].replace(/,/g, '')).toBe(written[1]);
      expect(estimate[3].replace(/,/g, '')).toBe(written[2]);
      const writtenMiB = statSync(out).size / 2 ** 20;
      const estimateRoundingMiB = 0.5 * 10 ** -(estimate[1].split('.')[1]?.length ?? 0);
      expect(Math.abs(Number(estimate[1]) - writtenMiB)).toBeLessThanOrEqual(0.05 * writtenMiB + estimateRoundingMiB);
    },
    60_000
  );

  it('estimates a large history without writing it, and warns', async () => {
    const out = join(dir, 'large.om');
    const result = await run(['--gpus', '64', '--days', '30', '--step-seconds', '60', '--out', out, '--dry-run']);
    expect(result.code).toBe(0);
    // Measured: 64 GPUs × 30 days at 60 s wrote 11,114 MiB = 10.85 GiB (docs/simulator.md, bench/simulate.ts);
    // issue 12 saw 351 MiB per day, 10.3 GiB.
    const gib = Number(result.stdout.match(/^about ([\d.]+) GiB/)?.[1]);
    expect(gib).toBeGreaterThan(10);
    expect(gib).toBeLessThan(11.5);
    expect(result.stderr).toMatch(/warning: this history is large .*--gpus 16 --days 3 --step-seconds 300/);
    expect(() => readFileSync(out)).toThrow(/ENOENT/);
  }, 60_000);

  it.each([
    [['--gpus', '0', '--out', '/dev/null'], /--gpus must be a whole number >= 1/],
    [['--days', '0', '--out', '/dev/null'], /days must be a number greater than 0/],
    [['--step-seconds', '1.5', '--out', '/dev/null'], /step must be a whole number of seconds/],
    [['--days', '1'], /give --out FILE/],
  ])(
    'rejects %j with exit code 2',
    async (args, message) => {
      const result = await run(args);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
    },
    30_000
  );
});
