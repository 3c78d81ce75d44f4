/**
 * Peak dense FLOP/s per data type and memory of the GPU models the sizing planner knows, from NVIDIA's datasheets.
 *
 * Dense, not sparse: datasheets from Hopper on print the 2:4 structured-sparsity figure and footnote that the dense one
 * is half of it; training and ordinary inference run dense matmuls, so the tables below hold the halved figure where
 * the datasheet prints the sparse one. FP32 is the non-tensor rate, which has no sparse variant.
 *
 * Keys are the simulator's GPU model ids (src/simulator/gpuCatalog.ts: `A100-80GB`, `H100-80GB`, ...) where it has
 * the model, and `dcgmModelNames` are DCGM's `modelName` labels, the keys of engine/efficiency's price and clock
 * tables, so a GPU model read from the fleet's metrics finds its row.
 *
 * Memory is the datasheet's "GB" read as 10⁹ bytes: the conservative reading (an A100 80GB reports 81920 MiB, an L4
 * 24GB 23034 MiB, both at least the decimal figure), so a fit computed from it holds on the real GPU.
 */
import { SizingInputError } from './errors';

export const DTYPES = ['fp32', 'tf32', 'bf16', 'fp16', 'fp8'] as const;
export type Dtype = (typeof DTYPES)[number];

export interface GpuDatasheet {
  id: string;
  /** Other names people and tools use for the same GPU: DCGM `modelName` labels first, then short spellings. */
  dcgmModelNames: readonly string[];
  aliases: readonly string[];
  memoryBytes: number;
  /** Peak dense FLOP/s by data type; a data type the datasheet gives no figure for is absent. */
  peakDenseFlops: Readonly<Partial<Record<Dtype, number>>>;
  /** The datasheet the numbers come from. */
  source: { title: string; url: string };
  /** What the row lacks, in words, shown with the numbers. */
  note?: string;
}

const TERA = 1e12;
const GB = 1e9;

const A100_SOURCE = {
  title: 'NVIDIA A100 Tensor Core GPU datasheet',
  url: 'https://www.nvidia.com/content/dam/en-zz/Solutions/Data-Center/a100/pdf/nvidia-a100-datasheet-us-nvidia-1758950-r4-web.pdf',
};
// FP32 19.5 TFLOPS; TF32 156 | 312* ; BF16 312 | 624* ; FP16 312 | 624* (* with sparsity). No FP8 on Ampere.
const A100_PEAKS = { fp32: 19.5 * TERA, tf32: 156 * TERA, bf16: 312 * TERA, fp16: 312 * TERA };

const H100_SOURCE = {
  title: 'NVIDIA H100 Tensor Core GPU datasheet (SXM and PCIe columns)',
  url: 'https://resources.nvidia.com/en-us-tensor-core/nvidia-tensor-core-gpu-datasheet',
};

