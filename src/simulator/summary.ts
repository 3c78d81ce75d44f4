/**
 * Ground truth about a simulated fleet at one tick, for tests and people to compare with what
 * PromQL over the emitted metrics returns.
 */
import { GPU_MODELS, WHOLE_GPU_RESOURCE } from './gpuCatalog';
import { activityAt } from './signals';
import { FleetSimulation, TICK_SECONDS } from './simulation';
import { FREE } from './scheduler';

export interface NodeSummary {
  name: string;
  modelName: string;
  gpuCount: number;
  mig: boolean;
}

export interface FleetStateSummary {
  timeSeconds: number;
  /** Whole GPUs held by running pods (resource nvidia_com_gpu). */
  allocatedGpus: number;
  allocatedGpusByNamespace: Record<string, number>;
  allocatedGpusByModel: Record<string, number>;
  /** MIG instances held by running pods, by kube resource name. */
  allocatedMigInstances: Record<string, number>;
  /** GPUs held by running pods counting each MIG instance as its share of a GPU (a 3g instance is 3/7). */
  allocatedGpuEquivalents: number;
  /** Σ DCGM_FI_PROF_GR_ENGINE_ACTIVE over every series (whole GPUs and MIG instances), as PromQL `sum()` gives it. */
  grEngineActiveSum: number;
  /** Busy GPU-equivalents: GR_ENGINE_ACTIVE weighted by each slot's share of its GPU (a MIG 3g instance counts 3/7). */
  busyGpuEquivalents: number;
  busyGpuEquivalentsByModel: Record<string, number>;
  busyGpuEquivalentsByNamespace: Record<string, number>;
  runningPods: number;
  pendingPods: number;
}

export interface FleetSummary {
  totalGpus: number;
  /** Σ kube_node_status_allocatable{resource="nvidia_com_gpu"}: GPUs not in MIG mode. */
  allocatableWholeGpus: number;
  migInstancesAllocatable: Record<string, number>;
  gpusByModel: Record<string, number>;
  nodes: NodeSummary[];
}

const add = (record: Record<string, number>, key: string, amount: number) => {
  record[key] = (record[key] ?? 0) + amount;
};

export function summarizeFleet(sim: FleetSimulation): FleetSummary {
  const gpusByModel: Record<string, number> = {};
  const migInstancesAllocatable: Record<string, number> = {};
  const nodes = sim.layout.nodes.map((n) => {
    add(gpusByModel, GPU_MODELS[n.model].modelName, n.gpuCount);
    return { name: n.name, modelName: GPU_MODELS[n.model].modelName, gpuCount: n.gpuCount, mig: n.mig };
  });
  let allocatableWholeGpus = 0;
  for (const slot of sim.layout.slots) {
    if (slot.resource === WHOLE_GPU_RESOURCE) {
      allocatableWholeGpus++;
    } else {
      add(migInstancesAllocatable, slot.resource, 1);
    }
  }
  return { totalGpus: sim.layout.gpus.length, allocatableWholeGpus, migInstancesAllocatable, gpusByModel, nodes };
}

/** State during the simulation's current tick, with activity sampled at `seconds` (inside that tick). */
export function summarizeState(sim: FleetSimulation, seconds: number): FleetStateSummary {
  const s: FleetStateSummary = {
    timeSeconds: seconds,
    allocatedGpus: 0,
    allocatedGpusByNamespace: {},
    allocatedGpusByModel: {},
    allocatedMigInstances: {},
    allocatedGpuEquivalents: 0,
    grEngineActiveSum: 0,
    busyGpuEquivalents: 0,
    busyGpuEquivalentsByModel: {},
    busyGpuEquivalentsByNamespace: {},
    runningPods: 0,
    pendingPods: 0,
  };
  for (const slot of sim.layout.slots) {
    const podId = sim.holder[slot.index];
    if (podId === FREE) {
      continue;
    }
    const pod = sim.pods[podId];
    const modelName = GPU_MODELS[sim.layout.nodes[slot.node].model].modelName;
    if (slot.resource === WHOLE_GPU_RESOURCE) {
      s.allocatedGpus++;
      add(s.allocatedGpusByNamespace, pod.namespace, 1);
      add(s.allocatedGpusByModel, modelName, 1);
    } else {
      add(s.allocatedMigInstances, slot.resource, 1);
    }
    s.allocatedGpuEquivalents += slot.computeShare;
    // Rounded as the exposition rounds, so sums match PromQL exactly enough to compare.
    const activity = Math.round(activityAt(sim, pod, seconds) * 10000) / 10000;
    s.grEngineActiveSum += activity;
    s.busyGpuEquivalents += activity * slot.computeShare;
    add(s.busyGpuEquivalentsByModel, modelName, activity * slot.computeShare);
    add(s.busyGpuEquivalentsByNamespace, pod.namespace, activity * slot.computeShare);
  }
  const tick = Math.floor(seconds / TICK_SECONDS);
  for (const pod of sim.pods) {
    if (pod.createdTick <= tick && pod.endTick > tick) {
      if (pod.startTick >= 0 && pod.startTick <= tick) {
        s.runningPods++;
      } else {
        s.pendingPods++;
      }
    }
  }
  return s;
}
