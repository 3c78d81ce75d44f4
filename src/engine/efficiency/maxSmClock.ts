/**
 * Maximum (boost) SM clock in MHz by DCGM `modelName`, from NVIDIA's datasheets: the clock at which tensor-pipe
 * activity reaches the peak FLOP rate, so the denominator of the DCGM MFU estimate. A model missing here falls back
 * to the highest clock observed, which reads high when the GPU never boosted.
 */
export const MAX_SM_CLOCK_MHZ: Readonly<Record<string, number>> = {
  'NVIDIA H100 80GB HBM3': 1980,
  'NVIDIA H200': 1980,
  'NVIDIA A100-SXM4-80GB': 1410,
  'NVIDIA A100-SXM4-40GB': 1410,
  'NVIDIA L4': 2040,
};
