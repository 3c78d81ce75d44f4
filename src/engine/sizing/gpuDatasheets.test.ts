/** @jest-environment node */
import { MAX_SM_CLOCK_MHZ, PUBLISHED_GPU_PRICES } from '../efficiency';
import { SizingInputError } from './errors';
import { dtypesOf, GPU_DATASHEETS, gpuDatasheet, peakDenseFlops } from './gpuDatasheets';

describe('gpuDatasheet', () => {
  it('finds a row by id, DCGM modelName or alias, in any letter case', () => {
    expect(gpuDatasheet('A100-80GB').id).toBe('A100-80GB');
    expect(gpuDatasheet('NVIDIA A100-SXM4-80GB').id).toBe('A100-80GB');
    expect(gpuDatasheet(' h100-sxm ').id).toBe('H100-80GB');
    expect(gpuDatasheet('nvidia h200').id).toBe('H200');
  });

  it('names the known models when the name is unknown', () => {
    expect(() => gpuDatasheet('V100')).toThrow(
      new SizingInputError(
        'gpuModel',
        'Unknown GPU model "V100"; known: A100-40GB, A100-80GB, H100-80GB, H100-PCIe, H200, B200, L40S, L4, A10G ' +
          '(or their DCGM modelName, e.g. "NVIDIA A100-SXM4-80GB").'
      )
    );
  });

  it('knows every GPU model the price and clock tables of engine/efficiency name', () => {
    for (const name of [...Object.keys(MAX_SM_CLOCK_MHZ), ...PUBLISHED_GPU_PRICES.map((p) => p.gpuModel)]) {
      expect(gpuDatasheet(name).dcgmModelNames).toContain(name);
    }
  });

  it('names are unique across rows, so a name never means two GPUs', () => {
    const names = GPU_DATASHEETS.flatMap((r) => [r.id, ...r.dcgmModelNames, ...r.aliases].map((n) => n.toLowerCase()));
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('peakDenseFlops', () => {
  it.each([
    // A100 datasheet: BF16 Tensor Core 312 TFLOPS dense (624 with sparsity), TF32 156, FP32 19.5.
    ['A100-80GB', 'bf16', 312e12],
    ['A100-40GB', 'tf32', 156e12],
    ['A100-80GB', 'fp32', 19.5e12],
    // H100 SXM datasheet prints 1,979 TFLOPS BF16 and 3,958 FP8 "with sparsity"; dense is half.
    ['H100-80GB', 'bf16', 989.5e12],
    ['H100-80GB', 'fp8', 1979e12],
    // H100 PCIe: 1,513 BF16 with sparsity.
    ['H100-PCIe', 'bf16', 756.5e12],
    // L40S datasheet prints the dense figure itself: BF16 362.05, FP8 733.
    ['L40S', 'bf16', 362.05e12],
    ['L40S', 'fp8', 733e12],
    // L4: 242 BF16 with sparsity.
    ['L4', 'BF16', 121e12],
    // HGX B200, one GPU: 4.5 PFLOPS FP16/BF16 with sparsity.
    ['B200', 'fp16', 2.25e15],
    ['H200', 'fp8', 1979e12],
  ])('%s %s is %p FLOP/s', (gpu, dtype, expected) => {
    expect(peakDenseFlops(gpuDatasheet(gpu), dtype)).toBe(expected);
  });

  it('says an A100 has no fp8 peak and lists what it has', () => {
    expect(() => peakDenseFlops(gpuDatasheet('A100-80GB'), 'fp8')).toThrow(
      new SizingInputError(
        'dtype',
        'A100-80GB has no fp8 peak in its datasheet (NVIDIA A100 Tensor Core GPU datasheet); it has fp32, tf32, bf16, fp16.'
      )
    );
  });

  it('says why the A10G has no peak at all', () => {
    expect(dtypesOf(gpuDatasheet('A10G'))).toEqual([]);
    expect(() => peakDenseFlops(gpuDatasheet('A10G'), 'bf16')).toThrow(/NVIDIA publishes no datasheet for the A10G/);
  });

  it('refuses an unknown data type, listing the known ones', () => {
    expect(() => peakDenseFlops(gpuDatasheet('H100-80GB'), 'int4')).toThrow(
      'Unknown data type "int4"; use one of fp32, tf32, bf16, fp16, fp8.'
    );
  });
});
