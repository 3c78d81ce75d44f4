/**
 * What a simulated fleet contains: node pools and the workloads that run on them.
 * A spec is plain data; `validateFleetSpec` says in words what is wrong with one.
 */
import { GPU_MODELS, GpuModelId, MIG_COMPUTE_SLICES, MIG_MEMORY_SLICES } from './gpuCatalog';

export interface NodePoolSpec {
  /** Nodes are named `<namePrefix>-<index>` (index from 1, two digits). */
  namePrefix: string;
  model: GpuModelId;
  nodeCount: number;
  gpusPerNode: number;
  cpuCores: number;
  /** When set, every GPU of the pool is split into these MIG instances (device plugin "mixed" strategy). */
  migLayout?: string[];
  /**
   * Spot capacity: the pool's nodes carry Karpenter's `karpenter.sh/capacity-type=spot` label, which Headroom's spot
   * queries read (prometheus/spotChurn.ts). Off by default: every node is on demand, as in docs/simulator.md's fleet.
   */
  spot?: boolean;
}

/** What one pod asks for: whole GPUs of some models, or MIG instances of one profile. */
export type GpuRequest =
  { kind: 'gpu'; count: number; gpuModels: GpuModelId[] } | { kind: 'mig'; count: number; profile: string };

export interface GangShape {
  pods: number;
  gpusPerPod: number;
  weight: number;
}

export interface TrainingClassSpec {
  name: string;
  namespace: string;
  gpuModels: GpuModelId[];
  jobsPerDay: number;
  shapes: GangShape[];
  meanDurationHours: number;
}

export interface InferenceDeploymentSpec {
  name: string;
  namespace: string;
  /** vLLM `model_name` label. */
  servedModel: string;
  gpuModel: GpuModelId;
  gpusPerReplica: number;
  minReplicas: number;
  maxReplicas: number;
  /** Requests per second at the daily peak of a weekday on the first simulated day. */
  peakRequestsPerSecond: number;
  /** Requests per second one replica serves at full load. */
  replicaCapacityRequestsPerSecond: number;
  /** Compound daily traffic growth, e.g. 0.01 = +1 % per day. */
  growthPerDay: number;
  promptTokensPerRequest: number;
  generationTokensPerRequest: number;
}

/** Short-lived pods: interactive notebooks (held, mostly idle) and batch jobs (busy, minutes to hours). */
export interface EphemeralClassSpec {
  name: string;
  kind: 'notebook' | 'batch';
  namespace: string;
  arrivalsPerDay: number;
  meanDurationHours: number;
  request: GpuRequest;
}

export interface FleetSpec {
  seed: number;
  nodePools: NodePoolSpec[];
  training: TrainingClassSpec[];
  inference: InferenceDeploymentSpec[];
  ephemeral: EphemeralClassSpec[];
  /** A pod that waits longer than this is given up (as a person or a queue timeout would). */
  maxPendingHours: number;
}

export class FleetSpecError extends Error {}

function largestNode(spec: FleetSpec, models: GpuModelId[]): number {
  return Math.max(
    0,
    ...spec.nodePools.filter((p) => models.includes(p.model) && !p.migLayout).map((p) => p.gpusPerNode)
  );
}

function migInstancesPerNode(spec: FleetSpec, profile: string): number {
  const counts = spec.nodePools.map((p) => (p.migLayout ?? []).filter((m) => m === profile).length * p.gpusPerNode);
  return Math.max(0, ...counts);
}

/** Checks that a MIG layout fits one GPU of the model: known profiles, at most 7 compute and 8 memory slices. */
export function migLayoutProblem(model: GpuModelId, layout: string[]): string | undefined {
  const profiles = GPU_MODELS[model].migProfiles;
  if (layout.length === 0) {
    return 'MIG layout is empty: list at least one instance profile, or remove migLayout';
  }
  const unknown = layout.find((p) => !profiles[p]);
  if (unknown) {
    const known = Object.keys(profiles);
    return known.length === 0
      ? `${model} does not support MIG: remove migLayout`
      : `MIG profile "${unknown}" does not exist on ${model}; use one of ${known.join(', ')}`;
  }
  const compute = layout.reduce((s, p) => s + profiles[p].computeSlices, 0);
  const memory = layout.reduce((s, p) => s + profiles[p].memorySlices, 0);
  if (compute > MIG_COMPUTE_SLICES || memory > MIG_MEMORY_SLICES) {
    return `MIG layout ${layout.join('+')} needs ${compute}/7 compute and ${memory}/8 memory slices; a GPU has 7 and 8`;
  }
  return undefined;
}

