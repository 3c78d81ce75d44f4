/**
 * A realistic mixed fleet of about `gpuCount` GPUs: H100 and A100 training nodes, an A100 node pool in MIG mode,
 * A100-40GB research nodes and L4 inference nodes, with workload rates sized so the fleet runs around 70 % allocated.
 */
import { FleetSpec, FleetSpecError, GangShape, NodePoolSpec } from './fleetSpec';
import { GpuModelId } from './gpuCatalog';

interface PoolTemplate {
  namePrefix: string;
  model: GpuModelId;
  gpusPerNode: number;
  cpuCores: number;
  migLayout?: string[];
}

const H100: PoolTemplate = { namePrefix: 'gpu-h100', model: 'H100-80GB', gpusPerNode: 8, cpuCores: 192 };
const L4: PoolTemplate = { namePrefix: 'gpu-l4', model: 'L4', gpusPerNode: 4, cpuCores: 48 };
const A100_MIG: PoolTemplate = {
  namePrefix: 'gpu-a100-mig',
  model: 'A100-80GB',
  gpusPerNode: 4,
  cpuCores: 64,
  migLayout: ['3g.40gb', '2g.20gb', '1g.10gb', '1g.10gb'],
};
const A100_40: PoolTemplate = { namePrefix: 'gpu-a100-40g', model: 'A100-40GB', gpusPerNode: 4, cpuCores: 64 };
const A100: PoolTemplate = { namePrefix: 'gpu-a100', model: 'A100-80GB', gpusPerNode: 8, cpuCores: 128 };

/** Order in which nodes are added: small fleets still get every model and a MIG node. */
const NODE_CYCLE = [H100, L4, A100_MIG, A100_40, H100, A100, L4, H100];

/** Share of each pool's capacity the workloads aim to keep allocated on average. */
const TARGET_ALLOCATION = 0.7;

/** Below this many GPUs the node cycle cannot give a fleet near the request (its first node alone holds 8 GPUs). */
export const SMALL_FLEET_GPUS = 10;

/**
 * Fleets under SMALL_FLEET_GPUS hold exactly the GPUs asked: 1–4 GPUs are one L4 node (inference and notebooks,
 * no training), 5–8 an H100 node of 4 plus an L4 node with the rest, 9 an H100 node of 8 plus one L4.
 */
function smallFleetPools(gpuCount: number): NodePoolSpec[] {
  const h100PerNode = gpuCount <= 4 ? 0 : gpuCount < 9 ? 4 : 8;
  const pools: NodePoolSpec[] = [];
  if (h100PerNode > 0) {
    pools.push({ ...H100, gpusPerNode: h100PerNode, nodeCount: 1 });
  }
  pools.push({ ...L4, gpusPerNode: gpuCount - h100PerNode, nodeCount: 1 });
  return pools;
}

function buildPools(gpuCount: number): NodePoolSpec[] {
  if (gpuCount < SMALL_FLEET_GPUS) {
    return smallFleetPools(gpuCount);
  }
  const counts = new Map<PoolTemplate, number>();
  let total = 0;
  for (let i = 0; ; i++) {
    const next = NODE_CYCLE[i % NODE_CYCLE.length];
    // Stop at the node count whose GPU total is nearest the request.
    if (total > 0 && total + next.gpusPerNode / 2 > gpuCount) {
      break;
    }
    counts.set(next, (counts.get(next) ?? 0) + 1);
    total += next.gpusPerNode;
  }
  return [...counts.entries()].map(([t, nodeCount]) => ({ ...t, nodeCount }));
}

function gpusOf(pools: NodePoolSpec[], template: PoolTemplate): number {
  const pool = pools.find((p) => p.namePrefix === template.namePrefix);
  return pool ? pool.nodeCount * pool.gpusPerNode : 0;
}

function meanGangGpus(shapes: GangShape[]): number {
  const weight = shapes.reduce((s, x) => s + x.weight, 0);
  return shapes.reduce((s, x) => s + x.weight * x.pods * x.gpusPerPod, 0) / weight;
}

/** Jobs per day that keep `gpus` GPUs allocated at `share` on average (Little's law). */
function jobsPerDayFor(gpus: number, share: number, shapes: GangShape[], meanDurationHours: number): number {
  return (gpus * share * 24) / (meanGangGpus(shapes) * meanDurationHours);
}

