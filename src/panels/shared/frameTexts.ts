// A frame's English text worded in the user's language from the codes and figures beside it (`meta.custom.texts`,
// docs/i18n.md). In panels/ so both the panels and the pages (which may import panels/) word it the same way.
import { t } from '@grafana/i18n';
import type { DataFrame, Field } from '@grafana/data';
import { frameTextsOf, type BlockedReason, type FrameText, type LearntJob } from '../../datasource/frameTexts';
import { formatNumber, formatPercent } from './localeNumbers';

/**
 * `text` in the user's language. Names (nodes, GPU models, task ids) and the parts put together are not HTML-escaped:
 * React escapes what it renders.
 */
export function frameText(text: FrameText): string {
  switch (text.code) {
    case 'learnt-job':
      return learntJob(text);
    case 'defrag-learnt-request':
      return t(
        'fragmentation.defrag.learnt-request',
        'No GPU pod is pending: the plan makes room for the largest job type learnt from recent requests.'
      );
    case 'defrag-no-whole-gpu-nodes':
      return t('fragmentation.defrag.no-whole-gpu-nodes', 'No node in view has whole GPUs to rearrange.');
    case 'defrag-nothing-pending':
      return t(
        'fragmentation.defrag.nothing-pending',
        'No GPU pod is pending and no workload was learnt: there is nothing to make room for.'
      );
    case 'defrag-fits-now':
      return t('fragmentation.defrag.fits-now', 'It fits on {{node}} now; nothing to move.', {
        node: text.node,
        interpolation: { escapeValue: false },
      });
    default:
      return blockedReason(text);
  }
}

/** `m01: 2 GPUs, 16 cores` (learntJobText) in the user's language. */
function learntJob(job: LearntJob): string {
  const gpus =
    job.gpuCount === 0
      ? t('fragmentation.job.cpu-only', 'CPU only')
      : job.gpuPercent === 100
        ? job.gpuCount === 1
          ? t('fragmentation.job.one-gpu', '{{gpus}} GPU', { gpus: formatNumber(job.gpuCount) })
          : t('fragmentation.job.gpus', '{{gpus}} GPUs', { gpus: formatNumber(job.gpuCount) })
        : t('fragmentation.job.gpu-share', '{{percent}} GPU', { percent: formatPercent(job.gpuPercent) });
  const cores = formatNumber(job.cpuCores);
  return job.gpuSpec
    ? t('fragmentation.job.learnt-models', '{{id}}: {{gpus}}, {{cores}} cores, {{models}}', {
        id: job.id,
        gpus,
        cores,
        models: job.gpuSpec,
        interpolation: { escapeValue: false },
      })
    : t('fragmentation.job.learnt', '{{id}}: {{gpus}}, {{cores}} cores', {
        id: job.id,
        gpus,
        cores,
        interpolation: { escapeValue: false },
      });
}

/** Why no pod of a type fits (blockedReasonText) in the user's language. */
function blockedReason(reason: BlockedReason): string {
  switch (reason.code) {
    case 'cpu-only-no-cpu':
      return t('fragmentation.why-none.cpu-only', 'it asks for no GPU, and no node has its CPU free');
    case 'no-gpu-model': {
      const or = t('fragmentation.why-none.model-separator', ' or ');
      return t('fragmentation.why-none.no-gpu-model', 'no node has GPU model {{models}}', {
        models: reason.gpuModels.join(or),
        interpolation: { escapeValue: false },
      });
    }
    case 'gpus-not-together': {
      const gpus = formatNumber(reason.gpuCount);
      const percent = formatPercent(reason.gpuPercent);
      const one = reason.gpuCount === 1;
      const what =
        reason.gpuPercent === 100
          ? one
            ? t('fragmentation.why-none.fully-free-gpu', '{{gpus}} fully free GPU', { gpus })
            : t('fragmentation.why-none.fully-free-gpus', '{{gpus}} fully free GPUs', { gpus })
          : one
            ? t('fragmentation.why-none.share-free-gpu', '{{gpus}} GPU with {{percent}} free', { gpus, percent })
            : t('fragmentation.why-none.share-free-gpus', '{{gpus}} GPUs with {{percent}} free', { gpus, percent });
      const where =
        reason.mostOnNode === undefined
          ? ''
          : t('fragmentation.why-none.on-node', ' (on {{node}})', {
              node: reason.mostOnNode,
              interpolation: { escapeValue: false },
            });
      const nodes =
        reason.nodesWithAny === 1
          ? t('fragmentation.why-none.one-node', '{{nodes}} node', { nodes: formatNumber(reason.nodesWithAny) })
          : t('fragmentation.why-none.nodes', '{{nodes}} nodes', { nodes: formatNumber(reason.nodesWithAny) });
      const figures = {
        what,
        most: formatNumber(reason.mostOnOneNode),
        where,
        total: formatNumber(reason.totalGpus),
        nodes,
        interpolation: { escapeValue: false },
      };
      return reason.modelsNamed
        ? t(
            'fragmentation.why-none.not-together-model',
            'it needs {{what}} on one node; the most on any such node is {{most}}{{where}}, {{total}} in all spread over {{nodes}}',
            figures
          )
        : t(
            'fragmentation.why-none.not-together',
            'it needs {{what}} on one node; the most on any node is {{most}}{{where}}, {{total}} in all spread over {{nodes}}',
            figures
          );
    }
    case 'cpu-short': {
      const figures = {
        gpus: formatNumber(reason.gpuCount),
        cores: formatNumber(reason.cpuCores),
        free: formatNumber(reason.mostFreeCores),
      };
      return reason.gpuCount === 1
        ? t(
            'fragmentation.why-none.cpu-short-one',
            'the nodes with {{gpus}} such GPU free lack CPU: it asks {{cores}} cores, the most free there is {{free}}',
            figures
          )
        : t(
            'fragmentation.why-none.cpu-short',
            'the nodes with {{gpus}} such GPUs free lack CPU: it asks {{cores}} cores, the most free there is {{free}}',
            figures
          );
    }
  }
}

/**
 * The frames with the cells and notices that carry a code worded in the user's language; the rest as the frames wrote
 * them. For panels Grafana draws, whose values the page cannot word otherwise; the data source's frames are unchanged.
 */
export function inUserLanguage(frames: DataFrame[]): DataFrame[] {
  return frames.map((frame) => {
    const texts = frameTextsOf(frame);
    if (!texts) {
      return frame;
    }
    const cells = texts.cells ?? {};
    const notices = texts.notices ?? {};
    const worded = (field: Field): Field => {
      const rows = cells[field.name];
      return rows
        ? { ...field, values: field.values.map((value, i) => (rows[i] ? frameText(rows[i]) : value)) }
        : field;
    };
    return {
      ...frame,
      fields: frame.fields.map(worded),
      meta: frame.meta && {
        ...frame.meta,
        notices: frame.meta.notices?.map((notice) =>
          notices[notice.text] ? { ...notice, text: frameText(notices[notice.text]) } : notice
        ),
      },
    };
  });
}
