/**
 * The frames of the `efficiency` query, so any panel can show them: the waste summary and table, MFU per pod and its
 * distribution, the month's burn against the budget, and where kube-state-metrics and DCGM disagree, as plain values
 * shared by the browser data source and the backend. Frame and field names are the contract the Efficiency panel and
 * page read (EFFICIENCY_FRAMES, WASTE_FIELDS).
 */
import { mfuHistogram, type BurnSeries, type WasteGroup, type WasteReport } from '../../engine/efficiency';
import type { SpotInterruptionRate } from '../../engine/capacity';
import type { Disagreement } from '../../prometheus/fleetState';
import { splitNotices, type CodedNotice, type FrameText } from '../frameTexts';
import type { Frame, FrameField, FrameNotice } from '../types';
import type { PodMfu } from './efficiencyTask';
import type { WasteGroupBy } from './runEfficiencyQuery';

export const EFFICIENCY_FRAMES = {
  wasteSummary: 'Waste summary',
  waste: 'Waste',
  mfu: 'MFU by pod',
  mfuDistribution: 'MFU distribution',
  burn: 'Burn',
  budget: 'Budget',
  disagreements: 'Disagreements',
  spot: 'Spot interruptions',
} as const;

export const SPOT_FIELDS = { sharePerDay: 'Spot GPUs interrupted per day' } as const;
/** What the spot stat shows when kube-state-metrics has no node with a spot capacity-type label in the range. */
export const NO_SPOT_NODES = 'no spot nodes found';

export const WASTE_FIELDS = {
  allocated: 'Allocated GPU-h',
  busy: 'Busy GPU-h',
  idle: 'Idle GPU-h',
  meanActivity: 'Mean activity',
  allocatedCost: 'Allocated $',
  wastedCost: 'Wasted $',
  flags: 'Flags',
} as const;

export const GPU_HOURS_UNIT = 'suffix: GPU-h';
const USD = 'currencyUSD';
const PODS_UNIT = 'suffix: pods';
const KEY_LABELS: Record<WasteGroupBy, string> = { pod: 'Pod', namespace: 'Namespace', gpuModel: 'GPU model' };

const gpuHours = { unit: GPU_HOURS_UNIT, decimals: 1 };
const dollars = { unit: USD, decimals: 2 };
const ms = (seconds: number) => seconds * 1000;
const orNull = (value: number | undefined) => (value === undefined || !Number.isFinite(value) ? null : value);

function flagsOf(row: { idle?: boolean; overProvisioned?: boolean; memoryHeldComputeIdle?: boolean }): string {
  return [
    row.idle && 'idle',
    row.overProvisioned && 'over-provisioned',
    row.memoryHeldComputeIdle && 'memory held while idle',
  ]
    .filter(Boolean)
    .join(', ');
}

/** Money first (the biggest leak leads), then idle GPU-hours for rows without a price. */
function byWaste<T extends { wasteCost?: number; wasteGpuHours: number }>(rows: T[]): T[] {
  return [...rows].sort((a, b) => (b.wasteCost ?? -1) - (a.wasteCost ?? -1) || b.wasteGpuHours - a.wasteGpuHours);
}

/** `custom` with the codes of its notices' texts (frameTexts.ts), when any notice has one. */
function withNoticeTexts(custom: Record<string, unknown>, texts: Record<string, FrameText>): Record<string, unknown> {
  return Object.keys(texts).length > 0 ? { ...custom, texts: { notices: texts } } : custom;
}

export function wasteFrames(
  report: WasteReport,
  options: { refId: string; groupBy: WasteGroupBy; activitySource: string; notices: CodedNotice[] }
): Frame[] {
  const { refId, groupBy } = options;
  const { notices, texts } = splitNotices(options.notices);
  const summary: Frame = {
    refId,
    name: EFFICIENCY_FRAMES.wasteSummary,
    meta: {
      custom: withNoticeTexts({ headroom: 'waste-summary', activitySource: options.activitySource }, texts),
      notices,
    },
    fields: [
      { name: WASTE_FIELDS.allocated, type: 'number', values: [report.allocatedGpuHours], config: gpuHours },
      { name: WASTE_FIELDS.busy, type: 'number', values: [report.busyGpuHours], config: gpuHours },
      { name: WASTE_FIELDS.idle, type: 'number', values: [report.wasteGpuHours], config: gpuHours },
      {
        name: 'Busy share',
        type: 'number',
        values: [report.allocatedGpuHours > 0 ? report.busyGpuHours / report.allocatedGpuHours : null],
        config: { unit: 'percentunit', decimals: 1 },
      },
      {
        name: WASTE_FIELDS.allocatedCost,
        type: 'number',
        values: [orNull(report.allocatedCost)],
        config: dollars,
      },
      { name: WASTE_FIELDS.wastedCost, type: 'number', values: [orNull(report.wasteCost)], config: dollars },
      { name: 'Idle pods', type: 'number', values: [report.idlePods.length], config: { unit: PODS_UNIT } },
      {
        name: 'Over-provisioned pods',
        type: 'number',
        values: [report.overProvisionedPods.length],
        config: { unit: PODS_UNIT },
      },
      {
        name: 'Memory held while idle',
        type: 'number',
        values: [report.memoryHeldComputeIdlePods.length],
        config: { unit: PODS_UNIT },
      },
    ],
  };
  return [summary, wasteTable(report, refId, groupBy)];
}

