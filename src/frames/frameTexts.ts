/**
 * Text a frame writes in English, also as codes and figures (`meta.custom.texts`), so Headroom's pages and panels word
 * it in the user's language while the frame keeps its English for the backend, dashboards and every viewer
 * (docs/i18n.md). The Grafana-facing layers render each code with the catalog; a cell or notice without one is shown
 * as the frame wrote it.
 */
import type { BlockedReason } from '../engine/fragmentation';
import type { Frame, FrameMeta } from './types';

/** A task type learnt from recent requests, as `learntJobText` names it (`m01: 2 GPUs, 16 cores`). */
export interface LearntJob {
  code: 'learnt-job';
  id: string;
  gpuCount: number;
  /** Share of each GPU in percent: 100 for whole GPUs. */
  gpuPercent: number;
  cpuCores: number;
  /** The GPU models it asks for (`A100|H100`), empty for any. */
  gpuSpec: string;
}

/** The defragmentation's notices: why it makes room for a learnt type, why there is no plan, or nothing to move. */
export type DefragNotice =
  | { code: 'defrag-learnt-request' }
  | { code: 'defrag-no-whole-gpu-nodes' }
  | { code: 'defrag-nothing-pending' }
  | { code: 'defrag-fits-now'; node: string };

export type FrameText = BlockedReason | LearntJob | DefragNotice;

/** `meta.custom.texts`: per field name, a text for each row (null: the cell as it is); per notice's English text, its text. */
export interface FrameTexts {
  cells?: Record<string, Array<FrameText | null>>;
  notices?: Record<string, FrameText>;
}

/** The defragmentation's notices in English, as the frames write them. */
export const DEFRAG_NOTICES = {
  'defrag-learnt-request':
    'No GPU pod is pending: the plan makes room for the largest job type learnt from recent requests.',
  'defrag-no-whole-gpu-nodes': 'No node in view has whole GPUs to rearrange.',
  'defrag-nothing-pending': 'No GPU pod is pending and no workload was learnt: there is nothing to make room for.',
  'defrag-fits-now': (node: string) => `It fits on ${node} now; nothing to move.`,
} as const;

/** The task type's name in English, as the frames and the command line write it. */
export function learntJobText(job: LearntJob): string {
  const gpus =
    job.gpuCount === 0
      ? 'CPU only'
      : job.gpuPercent === 100
        ? `${job.gpuCount} GPU${job.gpuCount === 1 ? '' : 's'}`
        : `${job.gpuPercent} % GPU`;
  return `${job.id}: ${gpus}, ${job.cpuCores} cores${job.gpuSpec ? `, ${job.gpuSpec}` : ''}`;
}

/** The frame with `texts` added to its `meta.custom`. */
export function withTexts(frame: Frame, texts: FrameTexts): Frame {
  const meta: FrameMeta = frame.meta ?? {};
  return { ...frame, meta: { ...meta, custom: { ...meta.custom, texts } } };
}
