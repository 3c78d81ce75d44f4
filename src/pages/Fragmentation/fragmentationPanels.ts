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
      'Free GPUs',
      [SUMMARY_FIELDS.free],
      'Whole GPUs no pod holds, on the nodes in view (MIG GPUs apart).',
      'green'
    ),
    // Share and GPUs apart: two values in one narrow stat shrink to an unreadable size.
    summaryStat(
      'Fragmented',
      [SUMMARY_FIELDS.fragmentedShare],
      'Share of the free GPUs that the jobs people submitted over the last days cannot use where they sit, ' +
        'expected over the job mix (FGD, Weng et al., USENIX ATC’23).',
      'orange'
    ),
    summaryStat(
      'Fragmented GPUs',
      [SUMMARY_FIELDS.fragmented],
      'The same in GPUs: free GPU the job mix cannot use where it sits (FGD).',
      'orange'
    ),
    summaryStat('Fully free', [SUMMARY_FIELDS.fullyFree], 'GPUs with nothing on them.', 'green'),
    summaryStat(
      'Largest gang',
      [SUMMARY_FIELDS.largestGang],
      'The most fully free GPUs together on one node: the biggest whole-GPU job that starts without moving anything.',
      'blue'
    ),
    summaryStat(
      'Nodes ≥ 8 free',
      [SUMMARY_FIELDS.nodesWithFullyFree(8)],
      'Nodes with at least 8 fully free GPUs, where an 8-GPU job starts now.',
      'blue'
    ),
    summaryStat('Free MIG', [SUMMARY_FIELDS.migFree], 'MIG instances no running pod requests.', 'purple'),
    summaryStat('Pending pods', [SUMMARY_FIELDS.pending], 'Pods waiting for whole GPUs.', 'text'),
  ];
}

export function buildGridPanel(): VizPanel {
  return new VizPanel({
    pluginId: FRAGMENTATION_PANEL_ID,
    title: 'GPUs by node',
    description:
      'Every GPU of the nodes in view at the newest state: free, allocated, shared, or split into MIG instances. ' +
      'Hover a GPU for its pods. On top: how many whole-GPU jobs of each size fit now.',
    $data: framesNamed(FRAGMENTATION_FRAMES.grid, FRAGMENTATION_FRAMES.jobsFit),
  });
}

export function buildJobsFitTable(): VizPanel {
  return PanelBuilders.table()
    .setTitle('Jobs that fit now')
    .setDescription(
      'How many more jobs of each kind fit, each node counted on its own: whole-GPU gangs (CPU ignored), then the ' +
        'job types learnt from recent GPU requests, with the share of each GPU they take, the GPU model they need, ' +
        'their CPU and their share of recent pods. For each: how many fit now and, when none fits, why; and the ' +
        'free GPU it cannot use.'
    )
    .setData(framesNamed(FRAGMENTATION_FRAMES.jobsFit))
    .build();
}

export function buildOverTimePanel(): VizPanel {
  return PanelBuilders.timeseries()
    .setTitle('Fragmentation over time')
    .setDescription(
      'Share of free GPUs the job mix cannot use, and free GPUs, at up to 60 instants across the time range.'
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
    .setTitle('Defragmentation')
    .setDescription(
      'The largest pending GPU request (or, with none pending, the largest learnt job type), where it would start, ' +
        'how many pod moves that takes, and fragmentation before and after.'
    )
    .setData(framesNamed(FRAGMENTATION_FRAMES.defragSummary))
    .build();
}

export function buildDefragMoves(): VizPanel {
  return PanelBuilders.table()
    .setTitle('Defragmentation plan: pod moves')
    .setDescription('Move these pods, in order, to the node and GPUs listed (greedy: fewest moves first).')
    .setData(framesNamed(FRAGMENTATION_FRAMES.defragPlan))
    .setNoValue('No pod needs to move (notes in the Defragmentation panel header).')
    .build();
}
