/** @jest-environment node */
import { createCatalog } from './catalog';

describe('createCatalog', () => {
  it('uses the default names unless overridden', () => {
    const catalog = createCatalog({ DCGM_FI_DEV_GPU_UTIL: 'recorded:gpu_util', Hostname: 'node' });
    expect(catalog.name('DCGM_FI_DEV_GPU_UTIL')).toBe('recorded:gpu_util');
    expect(catalog.name('DCGM_FI_PROF_GR_ENGINE_ACTIVE')).toBe('DCGM_FI_PROF_GR_ENGINE_ACTIVE');
    expect(catalog.name('Hostname')).toBe('node');
  });

  it('proves a histogram exists by its _count series', () => {
    const catalog = createCatalog({ 'vllm:time_to_first_token_seconds': 'ttft_seconds' });
    expect(catalog.seriesName('vllm:time_to_first_token_seconds')).toBe('ttft_seconds_count');
    expect(catalog.seriesName('vllm:num_requests_waiting')).toBe('vllm:num_requests_waiting');
  });

  it('rejects unknown keys and names that are not Prometheus names', () => {
    expect(() => createCatalog({ DCGM_FI_DEV_GPU_UTILISATION: 'x' })).toThrow(
      /Unknown metric catalog entry "DCGM_FI_DEV_GPU_UTILISATION": overrides are keyed by default name, one of DCGM_FI_DEV_GPU_UTIL,/
    );
    expect(() => createCatalog({ DCGM_FI_DEV_GPU_UTIL: 'up or vector(1)' })).toThrow(
      /not a valid Prometheus metric name/
    );
    expect(() => createCatalog({ modelName: 'model-name' })).toThrow(/not a valid Prometheus label name/);
  });
});
