import type { FrameTexts } from '../frameTexts';
import { defragFrames, withContext } from './fragmentationFrames';
import { overTimeInstantCount, overTimeInstants, overTimePlan } from './fragmentationQuery';

const T = 1_700_000_000;

describe('withContext', () => {
  it('puts notices and the PromQL on the first frame only', () => {
    const frames = defragFrames({ requestLabel: '', source: '', requestGpus: 0, reason: 'x' }, 'A');
    const [first, second] = withContext(frames, {
      notices: ['No pod asked for GPUs.'],
      queries: [{ name: 'allocatable', expr: 'kube_node_status_allocatable' }],
    });
    expect(first.meta?.notices).toEqual([{ severity: 'info', text: 'No pod asked for GPUs.' }]);
    expect(first.meta?.executedQueryString).toBe('# allocatable\nkube_node_status_allocatable');
    expect(second.meta?.executedQueryString).toBeUndefined();
    // The plan's own notice stays on its frame.
    expect(second.meta?.notices).toEqual([{ severity: 'info', text: 'x' }]);
    // No codes given: the first frame's custom meta is left as it was.
    expect(first.meta?.custom).toEqual(frames[0].meta?.custom);
  });

  it('adds the codes of the notices Headroom words itself beside the first frame’s own texts', () => {
    const frames = defragFrames({ requestLabel: '', source: '', requestGpus: 0, reason: 'x' }, 'A');
    const text = 'No GPU node matches the node and GPU model filters.';
    const [first] = withContext(frames, {
      notices: ['a warning of the fleet state', text],
      noticeTexts: { [text]: { code: 'no-node-matches' } },
      queries: [],
    });
    expect(first.meta?.notices?.map((n) => n.text)).toEqual(['a warning of the fleet state', text]);
    expect(first.meta?.custom?.texts).toEqual({
      ...(frames[0].meta?.custom?.texts as object),
      notices: {
        ...(frames[0].meta?.custom?.texts as FrameTexts | undefined)?.notices,
        [text]: { code: 'no-node-matches' },
      },
    });
  });
});

describe('overTimeInstants', () => {
  it('spreads at most 60 instants over a day, ending at the end of the range', () => {
    const times = overTimeInstants((T - 86_400) * 1000, T * 1000);
    expect(times).toHaveLength(60);
    expect(times[59]).toBe(T);
    // ⌊86,400 / 59⌋ = 1,464 s apart, so 60 instants fit in the day.
    expect(times[1] - times[0]).toBe(1464);
  });

  it('keeps a minute between instants on a short range', () => {
    const times = overTimeInstants((T - 600) * 1000, T * 1000);
    expect(times).toEqual([T - 600, T - 540, T - 480, T - 420, T - 360, T - 300, T - 240, T - 180, T - 120, T - 60, T]);
  });

  it('spreads fewer instants when asked, still ending at the end of the range', () => {
    const times = overTimeInstants((T - 86_400) * 1000, T * 1000, 20);
    expect(times).toHaveLength(20);
    expect(times[19]).toBe(T);
    // ⌊86,400 / 19⌋ = 4,547 s apart.
    expect(times[1] - times[0]).toBe(4547);
  });
});

describe('overTimeInstantCount', () => {
  it('keeps 60 instants up to 200,000 GPU-instants, fewer past them, never under 12', () => {
    expect(overTimeInstantCount(0)).toBe(60);
    expect(overTimeInstantCount(28)).toBe(60);
    // ⌊200,000 / 3,333⌋ = 60; ⌊200,000 / 3,390⌋ = 58.
    expect(overTimeInstantCount(3_333)).toBe(60);
    expect(overTimeInstantCount(3_390)).toBe(58);
    expect(overTimeInstantCount(10_000)).toBe(20);
    // ⌊200,000 / 100,000⌋ = 2, raised to the floor of 12.
    expect(overTimeInstantCount(100_000)).toBe(12);
  });
});

describe('overTimePlan', () => {
  it('says when the size of the fleet cut the instants, against what the range alone gets', () => {
    const day = overTimePlan((T - 86_400) * 1000, T * 1000, 10_000);
    expect(day.instants).toHaveLength(20);
    expect(day.fewer).toEqual({
      text:
        'The fleet has 10,000 GPUs, so the state is read at 20 instants over the range instead of 60, to bound what ' +
        'one query answers.',
      code: { code: 'over-time-fewer-instants', gpus: 10_000, instants: 20, usualInstants: 60 },
    });
    // 30 minutes: a minute apart gives 31 instants; 20 at most gives ⌊1,800 / 94⌋ + 1 = 20.
    const halfHour = overTimePlan((T - 1_800) * 1000, T * 1000, 10_000);
    expect(halfHour.instants).toHaveLength(20);
    expect(halfHour.fewer?.code).toEqual({
      code: 'over-time-fewer-instants',
      gpus: 10_000,
      instants: 20,
      usualInstants: 31,
    });
  });

  it('says nothing when the range gets no more instants anyway, or the fleet is small', () => {
    // 10 minutes: 11 instants a minute apart, under the 20 a 10,000-GPU fleet may read.
    expect(overTimePlan((T - 600) * 1000, T * 1000, 10_000)).toEqual({
      instants: overTimeInstants((T - 600) * 1000, T * 1000),
    });
    expect(overTimePlan((T - 86_400) * 1000, T * 1000, 28).fewer).toBeUndefined();
  });
});
