import { FieldType, type DataFrame } from '@grafana/data';

import type { InventoryResult } from '../prometheus/types';
import { GPUS_UNIT, inventoryFrames } from './inventoryFrames';

/** Two samples, one minute apart; the second fleet capacity sample is missing (NaN). */
function sampleResult(): InventoryResult {
  return {
    timestampsSeconds: [1_700_000_000, 1_700_000_060],
    stepSeconds: 60,
    fleet: {
      capacityGpus: [16, NaN],
      allocatedGpus: [10, 12],
      busyGpus: [6.5, 7],
      freeGpus: [6, NaN],
    },
    byModel: [
      { gpuModel: 'NVIDIA A100-SXM4-80GB', capacityGpus: [8, 8], allocatedGpus: [6, 8], busyGpus: [4, 5] },
      { gpuModel: 'NVIDIA H100 80GB HBM3', allocatedGpus: [4, 4], busyGpus: [2.5, 2] },
    ],
    byNamespace: [{ namespace: 'team-a', allocatedGpus: [3, 3], busyGpus: [1, Infinity] }],
    nodes: [
      { node: 'gpu-node-1', gpuModel: 'NVIDIA A100-SXM4-80GB', capacityGpus: 8, allocatedGpus: 6, busyGpus: 4 },
      { node: 'gpu-node-2', gpuModel: 'NVIDIA H100 80GB HBM3', capacityGpus: 8, allocatedGpus: NaN, busyGpus: 2 },
    ],
    busySource: 'DCGM_FI_PROF_GR_ENGINE_ACTIVE',
    warnings: ['DCGM profiling fields are off: busy GPUs come from DCGM_FI_DEV_GPU_UTIL'],
    warningCodes: [null],
    queries: [
      { name: 'capacity.fleet', kind: 'range', expr: 'sum(kube_node_status_allocatable{resource="nvidia_com_gpu"})' },
      { name: 'busy.byNode', kind: 'instant', expr: 'sum by (Hostname) (DCGM_FI_PROF_GR_ENGINE_ACTIVE)' },
    ],
  };
}

function field(frame: DataFrame, name: string) {
  const found = frame.fields.find((candidate) => candidate.name === name);
  if (!found) {
    throw new Error(`no field ${name} in frame ${frame.name}`);
  }
  return found;
}

