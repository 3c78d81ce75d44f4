/**
 * The fleet's timeline at one-minute ticks: arrivals, autoscaling, scheduling and completions.
 * Everything random comes from one seeded stream, consumed in a fixed order, so the same spec and
 * start time always give the same pods on the same GPUs. Advancing is incremental, so the history
 * writer runs it once to the end and the live endpoint keeps stepping it with the wall clock.
 */
import { FleetSpec, GpuRequest, validateFleetSpec } from './fleetSpec';
import { FleetLayout, buildLayout } from './layout';
import { Rng, createRng, stringKey } from './prng';
import { submissionRhythm, trafficRhythm } from './rhythm';
import { FREE, placeGang } from './scheduler';

export const TICK_SECONDS = 60;
const AUTOSCALE_EVERY_TICKS = 5;
const SCALE_DOWN_COOLDOWN_TICKS = 15;
/** Requests per replica the autoscaler aims for, as a share of its capacity. */
const AUTOSCALE_TARGET_LOAD = 0.7;

export type PodKind = 'training' | 'inference' | 'notebook' | 'batch';

export interface PodRecord {
  id: number;
  name: string;
  namespace: string;
  container: string;
  kind: PodKind;
  request: GpuRequest;
  cpuCores: number;
  createdTick: number;
  /** Tick the pod started running; -1 while (or if it stayed) pending. */
  startTick: number;
  /** First tick the pod no longer exists (Infinity while it does). */
  endTick: number;
  node: number;
  slots: number[];
  /** Index into spec.inference for inference pods, else -1. */
  deployment: number;
  /** Typical GR_ENGINE_ACTIVE of this pod's work (0–1), fixed at creation. */
  baseActivity: number;
  /** Share of the slot's memory the pod uses. */
  memoryShare: number;
  /** Per-pod key for stateless noise. */
  noiseKey: number;
}

interface PendingJob {
  pods: PodRecord[];
  runTicks: number;
}

export class FleetSimulation {
  readonly spec: FleetSpec;
  readonly layout: FleetLayout;
  /** Tick of the first simulated minute (absolute: seconds / 60). */
  readonly startTick: number;
  /** Last tick processed; the state below is the state during this tick. */
  currentTick: number;
  readonly pods: PodRecord[] = [];
  /** Pod id holding each slot, or FREE. */
  readonly holder: Int32Array;
  /** Running replicas per deployment per tick since startTick. */
  readonly runningReplicas: number[][];

  private readonly rng: Rng;
  private readonly pending: PendingJob[] = [];
  private readonly endsAt = new Map<number, PodRecord[]>();
  private readonly lastScaleDown: number[];
  /** Live (pending or running) pods of each deployment, oldest first. */
  private readonly deploymentPods: PodRecord[][];
  private readonly nameCounters = new Map<string, number>();
  private dirty = true;

  constructor(spec: FleetSpec, startSeconds: number) {
    validateFleetSpec(spec);
    this.spec = spec;
    this.layout = buildLayout(spec);
    this.rng = createRng(spec.seed);
    this.startTick = Math.floor(startSeconds / TICK_SECONDS);
    this.currentTick = this.startTick - 1;
    this.holder = new Int32Array(this.layout.slots.length).fill(FREE);
    this.runningReplicas = spec.inference.map(() => []);
    this.lastScaleDown = spec.inference.map(() => -Infinity);
    this.deploymentPods = spec.inference.map(() => []);
  }

  get startSeconds(): number {
    return this.startTick * TICK_SECONDS;
  }

  /** Processes every tick up to and including `tick`. */
  advanceTo(tick: number): void {
    while (this.currentTick < tick) {
      this.step(this.currentTick + 1);
    }
  }

  /** Running replicas of a deployment during `tick` (0 outside the simulated range). */
  replicasAt(deployment: number, tick: number): number {
    return this.runningReplicas[deployment][tick - this.startTick] ?? 0;
  }

