/**
 * The data frames of each fragmentation view, with units and display names on every number, as plain values shared
 * by the browser data source and the backend. Frame and field names are the contract with the fragmentation panel
 * and the Fragmentation page.
 */
import { GANG_SIZES } from '../../engine/fragmentation';
import { GPUS_UNIT } from '../inventoryFrames';
import {
  DEFRAG_NOTICES,
  splitNotices,
  withTexts,
  type CodedNotice,
  type FrameText,
  type FrameTexts,
} from '../frameTexts';
import type { Frame, FrameField, FrameFieldConfig as FieldConfig, FrameNotice } from '../types';
import type { DefragAnswer, FragmentationSummary, GridRow, JobFitRow, OverTimePoint } from './fragmentationAnalysis';

export const FRAGMENTATION_FRAMES = {
  summary: 'Fragmentation summary',
  grid: 'GPU grid',
  jobsFit: 'Jobs that fit',
  overTime: 'Fragmentation over time',
  defragPlan: 'Defragmentation plan',
  defragSummary: 'Defragmentation summary',
} as const;

/** Field names the panel and the page read. */
export const GRID_FIELDS = {
  node: 'Node',
  gpuModel: 'GPU model',
  gpu: 'GPU',
  state: 'State',
  free: 'Free',
  pods: 'Pods',
  mig: 'MIG instances',
  nodeFragmented: 'Node fragmented GPUs',
} as const;

export const DEFRAG_FIELDS = { makesRoomFor: 'Makes room for' } as const;

export const JOBS_FIT_FIELDS = { job: 'Job', kind: 'Kind', fitNow: 'Fit now', whyNone: 'Why none fits' } as const;

/** The `Kind` of a jobsFit row: a gang size of whole GPUs, or a task type learnt from recent requests. */
export const JOB_KINDS = {
  gang: 'gang, CPU ignored',
  learnt: 'learnt job type',
} as const;

export const SUMMARY_FIELDS = {
  free: 'Free GPUs',
  fragmented: 'Fragmented GPUs',
  fragmentedShare: 'Fragmented share of free',
  fullyFree: 'Fully free GPUs',
  largestGang: 'Largest gang on one node',
  migFree: 'Free MIG instances',
  pending: 'Pending GPU pods',
  nodesWithFullyFree: (k: number) => `Nodes with ≥ ${k} fully free`,
} as const;

const PERCENT = 'percentunit';
const NODES_UNIT = 'suffix: nodes';
const PODS_UNIT = 'suffix: pods';
/** Shares of a GPU in thousandths, as the CLI and the FGD paper write them. */
const MILLI_UNIT = 'suffix: milli';

export interface FrameContext {
  /** Shown on the first frame: where numbers come from and what was left out. */
  notices: string[];
  /** The codes of the notices Headroom words itself, by their English text. */
  noticeTexts?: Record<string, FrameText>;
  /** Every PromQL expression run, for Grafana's query inspector. */
  queries: Array<{ name: string; expr: string }>;
}

const numberField = (name: string, values: Array<number | null | undefined>, config: FieldConfig): FrameField => ({
  name,
  type: 'number',
  values: values.map((v) => (v === undefined || v === null || !Number.isFinite(v) ? null : v)),
  config,
});
const textField = (name: string, values: string[], config: FieldConfig = {}): FrameField => ({
  name,
  type: 'string',
  values,
  config,
});

export function summaryFrame(summary: FragmentationSummary, timeSeconds: number, refId: string): Frame {
  return {
    name: FRAGMENTATION_FRAMES.summary,
    refId,
    fields: [
      { name: 'Time', type: 'time', values: [timeSeconds * 1000], config: { displayName: 'State at' } },
      numberField(SUMMARY_FIELDS.free, [summary.freeGpus], { unit: GPUS_UNIT, decimals: 0 }),
      numberField(SUMMARY_FIELDS.fragmentedShare, [summary.fragmentedShareOfFree], { unit: PERCENT, decimals: 1 }),
      numberField(SUMMARY_FIELDS.fragmented, [summary.fragmentedGpus], {
        unit: GPUS_UNIT,
        decimals: 1,
        description: 'Free GPU share the jobs people submit cannot use (FGD, Weng et al., ATC’23).',
      }),
      numberField(SUMMARY_FIELDS.fullyFree, [summary.fullyFreeGpus], { unit: GPUS_UNIT, decimals: 0 }),
      ...GANG_SIZES.map((k) =>
        numberField(SUMMARY_FIELDS.nodesWithFullyFree(k), [summary.nodesWithFullyFreeAtLeast[k]], {
          unit: NODES_UNIT,
          decimals: 0,
        })
      ),
      numberField(SUMMARY_FIELDS.largestGang, [summary.largestWholeGpuGangOnOneNode], { unit: GPUS_UNIT, decimals: 0 }),
      numberField(SUMMARY_FIELDS.migFree, [summary.migInstancesFree], { unit: 'suffix: instances', decimals: 0 }),
      numberField(SUMMARY_FIELDS.pending, [summary.pendingGpuPods], { unit: PODS_UNIT, decimals: 0 }),
    ],
  };
}