export const GPU_DATASHEETS: readonly GpuDatasheet[] = [
  {
    id: 'A100-40GB',
    dcgmModelNames: ['NVIDIA A100-SXM4-40GB', 'NVIDIA A100-PCIE-40GB'],
    aliases: [],
    memoryBytes: 40 * GB,
    peakDenseFlops: A100_PEAKS,
    source: A100_SOURCE,
  },
  {
    id: 'A100-80GB',
    dcgmModelNames: ['NVIDIA A100-SXM4-80GB', 'NVIDIA A100 80GB PCIe'],
    aliases: [],
    memoryBytes: 80 * GB,
    peakDenseFlops: A100_PEAKS,
    source: A100_SOURCE,
  },
  {
    // SXM: FP32 67 TFLOPS; TF32 989* ; BF16 1,979* ; FP16 1,979* ; FP8 3,958* (* with sparsity: dense is half).
    id: 'H100-80GB',
    dcgmModelNames: ['NVIDIA H100 80GB HBM3'],
    aliases: ['H100-SXM'],
    memoryBytes: 80 * GB,
    peakDenseFlops: { fp32: 67 * TERA, tf32: 494.5 * TERA, bf16: 989.5 * TERA, fp16: 989.5 * TERA, fp8: 1979 * TERA },
    source: H100_SOURCE,
  },
  {
    // PCIe: FP32 51 TFLOPS; TF32 756* ; BF16 1,513* ; FP16 1,513* ; FP8 3,026* (* with sparsity: dense is half).
    id: 'H100-PCIe',
    dcgmModelNames: ['NVIDIA H100 PCIe'],
    aliases: [],
    memoryBytes: 80 * GB,
    peakDenseFlops: { fp32: 51 * TERA, tf32: 378 * TERA, bf16: 756.5 * TERA, fp16: 756.5 * TERA, fp8: 1513 * TERA },
    source: H100_SOURCE,
  },
  {
    // H200 SXM: FP32 67 TFLOPS; TF32 989* ; BF16 1,979* ; FP16 1,979* ; FP8 3,958* ; 141 GB HBM3e.
    id: 'H200',
    dcgmModelNames: ['NVIDIA H200'],
    aliases: ['H200-SXM'],
    memoryBytes: 141 * GB,
    peakDenseFlops: { fp32: 67 * TERA, tf32: 494.5 * TERA, bf16: 989.5 * TERA, fp16: 989.5 * TERA, fp8: 1979 * TERA },
    source: {
      title: 'NVIDIA H200 Tensor Core GPU datasheet',
      url: 'https://nvdam.widen.net/s/nb5zzzsjdf/hpc-datasheet-sc23-h200-datasheet-3002446',
    },
  },
  {
    // HGX B200, one GPU: FP32 75 TFLOPS; TF32 2.2 P* ; FP16/BF16 4.5 P* ; FP8 9 P* ; 180 GB HBM3e.
    id: 'B200',
    dcgmModelNames: ['NVIDIA B200'],
    aliases: [],
    memoryBytes: 180 * GB,
    peakDenseFlops: { fp32: 75 * TERA, tf32: 1100 * TERA, bf16: 2250 * TERA, fp16: 2250 * TERA, fp8: 4500 * TERA },
    source: {
      title: 'NVIDIA HGX platform specifications, HGX B200 column (per GPU)',
      url: 'https://www.nvidia.com/en-us/data-center/hgx/',
    },
  },
  {
    // FP32 91.6 TFLOPS; TF32 183 | 366* ; BF16 362.05 | 733* ; FP16 362.05 | 733* ; FP8 733 | 1,466* ; 48 GB GDDR6.
    id: 'L40S',
    dcgmModelNames: ['NVIDIA L40S'],
    aliases: [],
    memoryBytes: 48 * GB,
    peakDenseFlops: { fp32: 91.6 * TERA, tf32: 183 * TERA, bf16: 362.05 * TERA, fp16: 362.05 * TERA, fp8: 733 * TERA },
    source: {
      title: 'NVIDIA L40S GPU datasheet',
      url: 'https://resources.nvidia.com/en-us-l40s/l40s-datasheet-28413',
    },
  },
  {
    // FP32 30.3 TFLOPS; TF32 120* ; BF16 242* ; FP16 242* ; FP8 485* (* with sparsity: dense is half); 24 GB GDDR6.
    id: 'L4',
    dcgmModelNames: ['NVIDIA L4'],
    aliases: [],
    memoryBytes: 24 * GB,
    peakDenseFlops: { fp32: 30.3 * TERA, tf32: 60 * TERA, bf16: 121 * TERA, fp16: 121 * TERA, fp8: 242.5 * TERA },
    source: {
      title: 'NVIDIA L4 Tensor Core GPU datasheet',
      url: 'https://resources.nvidia.com/en-us-data-center-overview/l4-gpu-datasheet',
    },
  },
  {
    id: 'A10G',
    dcgmModelNames: ['NVIDIA A10G'],
    aliases: [],
    memoryBytes: 24 * GB,
    peakDenseFlops: {},
    source: {
      title: 'Amazon EC2 G5 instances (NVIDIA A10G Tensor Core GPUs, 24 GB each)',
      url: 'https://aws.amazon.com/ec2/instance-types/g5/',
    },
    note:
      'NVIDIA publishes no datasheet for the A10G (the variant of the A10 in AWS G5 instances, with other tensor rates), so it has ' +
      'no peak FLOP/s here; give the peak FLOP/s you trust instead',
  },
];

const normalise = (name: string) => name.trim().toLowerCase();

/**
 * The datasheet row a GPU model name refers to: its id, a DCGM `modelName` or an alias, any letter case. An unknown
 * name is a `SizingInputError` that lists the known ids.
 */
export function gpuDatasheet(name: string): GpuDatasheet {
  const wanted = normalise(name);
  const row = GPU_DATASHEETS.find((r) =>
    [r.id, ...r.dcgmModelNames, ...r.aliases].some((n) => normalise(n) === wanted)
  );
  if (!row) {
    throw new SizingInputError(
      'gpuModel',
      `Unknown GPU model "${name}"; known: ${GPU_DATASHEETS.map((r) => r.id).join(', ')} ` +
        '(or their DCGM modelName, e.g. "NVIDIA A100-SXM4-80GB").'
    );
  }
  return row;
}

/** The data types a row has a peak for, in the order of `DTYPES`. */
export function dtypesOf(row: GpuDatasheet): Dtype[] {
  return DTYPES.filter((dtype) => row.peakDenseFlops[dtype] !== undefined);
}

/**
 * One GPU's peak dense FLOP/s for a data type. An unknown data type, or one the GPU's datasheet gives no figure for
 * (FP8 on an A100, which has no FP8 tensor cores), is a `SizingInputError` that names the ones it has.
 */
export function peakDenseFlops(row: GpuDatasheet, dtype: string): number {
  const known = DTYPES.find((d) => d === normalise(dtype));
  if (!known) {
    throw new SizingInputError('dtype', `Unknown data type "${dtype}"; use one of ${DTYPES.join(', ')}.`);
  }
  const peak = row.peakDenseFlops[known];
  if (peak === undefined) {
    const has = dtypesOf(row);
    throw new SizingInputError(
      'dtype',
      `${row.id} has no ${known} peak in its datasheet (${row.source.title})` +
        (has.length > 0 ? `; it has ${has.join(', ')}.` : `: ${row.note ?? 'it lists no peak FLOP/s'}.`)
    );
  }
  return peak;
}