  /** Requests per second a deployment receives at `seconds` (before splitting over replicas). */
  trafficAt(deployment: number, seconds: number): number {
    const d = this.spec.inference[deployment];
    const days = (seconds - this.startSeconds) / 86400;
    return d.peakRequestsPerSecond * trafficRhythm(seconds) * Math.pow(1 + d.growthPerDay, days);
  }

  private step(tick: number): void {
    this.currentTick = tick;
    this.complete(tick);
    this.expirePending(tick);
    this.arrive(tick);
    if ((tick - this.startTick) % AUTOSCALE_EVERY_TICKS === 0) {
      this.autoscale(tick);
    }
    if (this.dirty) {
      this.schedule(tick);
    }
    this.deploymentPods.forEach((pods, d) => {
      this.runningReplicas[d].push(pods.filter((p) => p.startTick >= 0 && p.endTick > tick).length);
    });
  }

  private end(pod: PodRecord, tick: number): void {
    pod.endTick = tick;
    for (const s of pod.slots) {
      this.holder[s] = FREE;
    }
    this.dirty = true;
  }

  private complete(tick: number): void {
    for (const pod of this.endsAt.get(tick) ?? []) {
      if (pod.endTick > tick) {
        this.end(pod, tick);
      }
    }
    this.endsAt.delete(tick);
  }

  private expirePending(tick: number): void {
    const limit = this.spec.maxPendingHours * 60;
    for (let i = this.pending.length - 1; i >= 0; i--) {
      const job = this.pending[i];
      if (job.pods[0].endTick <= tick) {
        this.pending.splice(i, 1);
      } else if (tick - job.pods[0].createdTick >= limit) {
        job.pods.forEach((p) => (p.endTick = tick));
        this.pending.splice(i, 1);
      }
    }
  }

  private nextName(base: string): string {
    const n = (this.nameCounters.get(base) ?? 0) + 1;
    this.nameCounters.set(base, n);
    return `${base}-${String(n).padStart(4, '0')}`;
  }

  private newPod(fields: Omit<PodRecord, 'id' | 'startTick' | 'endTick' | 'node' | 'slots' | 'noiseKey'>): PodRecord {
    const pod: PodRecord = {
      ...fields,
      id: this.pods.length,
      startTick: -1,
      endTick: Infinity,
      node: -1,
      slots: [],
      noiseKey: stringKey(fields.name),
    };
    this.pods.push(pod);
    this.dirty = true;
    return pod;
  }

  /**
   * Training activity: most jobs keep the GPU busy, some are input-bound, and about a fifth hold GPUs
   * doing nothing (debugging, hung collectives, waiting on data), as production utilisation CDFs show.
   */
  private trainingActivity(): number {
    const r = this.rng.next();
    return r < 0.62 ? this.rng.uniform(0.8, 0.99) : r < 0.78 ? this.rng.uniform(0.2, 0.6) : this.rng.uniform(0, 0.003);
  }

