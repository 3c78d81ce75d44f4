/**
 * What the GPUs and vLLM servers would report at a given time. Pure functions of (simulation state, time):
 * noise comes from a stateless hash, so the history file and the live endpoint show the same numbers.
 */
import { GPU_MODELS } from './gpuCatalog';
import { PhysicalGpu, SlotInfo } from './layout';
import { hashSigned, hashUniform } from './prng';
import { FleetSimulation, PodKind, PodRecord, TICK_SECONDS } from './simulation';

const clamp01 = (v: number) => (v < 0 ? 0 : v > 1 ? 1 : v);

/** Salts keep the noise of different metrics of one series independent. */
const Salt = { Activity: 1, Burst: 2, Power: 3, Requests: 4, Tokens: 5, Queue: 6 } as const;

/** Requests per second one replica receives, as a share of its capacity, during `tick`. */
export function inferenceLoad(sim: FleetSimulation, pod: PodRecord, tick: number): number {
  const d = sim.spec.inference[pod.deployment];
  const replicas = Math.max(1, sim.replicasAt(pod.deployment, tick));
  return sim.trafficAt(pod.deployment, tick * TICK_SECONDS) / replicas / d.replicaCapacityRequestsPerSecond;
}

/** DCGM_FI_PROF_GR_ENGINE_ACTIVE of a slot held by `pod` (0 when free). */
export function activityAt(sim: FleetSimulation, pod: PodRecord | undefined, seconds: number): number {
  if (!pod) {
    return 0;
  }
  const seed = sim.spec.seed;
  const noise = hashSigned(seed, pod.noiseKey + Salt.Activity, seconds);
  const tick = Math.floor(seconds / TICK_SECONDS);
  switch (pod.kind) {
    case 'training': {
      // Checkpoints: two quiet minutes an hour, at a per-job offset.
      const checkpoint = (tick + pod.noiseKey) % 60 < 2;
      return clamp01(pod.baseActivity * (checkpoint ? 0.1 : 1) + 0.03 * noise * pod.baseActivity);
    }
    case 'inference':
      return clamp01(0.03 + 0.9 * Math.min(1, inferenceLoad(sim, pod, tick)) + 0.03 * noise);
    case 'notebook': {
      // Someone runs a cell now and then: a ten-minute burst in about one window in twenty.
      const burst = hashUniform(seed, pod.noiseKey + Salt.Burst, Math.floor(seconds / 600)) < 0.05;
      return clamp01(burst ? 0.4 + 0.3 * noise : pod.baseActivity * (1 + noise));
    }
    case 'batch':
      return clamp01(pod.baseActivity + 0.05 * noise);
  }
}

/**
 * DCGM_FI_DEV_GPU_UTIL (%): share of time any kernel ran. It saturates long before the engines do
 * (one small kernel at a time counts as 100 %), which is why production CDFs pile up near 100.
 */
export function gpuUtilPercent(activity: number): number {
  return activity < 0.005 ? 0 : Math.round(100 * Math.min(1, activity * 1.6));
}

const SM_OCCUPANCY_PER_SM: Record<PodKind, number> = { training: 0.45, inference: 0.3, batch: 0.35, notebook: 0.2 };
const TENSOR_PER_SM: Record<PodKind, number> = { training: 0.55, inference: 0.35, batch: 0.3, notebook: 0.1 };
const DRAM_PER_ACTIVE: Record<PodKind, number> = { training: 0.45, inference: 0.6, batch: 0.4, notebook: 0.2 };

export function smActive(activity: number): number {
  return activity * 0.92;
}

export function smOccupancy(pod: PodRecord | undefined, activity: number): number {
  return pod ? smActive(activity) * SM_OCCUPANCY_PER_SM[pod.kind] : 0;
}

export function tensorActive(pod: PodRecord | undefined, activity: number): number {
  return pod ? smActive(activity) * TENSOR_PER_SM[pod.kind] : 0;
}

export function dramActive(pod: PodRecord | undefined, activity: number): number {
  return pod ? activity * DRAM_PER_ACTIVE[pod.kind] : 0;
}

/** DCGM_FI_DEV_FB_USED (MiB). vLLM preallocates its KV cache, so inference memory is flat. */
export function framebufferUsedMiB(slot: SlotInfo, pod: PodRecord | undefined): number {
  return pod ? Math.round(slot.memoryMiB * pod.memoryShare) : 0;
}