function wasteTable(report: WasteReport, refId: string, groupBy: WasteGroupBy): Frame {
  const meta = { custom: { headroom: 'waste', groupBy } };
  const money = (rows: Array<{ allocatedCost?: number; wasteCost?: number }>): FrameField[] => [
    {
      name: WASTE_FIELDS.allocatedCost,
      type: 'number',
      values: rows.map((r) => orNull(r.allocatedCost)),
      config: dollars,
    },
    {
      name: WASTE_FIELDS.wastedCost,
      type: 'number',
      values: rows.map((r) => orNull(r.wasteCost)),
      config: dollars,
    },
  ];
  const hours = (rows: WasteGroup[]): FrameField[] => [
    {
      name: WASTE_FIELDS.allocated,
      type: 'number',
      values: rows.map((r) => r.allocatedGpuHours),
      config: gpuHours,
    },
    { name: WASTE_FIELDS.busy, type: 'number', values: rows.map((r) => r.busyGpuHours), config: gpuHours },
    { name: WASTE_FIELDS.idle, type: 'number', values: rows.map((r) => r.wasteGpuHours), config: gpuHours },
  ];
  if (groupBy !== 'pod') {
    const rows = byWaste(groupBy === 'namespace' ? report.byNamespace : report.byModel);
    return {
      refId,
      name: EFFICIENCY_FRAMES.waste,
      meta,
      fields: [
        { name: KEY_LABELS[groupBy], type: 'string', values: rows.map((r) => r.key || '(none)') },
        ...hours(rows),
        ...money(rows),
      ],
    };
  }
  const rows = byWaste(report.pods);
  return {
    refId,
    name: EFFICIENCY_FRAMES.waste,
    meta,
    fields: [
      { name: 'Pod', type: 'string', values: rows.map((r) => r.pod) },
      { name: 'Namespace', type: 'string', values: rows.map((r) => r.namespace) },
      { name: 'GPU model', type: 'string', values: rows.map((r) => r.gpuModel) },
      ...hours(rows.map((r) => ({ ...r, key: r.pod }))),
      {
        name: WASTE_FIELDS.meanActivity,
        type: 'number',
        values: rows.map((r) => r.meanActivityPercent),
        config: { unit: 'percent', decimals: 1 },
      },
      ...money(rows),
      { name: WASTE_FIELDS.flags, type: 'string', values: rows.map(flagsOf) },
    ],
  };
}

export const MFU_ESTIMATE_NOTICE =
  'Estimate: DCGM tensor-pipe activity × SM clock / maximum SM clock, not the model-FLOPs MFU (it counts every ' +
  'tensor op, recomputation and padding included, so it reads above the PaLM-formula MFU).';

export function mfuFrames(pods: PodMfu[], options: { refId: string; notices: CodedNotice[] }): Frame[] {
  const { refId } = options;
  const counts = mfuHistogram(pods.map((p) => p.mfuEstimate));
  const { notices, texts } = splitNotices([{ severity: 'info', text: MFU_ESTIMATE_NOTICE }, ...options.notices]);
  return [
    {
      refId,
      name: EFFICIENCY_FRAMES.mfu,
      meta: { custom: withNoticeTexts({ headroom: 'mfu', source: 'dcgm-tensor-active-estimate' }, texts), notices },
      fields: [
        { name: 'Pod', type: 'string', values: pods.map((p) => p.pod) },
        { name: 'Namespace', type: 'string', values: pods.map((p) => p.namespace) },
        { name: 'GPU model', type: 'string', values: pods.map((p) => p.gpuModel) },
        {
          name: 'MFU (estimate)',
          type: 'number',
          values: pods.map((p) => p.mfuEstimate),
          config: { unit: 'percentunit', decimals: 1 },
        },
        {
          name: 'Tensor active',
          type: 'number',
          values: pods.map((p) => p.meanTensorActive),
          config: { unit: 'percentunit', decimals: 1 },
        },
      ],
    },
    {
      refId,
      name: EFFICIENCY_FRAMES.mfuDistribution,
      meta: {
        custom: withNoticeTexts({ headroom: 'mfu-distribution', source: 'dcgm-tensor-active-estimate' }, texts),
        notices,
      },
      fields: [
        {
          name: 'MFU estimate (% of peak)',
          type: 'string',
          values: counts.map((_, i) => `${i * 10}–${(i + 1) * 10}`),
        },
        { name: 'Pods', type: 'number', values: counts, config: { unit: PODS_UNIT, decimals: 0 } },
      ],
    },
  ];
}

/** The lines of the burn-up chart; the frame spans the whole month, from its first to its last instant. */
export const BURN_FIELDS = {
  spent: 'Spent this month',
  projection: 'Projected to month end',
  budget: 'Monthly budget',
} as const;