/** `3g.40gb team-b/mig-1, 1g.10gb free`: profile, then its pods joined by `+`, or `free`. */
export function formatMigInstances(instances: GridRow['migInstances']): string {
  return (instances ?? []).map((i) => `${i.profile} ${i.holders.length > 0 ? i.holders.join('+') : 'free'}`).join(', ');
}

export function parseMigInstances(textValue: string): Array<{ profile: string; holders: string[] }> {
  return textValue
    .split(', ')
    .filter(Boolean)
    .map((entry) => {
      const [profile, holders = 'free'] = entry.split(' ');
      return { profile, holders: holders === 'free' ? [] : holders.split('+') };
    });
}

/** A text column (with its display options when it has any), or a number column with its unit. */
type Column<R> =
  | [name: string, value: (row: R) => string]
  | [name: string, value: (row: R) => string, FieldConfig, 'text']
  | [name: string, value: (row: R) => Numeric, FieldConfig];
type Numeric = number | null | undefined;

/** A table frame, one row per element of `rows`. */
function tableFrame<R>(name: string, refId: string, rows: R[], columns: Array<Column<R>>): Frame {
  return {
    name,
    refId,
    meta: { preferredVisualisationType: 'table' },
    fields: columns.map(([field, value, config, kind]) =>
      config && kind !== 'text'
        ? numberField(field, rows.map(value as (row: R) => Numeric), config)
        : textField(field, rows.map(value as (row: R) => string), config)
    ),
  };
}

export function gridFrame(rows: GridRow[], refId: string): Frame {
  return tableFrame(FRAGMENTATION_FRAMES.grid, refId, rows, [
    [GRID_FIELDS.node, (r) => r.node],
    [GRID_FIELDS.gpuModel, (r) => r.gpuModel],
    [GRID_FIELDS.gpu, (r) => r.gpu, { unit: 'none', decimals: 0 }],
    [GRID_FIELDS.state, (r) => (r.state === 'mig' ? 'MIG' : r.state)],
    [
      GRID_FIELDS.free,
      (r) => r.freeMilli,
      { unit: MILLI_UNIT, decimals: 0, displayName: 'Free (thousandths of a GPU)' },
    ],
    [GRID_FIELDS.pods, (r) => (r.placementKnown ? r.pods.join(', ') : 'unknown: kube-state-metrics and DCGM disagree')],
    [GRID_FIELDS.mig, (r) => formatMigInstances(r.migInstances)],
    [GRID_FIELDS.nodeFragmented, (r) => r.nodeFragmentedGpus, { unit: GPUS_UNIT, decimals: 2 }],
  ]);
}

export function jobsFitFrame(rows: JobFitRow[], refId: string): Frame {
  const frame = tableFrame(FRAGMENTATION_FRAMES.jobsFit, refId, rows, [
    [JOBS_FIT_FIELDS.job, (r) => r.job],
    [JOBS_FIT_FIELDS.kind, (r) => JOB_KINDS[r.kind]],
    ['GPUs per pod', (r) => r.gpusPerPod, { unit: GPUS_UNIT, decimals: 0 }],
    // 1 decimal: 1/8 of a GPU is 12.5 %, a 1g MIG slice 1/7 = 14.3 % (the grid shows the same in thousandths).
    ['Share of each GPU', (r) => r.gpuShare, { unit: PERCENT, decimals: 1 }],
    ['GPU model', (r) => r.gpuModel],
    ['CPU per pod', (r) => (r.kind === 'gang' ? null : r.cpuCores), { unit: 'suffix: cores' }],
    ['Share of recent pods', (r) => r.popularity, { unit: PERCENT, decimals: 1 }],
    [JOBS_FIT_FIELDS.fitNow, (r) => r.fitNow, { unit: PODS_UNIT, decimals: 0, displayName: 'Fit now' }],
    // Next to the count it explains, and wrapped: a sentence is cut short in a table cell of normal width.
    [JOBS_FIT_FIELDS.whyNone, (r) => r.blockedBy ?? '', { custom: { wrapText: true } }, 'text'],
    ['Free GPU it cannot use', (r) => r.unusableGpus, { unit: GPUS_UNIT, decimals: 1 }],
  ]);
  return withTexts(frame, {
    cells: {
      [JOBS_FIT_FIELDS.job]: rows.map((r) => r.learnt ?? null),
      [JOBS_FIT_FIELDS.whyNone]: rows.map((r) => r.blocked ?? null),
    },
  });
}