/** Throws FleetSpecError listing every problem found, each with what to change. */
export function validateFleetSpec(spec: FleetSpec): void {
  const problems: string[] = [];
  if (!Number.isInteger(spec.seed)) {
    problems.push(`seed must be an integer (got ${spec.seed})`);
  }
  const nodes = spec.nodePools.reduce((s, p) => s + p.nodeCount, 0);
  const gpus = spec.nodePools.reduce((s, p) => s + p.nodeCount * p.gpusPerNode, 0);
  if (nodes === 0 || gpus === 0) {
    problems.push('the fleet has no GPU nodes: give at least one node pool with nodeCount >= 1 and gpusPerNode >= 1');
  }
  const prefixes = new Set<string>();
  for (const pool of spec.nodePools) {
    if (!GPU_MODELS[pool.model]) {
      problems.push(
        `node pool "${pool.namePrefix}": unknown GPU model "${pool.model}"; use ${Object.keys(GPU_MODELS).join(', ')}`
      );
      continue;
    }
    if (!Number.isInteger(pool.nodeCount) || pool.nodeCount < 0) {
      problems.push(`node pool "${pool.namePrefix}": nodeCount must be a whole number >= 0`);
    }
    if (!Number.isInteger(pool.gpusPerNode) || pool.gpusPerNode < 1 || pool.gpusPerNode > 16) {
      problems.push(`node pool "${pool.namePrefix}": gpusPerNode must be a whole number from 1 to 16`);
    }
    if (prefixes.has(pool.namePrefix)) {
      problems.push(`node pool name prefix "${pool.namePrefix}" is used twice; node names must be unique`);
    }
    prefixes.add(pool.namePrefix);
    if (pool.spot !== undefined && typeof pool.spot !== 'boolean') {
      problems.push(`node pool "${pool.namePrefix}": spot must be true or false (got ${JSON.stringify(pool.spot)})`);
    }
    if (pool.migLayout) {
      const problem = migLayoutProblem(pool.model, pool.migLayout);
      if (problem) {
        problems.push(`node pool "${pool.namePrefix}": ${problem}`);
      }
    }
  }
  for (const job of spec.training) {
    if (!(job.jobsPerDay >= 0) || !(job.meanDurationHours > 0)) {
      problems.push(`training "${job.name}": jobsPerDay must be >= 0 and meanDurationHours > 0`);
    }
    const biggest = largestNode(spec, job.gpuModels);
    for (const shape of job.shapes) {
      if (
        !Number.isInteger(shape.pods) ||
        shape.pods < 1 ||
        !Number.isInteger(shape.gpusPerPod) ||
        shape.gpusPerPod < 1
      ) {
        problems.push(`training "${job.name}": gang shapes need whole numbers pods >= 1 and gpusPerPod >= 1`);
      } else if (shape.gpusPerPod > biggest) {
        problems.push(
          `training "${job.name}": a gang pod asks for ${shape.gpusPerPod} GPUs but the largest ${job.gpuModels.join('/')} node ` +
            `without MIG has ${biggest}; split the gang into more pods of at most ${biggest} GPUs or add bigger nodes`
        );
      }
    }
  }
  for (const d of spec.inference) {
    if (d.gpusPerReplica > largestNode(spec, [d.gpuModel])) {
      problems.push(
        `inference "${d.name}": a replica needs ${d.gpusPerReplica} ${d.gpuModel} GPUs on one node, but no such node exists`
      );
    }
    if (d.minReplicas < 0 || d.maxReplicas < d.minReplicas || !(d.replicaCapacityRequestsPerSecond > 0)) {
      problems.push(
        `inference "${d.name}": need 0 <= minReplicas <= maxReplicas and replicaCapacityRequestsPerSecond > 0`
      );
    }
  }
  for (const e of spec.ephemeral) {
    const fits =
      e.request.kind === 'gpu'
        ? e.request.count <= largestNode(spec, e.request.gpuModels)
        : e.request.count <= migInstancesPerNode(spec, e.request.profile);
    if (!fits) {
      problems.push(
        `${e.kind} "${e.name}": its request of ${e.request.count} ${describeRequest(e.request)} fits on no node`
      );
    }
  }
  if (!(spec.maxPendingHours > 0)) {
    problems.push('maxPendingHours must be > 0');
  }
  if (problems.length > 0) {
    throw new FleetSpecError(`invalid fleet spec:\n  - ${problems.join('\n  - ')}`);
  }
}

function describeRequest(request: GpuRequest): string {
  return request.kind === 'gpu' ? `${request.gpuModels.join('/')} GPU(s)` : `MIG ${request.profile} instance(s)`;
}