/** Spend, projection and budget on one time axis from the month's start to its end; null where a line has no point. */
function burnTimeline(burn: BurnSeries) {
  const rows = new Map<number, { spent: number | null; projected: number | null }>();
  const row = (t: number) => rows.get(t) ?? { spent: null, projected: null };
  rows.set(burn.monthStartSeconds, row(burn.monthStartSeconds));
  burn.timestampsSeconds.forEach((t, i) => rows.set(t, { ...row(t), spent: burn.monthToDate[i] }));
  burn.projectionTimestampsSeconds.forEach((t, i) => rows.set(t, { ...row(t), projected: burn.projection[i] }));
  const times = [...rows.keys()].sort((a, b) => a - b);
  return { times, spent: times.map((t) => rows.get(t)!.spent), projected: times.map((t) => rows.get(t)!.projected) };
}

export function burnFrames(burn: BurnSeries, options: { refId: string; notices: FrameNotice[] }): Frame[] {
  const { refId } = options;
  const timeline = burnTimeline(burn);
  return [
    {
      refId,
      name: EFFICIENCY_FRAMES.burn,
      meta: { custom: { headroom: 'burn' }, notices: options.notices },
      fields: [
        { name: 'Time', type: 'time', values: timeline.times.map(ms) },
        { name: BURN_FIELDS.spent, type: 'number', values: timeline.spent, config: dollars },
        { name: BURN_FIELDS.projection, type: 'number', values: timeline.projected, config: dollars },
        ...(burn.monthlyBudget === undefined
          ? []
          : [
              {
                name: BURN_FIELDS.budget,
                type: 'number' as const,
                values: timeline.times.map(() => burn.monthlyBudget!),
                config: dollars,
              },
            ]),
      ],
    },
    {
      refId,
      name: EFFICIENCY_FRAMES.budget,
      meta: { custom: { headroom: 'budget' } },
      fields: [
        { name: 'Month to date', type: 'number', values: [burn.monthToDateCost], config: dollars },
        { name: 'Projected month', type: 'number', values: [burn.projectedMonthCost], config: dollars },
        { name: 'Monthly budget', type: 'number', values: [orNull(burn.monthlyBudget)], config: dollars },
        {
          name: 'Projected share of budget',
          type: 'number',
          values: [orNull(burn.projectedShareOfBudget)],
          config: { unit: 'percentunit', decimals: 0 },
        },
        {
          name: 'Burn rate',
          type: 'number',
          values: [burn.burnPerHour],
          config: { unit: 'currencyUSD', decimals: 2 },
        },
        {
          name: 'Budget reached at',
          type: 'time',
          values: [burn.budgetReachedAtSeconds === undefined ? null : ms(burn.budgetReachedAtSeconds)],
          config: { noValue: 'not this month' },
        },
      ],
    },
  ];
}

function describeDisagreement(d: Disagreement): { node: string; subject: string; detail: string } {
  switch (d.kind) {
    case 'busy-without-pod':
      return {
        node: d.node,
        subject: `GPU ${d.gpu}`,
        detail: `${(d.activityRatio * 100).toFixed(0)} % busy but no pod holds it (DCGM ${d.uuid})`,
      };
    case 'pod-not-in-dcgm':
      return {
        node: d.node,
        subject: `${d.namespace}/${d.pod}`,
        detail: `requests ${d.requestedGpus} GPU(s); DCGM shows it on ${d.dcgmGpus}`,
      };
    case 'allocatable-mismatch':
      return {
        node: d.node,
        subject: 'node',
        detail: `Kubernetes offers ${d.allocatableGpus} GPU(s); DCGM reports ${d.dcgmGpus}`,
      };
  }
}

export function disagreementFrames(disagreements: Disagreement[], refId: string): Frame[] {
  const rows = disagreements.map((d) => ({ kind: d.kind, ...describeDisagreement(d) }));
  return [
    {
      refId,
      name: EFFICIENCY_FRAMES.disagreements,
      fields: [
        { name: 'Kind', type: 'string', values: rows.map((r) => r.kind) },
        { name: 'Node', type: 'string', values: rows.map((r) => r.node) },
        { name: 'GPU or pod', type: 'string', values: rows.map((r) => r.subject) },
        { name: 'Detail', type: 'string', values: rows.map((r) => r.detail) },
      ],
    },
  ];
}

/**
 * The share of spot GPUs interrupted per day (spotChurn.ts): one value, empty with "no spot nodes found" when no spot
 * GPU node was seen. The GPU-days and the nodes gone ride in the frame's meta.
 */
export function spotFrames(rate: SpotInterruptionRate, refId: string): Frame[] {
  return [
    {
      refId,
      name: EFFICIENCY_FRAMES.spot,
      meta: {
        custom: {
          headroom: 'spot-interruptions',
          spotGpuDays: rate.spotGpuDays,
          interruptedGpus: rate.interruptedGpus,
          interruptedNodes: rate.interruptedNodes,
        },
      },
      fields: [
        {
          name: SPOT_FIELDS.sharePerDay,
          type: 'number',
          values: [orNull(rate.sharePerDay)],
          config: { unit: 'percentunit', decimals: 1, noValue: NO_SPOT_NODES },
        },
      ],
    },
  ];
}
