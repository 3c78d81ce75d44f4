import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';
import { FieldType, createDataFrame } from '@grafana/data';
import { panelPropsForTest } from '../shared/panelPropsForTest';
import { FragmentationPanel } from './FragmentationPanel';
import { plugin } from './module';
import {
  defragFrames,
  gridFrame,
  jobsFitFrame,
  type GridRow,
} from '../../datasource/fragmentation/fragmentationFrames';

const row = (node: string, gpu: number, state: GridRow['state'], extra: Partial<GridRow> = {}): GridRow => ({
  node,
  gpuModel: 'NVIDIA A100-SXM4-80GB',
  gpu,
  state,
  freeMilli: state === 'free' ? 1000 : 0,
  pods: [],
  placementKnown: true,
  ...extra,
});

const GRID = gridFrame(
  [
    row('n1', 0, 'free'),
    row('n1', 1, 'allocated', { pods: ['ml/train-1'] }),
    row('n1', 2, 'shared', { pods: ['ml/a', 'ml/b'] }),
    row('n2', 0, 'mig', {
      freeMilli: 143,
      pods: ['ml/x'],
      migInstances: [
        { profile: '3g.40gb', holders: ['ml/x'] },
        { profile: '1g.10gb', holders: [] },
      ],
    }),
  ],
  'A'
);
const JOBS = jobsFitFrame(
  [1, 2, 4, 8].map((k) => ({
    job: `${k}-GPU job`,
    kind: 'gang' as const,
    gpusPerPod: k,
    gpuShare: 1,
    cpuCores: 0,
    fitNow: k === 1 ? 1 : 0,
    gpuModel: 'any',
  })),
  'B'
);

describe('FragmentationPanel', () => {
  it('is what Grafana renders from the module', () => {
    // Grafana imports module.js and renders plugin.panel with the query's frames.
    const Panel = plugin.panel!;
    render(<Panel {...panelPropsForTest([])} />);

    expect(screen.getByTestId('headroom-fragmentation-panel-empty')).toHaveTextContent(
      'Add a Headroom query of type Fragmentation'
    );
  });

  it('without data, says which Headroom query fills it', () => {
    render(<FragmentationPanel {...panelPropsForTest([])} />);

    expect(screen.getByTestId('headroom-fragmentation-panel-empty')).toHaveTextContent(
      'Add a Headroom query of type Fragmentation'
    );
  });

  it('with data it was not made for, says what it received instead of drawing it', () => {
    const inventory = createDataFrame({
      fields: [
        { name: 'Time', type: FieldType.time, values: [1, 2] },
        { name: 'Capacity', type: FieldType.number, values: [64, 64] },
      ],
    });

    render(<FragmentationPanel {...panelPropsForTest([inventory])} />);

    expect(screen.getByTestId('headroom-fragmentation-panel-unrecognised')).toHaveTextContent(
      'cannot draw the data it received (1 data frame with fields Time, Capacity)'
    );
  });

  it('draws one cell per GPU, coloured by state, with the jobs that fit and a legend with counts', () => {
    render(<FragmentationPanel {...panelPropsForTest([GRID, JOBS])} />);

    const cells = screen.getAllByTestId('headroom-gpu-cell');
    expect(cells.map((c) => c.getAttribute('data-state'))).toEqual(['free', 'allocated', 'shared', 'mig']);
    expect(screen.getAllByTestId('headroom-jobs-fit-item').map((e) => e.textContent)).toEqual([
      '1-GPU job 1',
      '2-GPU job 0',
      '4-GPU job 0',
      '8-GPU job 0',
    ]);
    // One of each whole-GPU state; the MIG GPU has one instance in use and one free.
    expect(screen.getByTestId('headroom-grid-legend')).toHaveTextContent(
      'Free 1Allocated 1Shared (time-sliced or partly free) 1MIG instance in use 1MIG instance free 1'
    );
  });

  it('shows node, GPU, model, pods and free share of a hovered GPU, and the instances of a MIG GPU', () => {
    render(<FragmentationPanel {...panelPropsForTest([GRID])} />);
    const [, allocated, , mig] = screen.getAllByTestId('headroom-gpu-cell');

    fireEvent.mouseEnter(allocated);
    expect(screen.getByTestId('headroom-gpu-tooltip')).toHaveTextContent(
      'n1 · GPU 1ModelNVIDIA A100-SXM4-80GBStateallocatedFree0 milli (0 % of the GPU)Podsml/train-1'
    );
    fireEvent.mouseLeave(allocated);
    expect(screen.queryByTestId('headroom-gpu-tooltip')).not.toBeInTheDocument();

    fireEvent.mouseEnter(mig);
    expect(screen.getByTestId('headroom-gpu-tooltip')).toHaveTextContent('Instances3g.40gb: ml/x1g.10gb: free');
  });

  it('lays 1,000 GPUs out compactly, nodes side by side without a name column', () => {
    const rows = Array.from({ length: 1000 }, (_, i) => row(`node-${Math.floor(i / 8)}`, i % 8, 'free'));
    render(<FragmentationPanel {...panelPropsForTest([gridFrame(rows, 'A')])} />);

    expect(screen.getAllByTestId('headroom-gpu-cell')).toHaveLength(1000);
    expect(screen.queryByText('node-0')).not.toBeInTheDocument();
  });

  it('says so when no GPU node is in view', () => {
    render(<FragmentationPanel {...panelPropsForTest([gridFrame([], 'A')])} />);

    expect(screen.getByTestId('headroom-fragmentation-panel-no-gpus')).toHaveTextContent('No GPU node in view');
  });

  it('shows the query error instead of an empty grid', () => {
    const props = panelPropsForTest([]);
    props.data.errors = [{ message: 'No GPU node in kube-state-metrics between …' }];
    render(<FragmentationPanel {...props} />);

    expect(screen.getByTestId('headroom-fragmentation-panel-error')).toHaveTextContent(
      'No GPU node in kube-state-metrics'
    );
  });

  it('is not fooled by other fragmentation frames without the grid', () => {
    render(
      <FragmentationPanel {...panelPropsForTest(defragFrames({ requestLabel: '', source: '', requestGpus: 0 }, 'A'))} />
    );

    expect(screen.getByTestId('headroom-fragmentation-panel-unrecognised')).toBeInTheDocument();
  });
});