export function overTimeFrame(points: OverTimePoint[], refId: string): Frame {
  return {
    name: FRAGMENTATION_FRAMES.overTime,
    refId,
    meta: { type: 'timeseries-wide' },
    fields: [
      {
        name: 'Time',
        type: 'time',
        values: points.map((p) => p.timeSeconds * 1000),
      },
      numberField(
        SUMMARY_FIELDS.fragmentedShare,
        points.map((p) => p.fragmentedShareOfFree),
        { unit: PERCENT, decimals: 1, displayName: 'Fragmented (% of free)' }
      ),
      numberField(
        SUMMARY_FIELDS.free,
        points.map((p) => p.freeGpus),
        { unit: GPUS_UNIT, displayName: 'Free GPUs' }
      ),
      numberField(
        SUMMARY_FIELDS.fragmented,
        points.map((p) => p.fragmentedGpus),
        { unit: GPUS_UNIT, decimals: 1, displayName: 'Fragmented GPUs' }
      ),
      numberField(
        SUMMARY_FIELDS.largestGang,
        points.map((p) => p.largestWholeGpuGangOnOneNode),
        { unit: GPUS_UNIT, decimals: 0, displayName: 'Largest gang on one node' }
      ),
    ],
  };
}

/** The moves, one row each, and a one-row summary of what they achieve. */
export function defragFrames(answer: DefragAnswer, refId: string): Frame[] {
  const moves = answer.plan?.moves ?? [];
  const plan = tableFrame(FRAGMENTATION_FRAMES.defragPlan, refId, moves, [
    ['Step', (m) => moves.indexOf(m) + 1, { unit: 'none', decimals: 0 }],
    ['Pod', (m) => m.pod],
    ['From node', (m) => m.fromNode],
    ['To node', (m) => m.toNode],
    ['To GPUs', (m) => m.toGpuIndexes.join(', ')],
  ]);
  const p = answer.plan;
  const notices = splitNotices(defragNotices(answer));
  const summary: Frame = {
    name: FRAGMENTATION_FRAMES.defragSummary,
    refId,
    meta: { preferredVisualisationType: 'table', notices: notices.notices },
    fields: [
      textField(DEFRAG_FIELDS.makesRoomFor, [answer.requestLabel || '—']),
      numberField('Request', [p ? answer.requestGpus : null], { unit: GPUS_UNIT }),
      textField('On node', [p?.targetNode ?? 'no plan']),
      textField('On GPUs', [p ? p.targetGpuIndexes.join(', ') : '—']),
      numberField('Moves', [p ? p.moves.length : null], { unit: PODS_UNIT, decimals: 0 }),
      numberField('GPUs freed', [p?.freedGpus], { unit: GPUS_UNIT }),
      numberField('Fragmented before', [p?.fragmentedGpusBefore], { unit: GPUS_UNIT, decimals: 1 }),
      numberField('Fragmented after', [p?.fragmentedGpusAfter], { unit: GPUS_UNIT, decimals: 1 }),
    ],
  };
  const texts = {
    notices: notices.texts,
    cells: { [DEFRAG_FIELDS.makesRoomFor]: [answer.requestLearnt ?? null] },
  };
  return [plan, withTexts(summary, texts)];
}

/** What a table cell cannot hold: why the request was chosen, and why there is no plan or no move; with their codes. */
function defragNotices(answer: DefragAnswer): CodedNotice[] {
  const notices: CodedNotice[] = [];
  if (answer.source === 'learnt job type') {
    notices.push({
      severity: 'info',
      text: DEFRAG_NOTICES['defrag-learnt-request'],
      code: { code: 'defrag-learnt-request' },
    });
  }
  if (answer.reason) {
    notices.push({ severity: 'info', text: answer.reason, code: answer.reasonCode });
  }
  if (answer.plan && answer.plan.moves.length === 0) {
    const node = answer.plan.targetNode;
    notices.push({
      severity: 'info',
      text: DEFRAG_NOTICES['defrag-fits-now'](node),
      code: { code: 'defrag-fits-now', node },
    });
  }
  return notices;
}

/** Notices and the PromQL that was run ride on the first frame, so inspectors and panels list them once. */
export function withContext(frames: Frame[], context: FrameContext): Frame[] {
  const [first, ...rest] = frames;
  const notices: FrameNotice[] = [
    ...(first.meta?.notices ?? []),
    ...context.notices.map((t) => ({ severity: 'info' as const, text: t })),
  ];
  const executedQueryString = context.queries.map((q) => `# ${q.name}\n${q.expr}`).join('\n\n');
  const withNotices: Frame = { ...first, meta: { ...first.meta, notices, executedQueryString } };
  if (!context.noticeTexts || Object.keys(context.noticeTexts).length === 0) {
    return [withNotices, ...rest];
  }
  const texts = (first.meta?.custom?.texts ?? {}) as FrameTexts;
  return [withTexts(withNotices, { ...texts, notices: { ...texts.notices, ...context.noticeTexts } }), ...rest];
}
