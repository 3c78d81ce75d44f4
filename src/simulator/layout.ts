/**
 * Expands a spec's node pools into concrete nodes, physical GPUs and allocatable "slots":
 * a slot is what one pod can hold, a whole GPU or one MIG instance.
 */
import { FleetSpec } from './fleetSpec';
import { GPU_MODELS, GpuModelId, MIG_COMPUTE_SLICES, WHOLE_GPU_RESOURCE, migResourceName } from './gpuCatalog';
import { createRng } from './prng';

export interface NodeInfo {
  index: number;
  name: string;
  model: GpuModelId;
  cpuCores: number;
  gpuCount: number;
  mig: boolean;
  /** Labelled as spot capacity (`NodePoolSpec.spot`). */
  spot: boolean;
  /** Slots of this node are slots[firstSlot .. firstSlot + slotCount). */
  firstSlot: number;
  slotCount: number;
}

export interface PhysicalGpu {
  node: number;
  /** Index on the node: DCGM `gpu` label, device `nvidia<gpu>`. */
  gpu: number;
  uuid: string;
  pciBusId: string;
  slots: number[];
}

export interface SlotInfo {
  index: number;
  node: number;
  physicalGpu: number;
  /** kube-state-metrics resource name this slot is counted under. */
  resource: string;
  migProfile?: string;
  gpuInstanceId?: number;
  memoryMiB: number;
  /** Share of the physical GPU's compute this slot owns (1 for a whole GPU, slices/7 for MIG). */
  computeShare: number;
}

export interface FleetLayout {
  nodes: NodeInfo[];
  gpus: PhysicalGpu[];
  slots: SlotInfo[];
}

/** PCI bus numbers of the eight GPUs on an HGX baseboard, as `nvidia-smi` lists them. */
const PCI_BUSES = ['18', '2A', '3A', '5D', '9A', 'AB', 'BA', 'DB', '1B', '2B', '3B', '5E', '9B', 'AC', 'BB', 'DC'];

function uuidFrom(rng: () => number): string {
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(rng() * 16).toString(16)).join('');
  return `GPU-${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`;
}

export function buildLayout(spec: FleetSpec): FleetLayout {
  const rng = createRng(spec.seed ^ 0x5eed1a70);
  const nodes: NodeInfo[] = [];
  const gpus: PhysicalGpu[] = [];
  const slots: SlotInfo[] = [];
  for (const pool of spec.nodePools) {
    const model = GPU_MODELS[pool.model];
    for (let n = 0; n < pool.nodeCount; n++) {
      const node: NodeInfo = {
        index: nodes.length,
        name: `${pool.namePrefix}-${String(n + 1).padStart(2, '0')}`,
        model: pool.model,
        cpuCores: pool.cpuCores,
        gpuCount: pool.gpusPerNode,
        mig: Boolean(pool.migLayout),
        spot: Boolean(pool.spot),
        firstSlot: slots.length,
        slotCount: 0,
      };
      nodes.push(node);
      for (let g = 0; g < pool.gpusPerNode; g++) {
        const gpu: PhysicalGpu = {
          node: node.index,
          gpu: g,
          uuid: uuidFrom(rng.next),
          pciBusId: `00000000:${PCI_BUSES[g]}:00.0`,
          slots: [],
        };
        const layout = pool.migLayout ?? [undefined];
        layout.forEach((profile, i) => {
          const mig = profile ? model.migProfiles[profile] : undefined;
          gpu.slots.push(slots.length);
          slots.push({
            index: slots.length,
            node: node.index,
            physicalGpu: gpus.length,
            resource: profile ? migResourceName(profile) : WHOLE_GPU_RESOURCE,
            migProfile: profile,
            gpuInstanceId: profile ? i + 1 : undefined,
            memoryMiB: mig ? mig.memoryMiB : model.memoryMiB,
            computeShare: mig ? mig.computeSlices / MIG_COMPUTE_SLICES : 1,
          });
        });
        gpus.push(gpu);
      }
      node.slotCount = slots.length - node.firstSlot;
    }
  }
  return { nodes, gpus, slots };
}