export function defaultFleetSpec(options: { gpuCount?: number; seed?: number } = {}): FleetSpec {
  const gpuCount = options.gpuCount ?? 64;
  const seed = options.seed ?? 1;
  if (!Number.isInteger(gpuCount) || gpuCount < 1) {
    throw new FleetSpecError(`gpuCount must be a whole number >= 1 (got ${gpuCount}); try 64`);
  }
  const pools = buildPools(gpuCount);
  const h100Gpus = gpusOf(pools, H100);
  const a100Gpus = gpusOf(pools, A100);
  const a10040Gpus = gpusOf(pools, A100_40);
  const l4Gpus = gpusOf(pools, L4);
  const migGpus = gpusOf(pools, A100_MIG);
  const trainingPools = pools.filter((p) => p.namePrefix === H100.namePrefix || p.namePrefix === A100.namePrefix);
  const eightGpuNodes = trainingPools.filter((p) => p.gpusPerNode === 8).reduce((s, p) => s + p.nodeCount, 0);
  const largestTrainingNode = Math.max(0, ...trainingPools.map((p) => p.gpusPerNode));

  const llmShapes: GangShape[] = [
    { pods: 1, gpusPerPod: 1, weight: 3 },
    { pods: 1, gpusPerPod: 2, weight: 2 },
    { pods: 1, gpusPerPod: 4, weight: 2 },
    { pods: 1, gpusPerPod: 8, weight: 2 },
    // Multi-node gangs only where two 8-GPU nodes exist, otherwise they could never start.
    ...(eightGpuNodes >= 2 ? [{ pods: 2, gpusPerPod: 8, weight: 1 }] : []),
    // Small fleets: only the gangs their training node can hold.
  ].filter((shape) => shape.gpusPerPod <= largestTrainingNode);
  const researchShapes: GangShape[] = [
    { pods: 1, gpusPerPod: 1, weight: 4 },
    { pods: 1, gpusPerPod: 2, weight: 2 },
    { pods: 1, gpusPerPod: 4, weight: 1 },
  ];
  // The 70B service takes up to a quarter of the H100s at peak; training gets the rest.
  const llmReplicaMax = Math.max(1, Math.floor(h100Gpus / 4 / 2));
  const l4ReplicaMax = Math.max(1, Math.floor(l4Gpus * 0.6));
  const llmTrainingGpus = h100Gpus * 0.85 + a100Gpus;

  return {
    seed,
    nodePools: pools,
    maxPendingHours: 4,
    training: [
      // Small fleets without an H100 or A100 node have no training.
      ...(largestTrainingNode > 0
        ? [
            {
              name: 'llm-pretrain',
              namespace: 'team-llm',
              gpuModels: ['H100-80GB', 'A100-80GB'] as GpuModelId[],
              shapes: llmShapes,
              meanDurationHours: 14,
              jobsPerDay: jobsPerDayFor(llmTrainingGpus, TARGET_ALLOCATION, llmShapes, 14),
            },
          ]
        : []),
      ...(a10040Gpus > 0
        ? [
            {
              name: 'vision',
              namespace: 'team-vision',
              gpuModels: ['A100-40GB'] as GpuModelId[],
              shapes: researchShapes,
              meanDurationHours: 5,
              jobsPerDay: jobsPerDayFor(a10040Gpus, TARGET_ALLOCATION, researchShapes, 5),
            },
          ]
        : []),
    ],
    inference: [
      // Two H100s per replica: left out of a fleet with fewer.
      ...(h100Gpus >= 2
        ? [
            {
              name: 'llama-70b',
              namespace: 'inference',
              servedModel: 'meta-llama/Llama-3.1-70B-Instruct',
              gpuModel: 'H100-80GB' as GpuModelId,
              gpusPerReplica: 2,
              minReplicas: 1,
              maxReplicas: llmReplicaMax,
              replicaCapacityRequestsPerSecond: 6,
              peakRequestsPerSecond: llmReplicaMax * 6 * 0.6,
              growthPerDay: 0.01,
              promptTokensPerRequest: 1200,
              generationTokensPerRequest: 250,
            },
          ]
        : []),
      {
        name: 'mistral-7b',
        namespace: 'inference',
        servedModel: 'mistralai/Mistral-7B-Instruct-v0.3',
        gpuModel: 'L4',
        gpusPerReplica: 1,
        minReplicas: 1,
        maxReplicas: l4ReplicaMax,
        replicaCapacityRequestsPerSecond: 4,
        peakRequestsPerSecond: l4ReplicaMax * 4 * 0.6,
        growthPerDay: 0.02,
        promptTokensPerRequest: 600,
        generationTokensPerRequest: 180,
      },
    ],
    ephemeral: [
      {
        name: 'jupyter',
        kind: 'notebook',
        namespace: 'notebooks',
        arrivalsPerDay: (l4Gpus * 0.3 * 24) / 6,
        meanDurationHours: 6,
        request: { kind: 'gpu', count: 1, gpuModels: ['L4'] },
      },
      ...(migGpus > 0
        ? [
            {
              name: 'jupyter-mig',
              kind: 'notebook' as const,
              namespace: 'notebooks',
              arrivalsPerDay: (migGpus * 2 * 24 * TARGET_ALLOCATION) / 8,
              meanDurationHours: 8,
              request: { kind: 'mig' as const, count: 1, profile: '1g.10gb' },
            },
            {
              name: 'batch-eval',
              kind: 'batch' as const,
              namespace: 'batch',
              arrivalsPerDay: (migGpus * 24 * TARGET_ALLOCATION) / 1.5,
              meanDurationHours: 1.5,
              request: { kind: 'mig' as const, count: 1, profile: '3g.40gb' },
            },
            {
              name: 'batch-embed',
              kind: 'batch' as const,
              namespace: 'batch',
              arrivalsPerDay: (migGpus * 24 * TARGET_ALLOCATION) / 1,
              meanDurationHours: 1,
              request: { kind: 'mig' as const, count: 1, profile: '2g.20gb' },
            },
          ]
        : []),
    ],
  };
}
