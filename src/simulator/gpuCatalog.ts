/**
 * The GPU models the simulator knows, with the numbers DCGM would report for them.
 * Memory in MiB as DCGM reports framebuffer; MIG profiles as `nvidia-smi mig -lgip` names them.
 */
export type GpuModelId = 'H100-80GB' | 'A100-80GB' | 'A100-40GB' | 'L4';

export interface MigProfile {
  /** Compute slices out of 7. */
  computeSlices: number;
  /** Memory slices out of 8. */
  memorySlices: number;
  memoryMiB: number;
}

export interface GpuModel {
  id: GpuModelId;
  /** DCGM `modelName` label. */
  modelName: string;
  /** Value of the node label `nvidia.com/gpu.product` set by GPU feature discovery. */
  productLabel: string;
  memoryMiB: number;
  idlePowerWatts: number;
  maxPowerWatts: number;
  idleSmClockMHz: number;
  maxSmClockMHz: number;
  migProfiles: Record<string, MigProfile>;
}

/** A GPU has 7 compute slices and 8 memory slices in MIG mode (A100 and H100). */
export const MIG_COMPUTE_SLICES = 7;
export const MIG_MEMORY_SLICES = 8;

export const GPU_MODELS: Record<GpuModelId, GpuModel> = {
  'H100-80GB': {
    id: 'H100-80GB',
    modelName: 'NVIDIA H100 80GB HBM3',
    productLabel: 'NVIDIA-H100-80GB-HBM3',
    memoryMiB: 81559,
    idlePowerWatts: 70,
    maxPowerWatts: 700,
    idleSmClockMHz: 345,
    maxSmClockMHz: 1980,
    migProfiles: {
      '1g.10gb': { computeSlices: 1, memorySlices: 1, memoryMiB: 9856 },
      '2g.20gb': { computeSlices: 2, memorySlices: 2, memoryMiB: 20096 },
      '3g.40gb': { computeSlices: 3, memorySlices: 4, memoryMiB: 40320 },
      '7g.80gb': { computeSlices: 7, memorySlices: 8, memoryMiB: 80768 },
    },
  },
  'A100-80GB': {
    id: 'A100-80GB',
    modelName: 'NVIDIA A100-SXM4-80GB',
    productLabel: 'NVIDIA-A100-SXM4-80GB',
    memoryMiB: 81920,
    idlePowerWatts: 60,
    maxPowerWatts: 400,
    idleSmClockMHz: 210,
    maxSmClockMHz: 1410,
    migProfiles: {
      '1g.10gb': { computeSlices: 1, memorySlices: 1, memoryMiB: 9728 },
      '2g.20gb': { computeSlices: 2, memorySlices: 2, memoryMiB: 19968 },
      '3g.40gb': { computeSlices: 3, memorySlices: 4, memoryMiB: 40192 },
      '7g.80gb': { computeSlices: 7, memorySlices: 8, memoryMiB: 80896 },
    },
  },
  'A100-40GB': {
    id: 'A100-40GB',
    modelName: 'NVIDIA A100-SXM4-40GB',
    productLabel: 'NVIDIA-A100-SXM4-40GB',
    memoryMiB: 40960,
    idlePowerWatts: 55,
    maxPowerWatts: 400,
    idleSmClockMHz: 210,
    maxSmClockMHz: 1410,
    migProfiles: {
      '1g.5gb': { computeSlices: 1, memorySlices: 1, memoryMiB: 4864 },
      '2g.10gb': { computeSlices: 2, memorySlices: 2, memoryMiB: 9856 },
      '3g.20gb': { computeSlices: 3, memorySlices: 4, memoryMiB: 19968 },
      '7g.40gb': { computeSlices: 7, memorySlices: 8, memoryMiB: 40192 },
    },
  },
  L4: {
    id: 'L4',
    modelName: 'NVIDIA L4',
    productLabel: 'NVIDIA-L4',
    memoryMiB: 23034,
    idlePowerWatts: 16,
    maxPowerWatts: 72,
    idleSmClockMHz: 210,
    maxSmClockMHz: 2040,
    migProfiles: {},
  },
};

/** kube-state-metrics renders the device-plugin resource `nvidia.com/mig-1g.10gb` as `nvidia_com_mig_1g_10gb`. */
export function migResourceName(profile: string): string {
  return `nvidia_com_mig_${profile.replace(/\./g, '_')}`;
}

export const WHOLE_GPU_RESOURCE = 'nvidia_com_gpu';
