import { createTheme, FieldType, formattedValueToString, getDisplayProcessor, type Field } from '@grafana/data';
import {
  defragFrames,
  formatMigInstances,
  gridFrame,
  jobsFitFrame,
  parseMigInstances,
  summaryFrame,
} from './fragmentationFrames';

const T = 1_700_000_000;

describe('summaryFrame', () => {
  const frame = summaryFrame(
    {
      freeGpus: 4,
      fragmentedGpus: 2.3,
      fragmentedShareOfFree: 0.575,
      fullyFreeGpus: 3,
      nodesWithFullyFreeAtLeast: { 1: 2, 2: 1, 4: 0, 8: 0 },
      largestWholeGpuGangOnOneNode: 2,
      migInstancesFree: 0,
      pendingGpuPods: 1,
    },
    T,
    'A'
  );
  const byName = (name: string) => frame.fields.find((f) => f.name === name)!;

  it('puts a unit on every number: GPUs, a share of free, nodes, pods', () => {
    for (const field of frame.fields.filter((f) => f.type === FieldType.number)) {
      expect(field.config.unit).toBeTruthy();
    }
    expect(byName('Fragmented share of free').config.unit).toBe('percentunit');
    expect(byName('Fragmented share of free').values).toEqual([0.575]);
    expect(byName('Nodes with ≥ 2 fully free').config.unit).toBe('suffix: nodes');
    expect(byName('Nodes with ≥ 2 fully free').values).toEqual([1]);
    expect(byName('Time').values).toEqual([T * 1000]);
  });

  it('shows a missing fragmentation as no value rather than 0', () => {
    const without = summaryFrame(
      {
        ...{ freeGpus: 1, fullyFreeGpus: 1, largestWholeGpuGangOnOneNode: 1, migInstancesFree: 0, pendingGpuPods: 0 },
        nodesWithFullyFreeAtLeast: { 1: 1, 2: 0, 4: 0, 8: 0 },
      },
      T,
      'A'
    );
    expect(without.fields.find((f) => f.name === 'Fragmented GPUs')!.values).toEqual([null]);
  });
});

describe('MIG instances as text', () => {
  it('round-trips profiles with their pods, time-sliced pods and free instances', () => {
    const instances = [
      { profile: '3g.40gb', holders: ['team-b/mig-1'] },
      { profile: '1g.10gb', holders: ['a/x', 'b/y'] },
      { profile: '1g.10gb', holders: [] },
    ];
    const text = formatMigInstances(instances);
    expect(text).toBe('3g.40gb team-b/mig-1, 1g.10gb a/x+b/y, 1g.10gb free');
    expect(parseMigInstances(text)).toEqual(instances);
    expect(parseMigInstances('')).toEqual([]);
  });
});

describe('gridFrame', () => {
  it('writes MIG as the state, pods as unknown where kube-state-metrics and DCGM disagree', () => {
    const frame = gridFrame(
      [
        { node: 'n', gpuModel: 'A100', gpu: 0, state: 'allocated', freeMilli: 0, pods: [], placementKnown: false },
        {
          node: 'n',
          gpuModel: 'A100',
          gpu: 1,
          state: 'mig',
          freeMilli: 143,
          pods: ['a/x'],
          migInstances: [{ profile: '1g.10gb', holders: ['a/x'] }],
          placementKnown: true,
        },
      ],
      'A'
    );
    const values = (name: string) => frame.fields.find((f) => f.name === name)!.values;
    expect(values('State')).toEqual(['allocated', 'MIG']);
    expect(values('Pods')[0]).toMatch(/unknown/);
    expect(values('MIG instances')).toEqual(['', '1g.10gb a/x']);
    expect(frame.fields.find((f) => f.name === 'Free')!.config.unit).toBe('suffix: milli');
  });
});

