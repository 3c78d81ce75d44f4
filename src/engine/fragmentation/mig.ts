import { FragmentationInputError } from './errors';

/**
 * MIG placement rules used here, from NVIDIA's MIG user guide (`nvidia-smi mig -lgipp`) for A100 and H100: a GPU has
 * 8 memory slices (positions 0–7) and 7 compute slices; each GPU-instance profile occupies `size` consecutive memory
 * slices and may start only at the listed positions. A100-40GB, A100-80GB, H100-80GB (and H100-94GB, H200-141GB with
 * their own memory sizes) share the same geometry, so one table serves them with the profile names of each model:
 *   1g (1/8 memory):  starts 0,1,2,3,4,5,6  size 1
 *   1g (2/8 memory):  starts 0,2,4,6        size 2
 *   2g:               starts 0,2,4          size 2
 *   3g:               starts 0,4            size 4
 *   4g:               start 0               size 4
 *   7g:               start 0               size 8
 * Position 7 is reachable only by the 2/8-memory 1g at 6, the 3g at 4 and the 7g: that is how slices get stranded.
 */
interface ProfileShape {
  starts: readonly number[];
  size: number;
}

const SLICES_PER_GPU = 8;

const SHAPES: Record<string, ProfileShape> = {
  '1g.small': { starts: [0, 1, 2, 3, 4, 5, 6], size: 1 },
  '1g.large': { starts: [0, 2, 4, 6], size: 2 },
  '2g': { starts: [0, 2, 4], size: 2 },
  '3g': { starts: [0, 4], size: 4 },
  '4g': { starts: [0], size: 4 },
  '7g': { starts: [0], size: 8 },
};

/** Profile names per model, mapped to their shape. */
const PROFILES: Record<string, Record<string, ProfileShape>> = {
  'A100-40GB': {
    '1g.5gb': SHAPES['1g.small'],
    '1g.10gb': SHAPES['1g.large'],
    '2g.10gb': SHAPES['2g'],
    '3g.20gb': SHAPES['3g'],
    '4g.20gb': SHAPES['4g'],
    '7g.40gb': SHAPES['7g'],
  },
  'A100-80GB': {
    '1g.10gb': SHAPES['1g.small'],
    '1g.20gb': SHAPES['1g.large'],
    '2g.20gb': SHAPES['2g'],
    '3g.40gb': SHAPES['3g'],
    '4g.40gb': SHAPES['4g'],
    '7g.80gb': SHAPES['7g'],
  },
  'H100-80GB': {
    '1g.10gb': SHAPES['1g.small'],
    '1g.20gb': SHAPES['1g.large'],
    '2g.20gb': SHAPES['2g'],
    '3g.40gb': SHAPES['3g'],
    '4g.40gb': SHAPES['4g'],
    '7g.80gb': SHAPES['7g'],
  },
};

export const MIG_MODELS = Object.keys(PROFILES);

export interface MigInstance {
  profile: string;
  /** The memory-slice position it starts at, as `nvidia-smi mig -lgi` reports the placement. */
  start: number;
}

export interface MigGpu {
  /** One of MIG_MODELS. */
  gpuModel: string;
  instances: MigInstance[];
}

export interface MigReport {
  /** Free memory slices (of 8 per GPU) over all GPUs. */
  freeSlices: number;
  /** Free slices that no profile can use: every placement covering them overlaps an existing instance. */
  strandedSlices: number;
  /** Per profile name: how many more instances of that profile alone fit, summed over GPUs. */
  placeableByProfile: Record<string, number>;
}

function profilesOf(gpu: MigGpu, field: string): Record<string, ProfileShape> {
  if (!Object.hasOwn(PROFILES, gpu.gpuModel)) {
    throw new FragmentationInputError(
      field,
      `GPU model "${gpu.gpuModel}" has no MIG placement table here; supported: ${MIG_MODELS.join(', ')}.`
    );
  }
  return PROFILES[gpu.gpuModel];
}

function shapeOf(gpu: MigGpu, g: number, profile: string, field: string): ProfileShape {
  const profiles = profilesOf(gpu, `gpus[${g}].gpuModel`);
  if (!Object.hasOwn(profiles, profile)) {
    throw new FragmentationInputError(
      field,
      `${gpu.gpuModel} has no MIG profile "${profile}"; its profiles are ${Object.keys(profiles).join(', ')}.`
    );
  }
  return profiles[profile];
}

/** Which memory slices each GPU's existing instances occupy; rejects placements the hardware would refuse. */
function occupiedSlices(gpu: MigGpu, g: number): boolean[] {
  const used = new Array<boolean>(SLICES_PER_GPU).fill(false);
  gpu.instances.forEach((instance, i) => {
    const field = `gpus[${g}].instances[${i}]`;
    const shape = shapeOf(gpu, g, instance.profile, `${field}.profile`);
    if (!shape.starts.includes(instance.start)) {
      throw new FragmentationInputError(
        `${field}.start`,
        `${instance.profile} cannot start at slice ${instance.start} on ${gpu.gpuModel}; valid starts are ` +
          `${shape.starts.join(', ')}.`
      );
    }
    for (let s = instance.start; s < instance.start + shape.size; s++) {
      if (used[s]) {
        throw new FragmentationInputError(
          field,
          `GPU ${g}: ${instance.profile} at ${instance.start} overlaps another instance on slice ${s}.`
        );
      }
      used[s] = true;
    }
  });
  return used;
}

/** MIG fragmentation: free slices, slices no profile can use, and how many of each profile still fit. */
export function analyseMig(gpus: readonly MigGpu[]): MigReport {
  const placeableByProfile: Record<string, number> = {};
  let freeSlices = 0;
  let strandedSlices = 0;
  gpus.forEach((gpu, g) => {
    const used = occupiedSlices(gpu, g);
    const usable = new Array<boolean>(SLICES_PER_GPU).fill(false);
    for (const [profile, shape] of Object.entries(profilesOf(gpu, `gpus[${g}].gpuModel`))) {
      // Placements of one profile never overlap each other (starts are multiples of the size), so the count of
      // free placements is how many instances of it fit together.
      let fits = 0;
      for (const start of shape.starts) {
        const slices = Array.from({ length: shape.size }, (_, s) => start + s);
        if (slices.every((s) => !used[s])) {
          fits++;
          slices.forEach((s) => (usable[s] = true));
        }
      }
      placeableByProfile[profile] = (placeableByProfile[profile] ?? 0) + fits;
    }
    for (let s = 0; s < SLICES_PER_GPU; s++) {
      if (!used[s]) {
        freeSlices++;
        if (!usable[s]) {
          strandedSlices++;
        }
      }
    }
  });
  return { freeSlices, strandedSlices, placeableByProfile };
}
