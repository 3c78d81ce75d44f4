import { t } from '@grafana/i18n';
import { PanelBuilders, VizPanel } from '@grafana/scenes';
import { BigValueColorMode, BigValueGraphMode, BigValueTextMode, FieldColorModeId } from '@grafana/schema';
import { FRAGMENTATION_FRAMES, SUMMARY_FIELDS } from '../../datasource/fragmentation/fragmentationFrames';
import { framesNamed, overTimeQueryRunner } from './fragmentationQueries';

export const FRAGMENTATION_PANEL_ID = 'headroom-fragmentation-panel';

/** A stat showing one field of the summary frame. */
function summaryStat(title: string, fields: string[], description: string, color: string): VizPanel {
  return PanelBuilders.stat()
    .setTitle(title)
    .setDescription(description)
    .setData(framesNamed(FRAGMENTATION_FRAMES.summary))
    .setColor({ mode: FieldColorModeId.Fixed, fixedColor: color })
    .setNoValue('–')
    .setOption('reduceOptions', { values: false, calcs: ['lastNotNull'], fields: `/^(${fields.join('|')})$/` })
    .setOption('colorMode', BigValueColorMode.Value)
    .setOption('graphMode', BigValueGraphMode.None)
    .setOption('textMode', BigValueTextMode.Value)
    .build();
}

export function buildSummaryStats(): VizPanel[] {
  return [
    summaryStat(
      t('fragmentation.stats.free.title', 'Free GPUs'),
      [SUMMARY_FIELDS.free],
      t('fragmentation.stats.free.description', 'Whole GPUs no pod holds, on the nodes in view (MIG GPUs apart).'),
      'green'
    ),
    // Share and GPUs apart: two values in one narrow stat shrink to an unreadable size.
    summaryStat(
      t('fragmentation.stats.fragmented-share.title', 'Fragmented'),
      [SUMMARY_FIELDS.fragmentedShare],
      t(
        'fragmentation.stats.fragmented-share.description',
        'Share of the free GPUs that the jobs people submitted over the last days cannot use where they sit, expected over the job mix (FGD, Weng et al., USENIX ATC’23).'
      ),
      'orange'
    ),
    summaryStat(
      t('fragmentation.stats.fragmented.title', 'Fragmented GPUs'),
      [SUMMARY_FIELDS.fragmented],
      t(
        'fragmentation.stats.fragmented.description',
        'The same in GPUs: free GPU the job mix cannot use where it sits (FGD).'
      ),
      'orange'
    ),
    summaryStat(
      t('fragmentation.stats.fully-free.title', 'Fully free'),
      [SUMMARY_FIELDS.fullyFree],
      t('fragmentation.stats.fully-free.description', 'GPUs with nothing on them.'),
      'green'
    ),
    summaryStat(
      t('fragmentation.stats.largest-gang.title', 'Largest gang'),
      [SUMMARY_FIELDS.largestGang],
      t(
        'fragmentation.stats.largest-gang.description',
        'The most fully free GPUs together on one node: the biggest whole-GPU job that starts without moving anything.'
      ),
      'blue'
    ),
    summaryStat(
      t('fragmentation.stats.nodes-free.title', 'Nodes ≥ {{gpus}} free', { gpus: 8 }),
      [SUMMARY_FIELDS.nodesWithFullyFree(8)],
      t(
        'fragmentation.stats.nodes-free.description',
        'Nodes with at least {{gpus}} fully free GPUs, where an {{gpus}}-GPU job starts now.',
        { gpus: 8 }
      ),
      'blue'
    ),
    summaryStat(
      t('fragmentation.stats.mig-free.title', 'Free MIG'),
      [SUMMARY_FIELDS.migFree],
      t('fragmentation.stats.mig-free.description', 'MIG instances no running pod requests.'),
      'purple'
    ),
    summaryStat(
      t('fragmentation.stats.pending.title', 'Pending pods'),
      [SUMMARY_FIELDS.pending],
      t('fragmentation.stats.pending.description', 'Pods waiting for whole GPUs.'),
      'text'
    ),
  ];
}

