import { OVERRIDE_GROUPS, overrideError, withOverride } from './metricOverrides';

describe('withOverride', () => {
  it('sets a trimmed override and removes it when cleared', () => {
    const set = withOverride({}, 'DCGM_FI_DEV_GPU_UTIL', '  gpu_util:recorded ');
    expect(set).toEqual({ DCGM_FI_DEV_GPU_UTIL: 'gpu_util:recorded' });

    expect(withOverride(set, 'DCGM_FI_DEV_GPU_UTIL', ' ')).toEqual({});
  });

  it('leaves the given overrides untouched', () => {
    const original = { Hostname: 'node' };
    withOverride(original, 'modelName', 'gpu_model');
    expect(original).toEqual({ Hostname: 'node' });
  });
});

describe('overrideError', () => {
  it('accepts empty values and valid names', () => {
    expect(overrideError('DCGM_FI_DEV_GPU_UTIL', undefined)).toBeUndefined();
    expect(overrideError('DCGM_FI_DEV_GPU_UTIL', 'job:gpu_util:avg')).toBeUndefined();
    expect(overrideError('Hostname', 'node')).toBeUndefined();
  });

  it('explains why a metric or label name is invalid', () => {
    expect(overrideError('DCGM_FI_DEV_GPU_UTIL', 'gpu-util')).toMatch(
      /"gpu-util" is not a valid Prometheus metric name/
    );
    // A colon is fine in metric names but not in label names.
    expect(overrideError('modelName', 'gpu:model')).toMatch(/"gpu:model" is not a valid Prometheus label name/);
  });

  it('does not judge the resource name, which Kubernetes, not PromQL, defines', () => {
    expect(overrideError('nvidia_com_gpu', 'nvidia.com/gpu')).toBeUndefined();
  });
});

describe('OVERRIDE_GROUPS', () => {
  it('lists every name once', () => {
    const names = OVERRIDE_GROUPS.flatMap((group) => group.names);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain('kube_pod_container_resource_requests');
    expect(names).toContain('nvidia_com_gpu');
  });
});