describe('inventoryFrames', () => {
  it('fleet: one frame with Time in milliseconds and four GPU counts, missing samples as gaps', () => {
    const frames = inventoryFrames(sampleResult(), 'fleet', { refId: 'A' });

    expect(frames).toHaveLength(1);
    const [frame] = frames;
    expect(frame.name).toBe('Fleet');
    expect(frame.refId).toBe('A');
    expect(frame.fields.map((f) => f.name)).toEqual(['Time', 'Capacity', 'Allocated', 'Busy', 'Free']);
    expect(field(frame, 'Time').type).toBe(FieldType.time);
    expect(field(frame, 'Time').values).toEqual([1_700_000_000_000, 1_700_000_060_000]);
    expect(field(frame, 'Capacity').values).toEqual([16, null]);
    expect(field(frame, 'Allocated').values).toEqual([10, 12]);
    expect(field(frame, 'Busy').values).toEqual([6.5, 7]);
    expect(field(frame, 'Free').values).toEqual([6, null]);
    for (const name of ['Capacity', 'Allocated', 'Busy', 'Free']) {
      expect(field(frame, name).type).toBe(FieldType.number);
      expect(field(frame, name).config).toEqual({ unit: GPUS_UNIT, displayName: name });
    }
    expect(frame.meta?.type).toBe('timeseries-wide');
    expect(frame.meta?.notices).toEqual([
      { severity: 'warning', text: 'DCGM profiling fields are off: busy GPUs come from DCGM_FI_DEV_GPU_UTIL' },
    ]);
  });

  it('byModel: one frame per model named after it, labelled gpu_model, gaps when capacity is unknown', () => {
    const frames = inventoryFrames(sampleResult(), 'byModel', { refId: 'B' });

    expect(frames.map((f) => f.name)).toEqual(['NVIDIA A100-SXM4-80GB', 'NVIDIA H100 80GB HBM3']);
    const [a100, h100] = frames;
    expect(a100.fields.map((f) => f.name)).toEqual(['Time', 'Capacity', 'Allocated', 'Busy']);
    expect(field(a100, 'Capacity').labels).toEqual({ gpu_model: 'NVIDIA A100-SXM4-80GB' });
    expect(field(a100, 'Allocated').values).toEqual([6, 8]);
    expect(field(a100, 'Busy').config.unit).toBe(GPUS_UNIT);
    expect(field(h100, 'Capacity').values).toEqual([null, null]);
    expect(field(h100, 'Busy').values).toEqual([2.5, 2]);
    expect(field(h100, 'Busy').labels).toEqual({ gpu_model: 'NVIDIA H100 80GB HBM3' });
    // The warning and the executed PromQL are listed once, on the first frame.
    expect(a100.meta?.notices).toHaveLength(1);
    expect(h100.meta?.notices).toBeUndefined();
    expect(h100.meta?.executedQueryString).toBeUndefined();
  });

  it('byNamespace: Allocated and Busy per namespace, infinite values as gaps', () => {
    const [frame] = inventoryFrames(sampleResult(), 'byNamespace', { refId: 'C' });

    expect(frame.name).toBe('team-a');
    expect(frame.fields.map((f) => f.name)).toEqual(['Time', 'Allocated', 'Busy']);
    expect(field(frame, 'Allocated').labels).toEqual({ namespace: 'team-a' });
    expect(field(frame, 'Busy').values).toEqual([1, null]);
  });

  it('nodes: one table without a time field, Free = capacity − allocated', () => {
    const frames = inventoryFrames(sampleResult(), 'nodes', { refId: 'D' });

    expect(frames).toHaveLength(1);
    const [frame] = frames;
    expect(frame.fields.map((f) => f.name)).toEqual(['Node', 'GPU model', 'Capacity', 'Allocated', 'Busy', 'Free']);
    expect(field(frame, 'Node').type).toBe(FieldType.string);
    expect(field(frame, 'Node').values).toEqual(['gpu-node-1', 'gpu-node-2']);
    expect(field(frame, 'GPU model').values).toEqual(['NVIDIA A100-SXM4-80GB', 'NVIDIA H100 80GB HBM3']);
    expect(field(frame, 'Capacity').values).toEqual([8, 8]);
    expect(field(frame, 'Allocated').values).toEqual([6, null]);
    // 8 − 6 = 2; the second node's allocation is unknown, so is its free count.
    expect(field(frame, 'Free').values).toEqual([2, null]);
    expect(frame.meta?.preferredVisualisationType).toBe('table');
    expect(frame.meta?.type).toBeUndefined();
  });

  it("shows every executed expression, named and with its kind, in the query inspector's text", () => {
    const [frame] = inventoryFrames(sampleResult(), 'fleet', { refId: 'A' });

    expect(frame.meta?.executedQueryString).toBe(
      '# capacity.fleet (range)\nsum(kube_node_status_allocatable{resource="nvidia_com_gpu"})\n\n' +
        '# busy.byNode (instant)\nsum by (Hostname) (DCGM_FI_PROF_GR_ENGINE_ACTIVE)'
    );
  });

  it('keeps the warnings on an empty frame when a view has no group', () => {
    const result = { ...sampleResult(), byNamespace: [], warnings: ['kube-state-metrics GPU requests missing'] };

    const frames = inventoryFrames(result, 'byNamespace', { refId: 'E' });

    expect(frames).toHaveLength(1);
    expect(frames[0].fields).toHaveLength(0);
    expect(frames[0].refId).toBe('E');
    expect(frames[0].meta?.notices).toEqual([{ severity: 'warning', text: 'kube-state-metrics GPU requests missing' }]);
  });

  it("carries the code of each warning Headroom words itself beside its English, not of Prometheus' own", () => {
    const profilingOff = 'Busy GPUs come from DCGM_FI_DEV_GPU_UTIL / 100 because DCGM profiling fields are off';
    const result = {
      ...sampleResult(),
      warnings: [profilingOff, 'PromQL info: metric might not be a counter'],
      warningCodes: [{ code: 'inventory-dcgm-profiling-off' as const, metric: 'DCGM_FI_DEV_GPU_UTIL' }, null],
    };

    const [frame] = inventoryFrames(result, 'fleet', { refId: 'A' });

    expect(frame.meta?.notices).toEqual([
      { severity: 'warning', text: profilingOff },
      { severity: 'warning', text: 'PromQL info: metric might not be a counter' },
    ]);
    expect(frame.meta?.custom?.texts).toEqual({
      notices: { [profilingOff]: { code: 'inventory-dcgm-profiling-off', metric: 'DCGM_FI_DEV_GPU_UTIL' } },
    });
  });
});