export function buildGridPanel(): VizPanel {
  return new VizPanel({
    pluginId: FRAGMENTATION_PANEL_ID,
    title: t('fragmentation.grid.title', 'GPUs by node'),
    description: t(
      'fragmentation.grid.description',
      'Every GPU of the nodes in view at the newest state: free, allocated, shared, or split into MIG instances. Hover a GPU for its pods. On top: how many whole-GPU jobs of each size fit now.'
    ),
    $data: framesNamed(FRAGMENTATION_FRAMES.grid, FRAGMENTATION_FRAMES.jobsFit),
  });
}

export function buildJobsFitTable(): VizPanel {
  return PanelBuilders.table()
    .setTitle(t('fragmentation.jobs-fit.title', 'Jobs that fit now'))
    .setDescription(
      t(
        'fragmentation.jobs-fit.description',
        'How many more jobs of each kind fit, each node counted on its own: whole-GPU gangs (CPU ignored), then the job types learnt from recent GPU requests, with the share of each GPU they take, the GPU model they need, their CPU and their share of recent pods. For each: how many fit now and, when none fits, why; and the free GPU it cannot use.'
      )
    )
    .setData(framesNamed(FRAGMENTATION_FRAMES.jobsFit))
    .build();
}

export function buildOverTimePanel(): VizPanel {
  return PanelBuilders.timeseries()
    .setTitle(t('fragmentation.over-time.title', 'Fragmentation over time'))
    .setDescription(
      t(
        'fragmentation.over-time.description',
        'Share of free GPUs the job mix cannot use, and free GPUs, at up to {{instants}} instants across the time range.',
        { instants: 60 }
      )
    )
    .setData(overTimeQueryRunner())
    .setMin(0)
    .setCustomFieldConfig('fillOpacity', 10)
    .setOverrides((overrides) => {
      overrides
        .matchFieldsWithName(SUMMARY_FIELDS.fragmentedShare)
        .overrideColor({ mode: FieldColorModeId.Fixed, fixedColor: 'orange' });
      overrides
        .matchFieldsWithName(SUMMARY_FIELDS.free)
        .overrideColor({ mode: FieldColorModeId.Fixed, fixedColor: 'green' });
      overrides
        .matchFieldsWithName(SUMMARY_FIELDS.fragmented)
        .overrideColor({ mode: FieldColorModeId.Fixed, fixedColor: 'yellow' });
      overrides
        .matchFieldsWithName(SUMMARY_FIELDS.largestGang)
        .overrideColor({ mode: FieldColorModeId.Fixed, fixedColor: 'blue' });
    })
    .build();
}

export function buildDefragSummary(): VizPanel {
  return PanelBuilders.table()
    .setTitle(t('fragmentation.defrag.title', 'Defragmentation'))
    .setDescription(
      t(
        'fragmentation.defrag.description',
        'The largest pending GPU request (or, with none pending, the largest learnt job type), where it would start, how many pod moves that takes, and fragmentation before and after.'
      )
    )
    .setData(framesNamed(FRAGMENTATION_FRAMES.defragSummary))
    .build();
}

export function buildDefragMoves(): VizPanel {
  return PanelBuilders.table()
    .setTitle(t('fragmentation.defrag-moves.title', 'Defragmentation plan: pod moves'))
    .setDescription(
      t(
        'fragmentation.defrag-moves.description',
        'Move these pods, in order, to the node and GPUs listed (greedy: fewest moves first).'
      )
    )
    .setData(framesNamed(FRAGMENTATION_FRAMES.defragPlan))
    .setNoValue(
      t('fragmentation.defrag-moves.no-value', 'No pod needs to move (notes in the Defragmentation panel header).')
    )
    .build();
}