/** Power (W) and SM clock (MHz) of a physical GPU, from the activity of each of its slots. */
export function physicalGpuReadings(
  sim: FleetSimulation,
  gpu: PhysicalGpu,
  slotActivity: (slot: number) => { held: boolean; activity: number },
  seconds: number
): { powerWatts: number; smClockMHz: number } {
  const model = GPU_MODELS[sim.layout.nodes[gpu.node].model];
  let load = 0;
  let peak = 0;
  for (const s of gpu.slots) {
    const { held, activity } = slotActivity(s);
    // A process holding a context keeps the GPU out of its deepest idle state.
    load += held ? sim.layout.slots[s].computeShare * (0.12 + 0.88 * activity) : 0;
    peak = Math.max(peak, activity);
  }
  const noise = hashSigned(sim.spec.seed, gpu.node * 64 + gpu.gpu + Salt.Power, seconds);
  const powerWatts = model.idlePowerWatts + (model.maxPowerWatts - model.idlePowerWatts) * load * (1 + 0.02 * noise);
  const smClockMHz = model.idleSmClockMHz + (model.maxSmClockMHz - model.idleSmClockMHz) * Math.min(1, peak * 3);
  return { powerWatts: Math.round(powerWatts * 10) / 10, smClockMHz: Math.round(smClockMHz) };
}

/** Latency buckets (seconds) exposed by the simulated vLLM histograms. */
export const TTFT_BUCKETS_SECONDS = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
export const ITL_BUCKETS_SECONDS = [0.01, 0.025, 0.05, 0.075, 0.1, 0.2, 0.5, 1];

/** Standard normal CDF (Abramowitz–Stegun 7.1.26 via erf). */
function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

/** What one vLLM replica served during one tick: whole requests and tokens, and latency distributions. */
export interface ReplicaTick {
  requests: number;
  promptTokens: number;
  generationTokens: number;
  /** Lognormal latency: median and shape. */
  ttftMedianSeconds: number;
  itlMedianSeconds: number;
}

const TTFT_SIGMA = 0.6;
const ITL_SIGMA = 0.35;

export function replicaTick(sim: FleetSimulation, pod: PodRecord, tick: number): ReplicaTick {
  const d = sim.spec.inference[pod.deployment];
  const load = inferenceLoad(sim, pod, tick);
  const seconds = tick * TICK_SECONDS;
  const expected = load * d.replicaCapacityRequestsPerSecond * TICK_SECONDS;
  // Stochastic rounding with a stateless draw keeps counts whole and reproducible.
  const requests = Math.floor(expected + hashUniform(sim.spec.seed, pod.noiseKey + Salt.Requests, seconds));
  const tokenNoise = 1 + 0.1 * hashSigned(sim.spec.seed, pod.noiseKey + Salt.Tokens, seconds);
  const busy = Math.min(load, 1.3);
  return {
    requests,
    promptTokens: Math.round(requests * d.promptTokensPerRequest * tokenNoise),
    generationTokens: Math.round(requests * d.generationTokensPerRequest * tokenNoise),
    ttftMedianSeconds: 0.06 + 0.5 * Math.pow(busy, 4),
    itlMedianSeconds: 0.018 + 0.03 * busy * busy,
  };
}

/** Observations of one tick at or below `le` for a lognormal with the given median; whole numbers, monotone in `le`. */
export function observationsAtOrBelow(count: number, medianSeconds: number, sigma: number, le: number): number {
  return Math.round(count * normalCdf(Math.log(le / medianSeconds) / sigma));
}

export function ttftObservations(t: ReplicaTick, le: number): number {
  return observationsAtOrBelow(t.requests, t.ttftMedianSeconds, TTFT_SIGMA, le);
}

export function itlObservations(t: ReplicaTick, le: number): number {
  return observationsAtOrBelow(t.generationTokens, t.itlMedianSeconds, ITL_SIGMA, le);
}

/** Mean of a lognormal: median × exp(σ²/2). */
export function ttftSumSeconds(t: ReplicaTick): number {
  return t.requests * t.ttftMedianSeconds * Math.exp((TTFT_SIGMA * TTFT_SIGMA) / 2);
}

export function itlSumSeconds(t: ReplicaTick): number {
  return t.generationTokens * t.itlMedianSeconds * Math.exp((ITL_SIGMA * ITL_SIGMA) / 2);
}

/** vLLM gauges for one replica at `seconds`. */
export function replicaGauges(
  sim: FleetSimulation,
  pod: PodRecord,
  seconds: number
): { running: number; waiting: number; kvCacheUsage: number } {
  const d = sim.spec.inference[pod.deployment];
  const tick = Math.floor(seconds / TICK_SECONDS);
  const load = inferenceLoad(sim, pod, tick);
  const rps = load * d.replicaCapacityRequestsPerSecond;
  const noise = hashUniform(sim.spec.seed, pod.noiseKey + Salt.Queue, seconds);
  // Little's law: requests in flight = arrival rate × time each one takes to generate.
  const inFlight = rps * d.generationTokensPerRequest * (0.018 + 0.03 * load * load);
  const running = Math.min(256, Math.round(inFlight * (0.85 + 0.3 * noise)));
  const waiting = load > 0.95 ? Math.round((load - 0.95) * rps * 20 * (0.5 + noise)) : 0;
  return { running, waiting, kvCacheUsage: clamp01(0.05 + 0.8 * Math.min(1, load) + 0.05 * (noise - 0.5)) };
}