describe('jobsFitFrame', () => {
  const frame = jobsFitFrame(
    [
      {
        job: '8 GPUs',
        kind: 'gang',
        gpusPerPod: 8,
        gpuShare: 1,
        cpuCores: 0,
        fitNow: 0,
        gpuModel: 'any',
        blockedBy: 'no node has 8 free GPUs together',
      },
      {
        job: 'm1: 12.5 % GPU, 2 cores',
        kind: 'learnt',
        gpusPerPod: 1,
        gpuShare: 0.125,
        cpuCores: 2,
        popularity: 0.4,
        fitNow: 3,
        unusableGpus: 0.25,
        gpuModel: 'any',
      },
      {
        job: 'm2: MIG 1g',
        kind: 'learnt',
        gpusPerPod: 1,
        gpuShare: 1 / 7,
        cpuCores: 1,
        popularity: 0.1,
        fitNow: 1,
        unusableGpus: 0,
        gpuModel: 'NVIDIA A100',
      },
    ],
    'A'
  );
  const field = (name: string) => frame.fields.find((f) => f.name === name)!;
  /** What Grafana's table shows in a cell: its own display processor on the field's config. */
  const shown = (f: Field, i: number) =>
    formattedValueToString(getDisplayProcessor({ field: f, theme: createTheme() })(f.values[i]));

  it('shows the share of each GPU to 0.1 %: 1/8 of a GPU is 12.5 %, a 1/7 MIG slice 14.3 %, a whole GPU 100 %', () => {
    const share = field('Share of each GPU');
    expect([0, 1, 2].map((i) => shown(share, i))).toEqual(['100.0%', '12.5%', '14.3%']);
  });

  it('puts why none fits next to the count it explains, wrapped so the sentence is readable', () => {
    const names = frame.fields.map((f) => f.name);
    expect(names.indexOf('Why none fits')).toBe(names.indexOf('Fit now') + 1);
    expect(field('Why none fits')).toMatchObject({
      type: FieldType.string,
      values: ['no node has 8 free GPUs together', '', ''],
      config: { custom: { wrapText: true } },
    });
  });
});

describe('frame texts', () => {
  it('carries, beside the English cells, the learnt job types and reasons as codes, one per row', () => {
    const learnt = { code: 'learnt-job', id: 'm1', gpuCount: 1, gpuPercent: 100, cpuCores: 2, gpuSpec: '' } as const;
    const blocked = { code: 'no-gpu-model' as const, gpuModels: ['B200'] };
    const row = { kind: 'learnt', gpusPerPod: 1, gpuShare: 1, cpuCores: 2, fitNow: 0, gpuModel: 'B200' } as const;
    const frame = jobsFitFrame(
      [
        { ...row, job: '1-GPU job', kind: 'gang' },
        { ...row, job: 'm1: 1 GPU, 2 cores', learnt, blocked, blockedBy: 'no node has GPU model B200' },
      ],
      'A'
    );
    expect(frame.meta?.custom?.texts).toEqual({
      cells: { Job: [null, learnt], 'Why none fits': [null, blocked] },
    });
    expect(frame.fields.find((f) => f.name === 'Job')!.values).toEqual(['1-GPU job', 'm1: 1 GPU, 2 cores']);
  });

  it('carries the code of a defragmentation notice it words itself, and none for the planner’s own message', () => {
    const [, summary] = defragFrames(
      {
        requestLabel: '',
        source: '',
        requestGpus: 0,
        reason: 'No node in view has whole GPUs to rearrange.',
        reasonCode: { code: 'defrag-no-whole-gpu-nodes' },
      },
      'A'
    );
    expect(summary.meta?.custom?.texts).toEqual({
      notices: { 'No node in view has whole GPUs to rearrange.': { code: 'defrag-no-whole-gpu-nodes' } },
      cells: { 'Makes room for': [null] },
    });
    const [, planner] = defragFrames({ requestLabel: '', source: '', requestGpus: 0, reason: 'Planner said.' }, 'A');
    expect(planner.meta?.custom?.texts).toEqual({ notices: {}, cells: { 'Makes room for': [null] } });
  });
});

describe('defragFrames', () => {
  it('says why there is no plan in the summary row, with empty moves', () => {
    const [moves, summary] = defragFrames(
      { requestLabel: '', source: '', requestGpus: 0, reason: 'Nothing pending.' },
      'A'
    );
    expect(moves.length).toBe(0);
    expect(summary.fields.find((f) => f.name === 'On node')!.values).toEqual(['no plan']);
    expect(summary.meta?.notices).toEqual([{ severity: 'info', text: 'Nothing pending.' }]);
  });
});