  private arrive(tick: number): void {
    const seconds = tick * TICK_SECONDS;
    const rhythm = submissionRhythm(seconds);
    for (const cls of this.spec.training) {
      const count = this.rng.poisson((cls.jobsPerDay / 1440) * rhythm);
      for (let j = 0; j < count; j++) {
        const shape = cls.shapes[this.rng.weightedIndex(cls.shapes.map((s) => s.weight))];
        const jobName = this.nextName(`train-${cls.name}`);
        const baseActivity = this.trainingActivity();
        const pods = Array.from({ length: shape.pods }, (_, i) =>
          this.newPod({
            name: shape.pods > 1 ? `${jobName}-worker-${i}` : `${jobName}-worker-0`,
            namespace: cls.namespace,
            container: 'trainer',
            kind: 'training',
            request: { kind: 'gpu', count: shape.gpusPerPod, gpuModels: cls.gpuModels },
            cpuCores: 8 * shape.gpusPerPod,
            createdTick: tick,
            deployment: -1,
            baseActivity,
            memoryShare: this.rng.uniform(0.6, 0.95),
          })
        );
        const runTicks = Math.max(10, Math.round(this.rng.exponential(cls.meanDurationHours * 60)));
        this.pending.push({ pods, runTicks });
      }
    }
    for (const cls of this.spec.ephemeral) {
      // Notebooks follow office hours closely; batch work is submitted around the clock with a milder rhythm.
      const factor = cls.kind === 'notebook' ? rhythm : 0.5 + 0.5 * rhythm;
      const count = this.rng.poisson((cls.arrivalsPerDay / 1440) * factor);
      for (let j = 0; j < count; j++) {
        const notebook = cls.kind === 'notebook';
        const pod = this.newPod({
          name: this.nextName(notebook ? `jupyter-${cls.name}` : `${cls.name}`),
          namespace: cls.namespace,
          container: notebook ? 'notebook' : 'worker',
          kind: cls.kind,
          request: cls.request,
          cpuCores: notebook ? 4 : 8,
          createdTick: tick,
          deployment: -1,
          baseActivity: notebook ? this.rng.uniform(0, 0.003) : this.rng.uniform(0.5, 0.97),
          memoryShare: notebook ? this.rng.uniform(0.02, 0.3) : this.rng.uniform(0.4, 0.9),
        });
        this.pending.push({
          pods: [pod],
          runTicks: Math.max(5, Math.round(this.rng.exponential(cls.meanDurationHours * 60))),
        });
      }
    }
  }

  private autoscale(tick: number): void {
    this.spec.inference.forEach((d, index) => {
      const alive = this.deploymentPods[index].filter((p) => p.endTick > tick);
      this.deploymentPods[index] = alive;
      const wanted = Math.ceil(
        this.trafficAt(index, tick * TICK_SECONDS) / (d.replicaCapacityRequestsPerSecond * AUTOSCALE_TARGET_LOAD)
      );
      const desired = Math.min(d.maxReplicas, Math.max(d.minReplicas, wanted));
      for (let i = alive.length; i < desired; i++) {
        const pod = this.newPod({
          name: `vllm-${d.name}-${this.nextName('r').slice(2)}`,
          namespace: d.namespace,
          container: 'vllm',
          kind: 'inference',
          request: { kind: 'gpu', count: d.gpusPerReplica, gpuModels: [d.gpuModel] },
          cpuCores: 8 * d.gpusPerReplica,
          createdTick: tick,
          deployment: index,
          baseActivity: 0,
          memoryShare: 0.92,
        });
        alive.push(pod);
        this.pending.push({ pods: [pod], runTicks: Infinity });
      }
      // Scale down one replica at a time after a cooldown, newest (or still pending) first.
      if (alive.length > desired && tick - this.lastScaleDown[index] >= SCALE_DOWN_COOLDOWN_TICKS) {
        this.end(alive[alive.length - 1], tick);
        this.lastScaleDown[index] = tick;
      }
    });
  }

  private schedule(tick: number): void {
    this.dirty = false;
    const failed = new Set<string>();
    for (let i = 0; i < this.pending.length; i++) {
      const job = this.pending[i];
      const requests = job.pods.map((p) => p.request);
      const signature = JSON.stringify(requests);
      // A shape that did not fit will not fit later in the same pass either.
      if (failed.has(signature)) {
        continue;
      }
      const plan = placeGang(this.layout, this.holder, requests);
      if (!plan) {
        failed.add(signature);
        continue;
      }
      job.pods.forEach((pod, p) => {
        pod.startTick = tick;
        pod.slots = plan[p];
        pod.node = this.layout.slots[plan[p][0]].node;
        plan[p].forEach((s) => (this.holder[s] = pod.id));
      });
      if (Number.isFinite(job.runTicks)) {
        const endTick = tick + job.runTicks;
        const list = this.endsAt.get(endTick) ?? [];
        list.push(...job.pods);
        this.endsAt.set(endTick, list);
      }
      this.pending.splice(i, 1);
      i--;
    }
  }
}
