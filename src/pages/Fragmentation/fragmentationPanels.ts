import { t } from '@grafana/i18n';
import { PanelBuilders, VizPanel } from '@grafana/scenes';
import { BigValueColorMode, BigValueGraphMode, BigValueTextMode, FieldColorModeId } from '@grafana/schema';
import {
  FRAGMENTATION_FRAMES,
  JOB_KINDS,
  JOBS_FIT_FIELDS,
  SUMMARY_FIELDS,
} from '../../datasource/fragmentation/fragmentationFrames';
import { GANG_SIZES } from '../../engine/fragmentation';
import { countUnits, overrideFields, patternMapping, textMappings, type FieldText } from '../shared/fieldText';
import { framesNamed, overTimeQueryRunner } from './fragmentationQueries';

export const FRAGMENTATION_PANEL_ID = 'headroom-fragmentation-panel';

/**
 * The summary's units in the user's language. Units only: a stat finds its field by the display name
 * (`reduceOptions.fields`), so the summary's display names stay the frame's.
 */
function summaryUnits(): Record<string, FieldText> {
  const units = countUnits();
  return {
    [SUMMARY_FIELDS.free]: { unit: units.gpus },
    [SUMMARY_FIELDS.fragmented]: { unit: units.gpus },
    [SUMMARY_FIELDS.fullyFree]: { unit: units.gpus },
    [SUMMARY_FIELDS.largestGang]: { unit: units.gpus },
    ...Object.fromEntries(GANG_SIZES.map((k) => [SUMMARY_FIELDS.nodesWithFullyFree(k), { unit: units.nodes }])),
    [SUMMARY_FIELDS.migFree]: { unit: units.instances },
    [SUMMARY_FIELDS.pending]: { unit: units.pods },
  };
}

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
    .setOverrides((overrides) => overrideFields(overrides, summaryUnits()))
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

/** A whole-GPU gang's row (`4-GPU job`, from `jobsFitOf`) named as the GPU grid names it. */
const gangJobMapping = () =>
  patternMapping(
    '^(\\d+)-GPU job$',
    t('fragmentation.grid.gang', '{{gpus}}-GPU job', { gpus: '$1', interpolation: { escapeValue: false } })
  );

/** A job type that needs no particular GPU model (`gpuModel: 'any'` in the frame). */
const anyModel = () => textMappings({ any: t('fragmentation.fields.any-model', 'any') });

function jobsFitFields(): Record<string, FieldText> {
  const units = countUnits();
  return {
    [JOBS_FIT_FIELDS.job]: { displayName: t('fragmentation.fields.job', 'Job'), mappings: [gangJobMapping()] },
    [JOBS_FIT_FIELDS.kind]: {
      displayName: t('fragmentation.fields.kind', 'Kind'),
      mappings: [
        textMappings({
          [JOB_KINDS.gang]: t('fragmentation.fields.kind-gang', 'gang, CPU ignored'),
          [JOB_KINDS.learnt]: t('fragmentation.fields.kind-learnt', 'learnt job type'),
        }),
      ],
    },
    'GPUs per pod': { displayName: t('fragmentation.fields.gpus-per-pod', 'GPUs per pod'), unit: units.gpus },
    'Share of each GPU': { displayName: t('fragmentation.fields.gpu-share', 'Share of each GPU') },
    'GPU model': { displayName: t('overview.fields.gpu-model', 'GPU model'), mappings: [anyModel()] },
    'CPU per pod': { displayName: t('fragmentation.fields.cpu-per-pod', 'CPU per pod'), unit: units.cores },
    'Share of recent pods': { displayName: t('fragmentation.fields.popularity', 'Share of recent pods') },
    [JOBS_FIT_FIELDS.fitNow]: { displayName: t('fragmentation.fields.fit-now', 'Fit now'), unit: units.pods },
    [JOBS_FIT_FIELDS.whyNone]: { displayName: t('fragmentation.fields.why-none', 'Why none fits') },
    'Free GPU it cannot use': {
      displayName: t('fragmentation.fields.unusable', 'Free GPU it cannot use'),
      unit: units.gpus,
    },
  };
}

const JOBS_FIT_WIDTHS_PX: Record<string, number> = {
  [JOBS_FIT_FIELDS.job]: 172,
  [JOBS_FIT_FIELDS.kind]: 150,
  'GPUs per pod': 115,
  'Share of each GPU': 142,
  'GPU model': 110,
  'CPU per pod': 105,
  'Share of recent pods': 160,
  [JOBS_FIT_FIELDS.fitNow]: 92,
  'Free GPU it cannot use': 180,
};

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
    .setOverrides((overrides) => {
      overrideFields(overrides, jobsFitFields());
      // Widths that fit the English headers and a learnt job's name (`m04: 4 GPUs, 32 cores`), so the table fits a
      // full-width panel and "Why none fits" takes the rest, wrapped.
      for (const [name, widthPx] of Object.entries(JOBS_FIT_WIDTHS_PX)) {
        overrides.matchFieldsWithName(name).overrideCustomFieldConfig('width', widthPx);
      }
      overrides.matchFieldsWithName(JOBS_FIT_FIELDS.whyNone).overrideCustomFieldConfig('wrapText', true);
    })
    .build();
}

function overTimeFields(): Record<string, FieldText> {
  const gpus = countUnits().gpus;
  return {
    [SUMMARY_FIELDS.fragmentedShare]: {
      displayName: t('fragmentation.fields.fragmented-share', 'Fragmented (% of free)'),
    },
    [SUMMARY_FIELDS.free]: { displayName: t('fragmentation.stats.free.title', 'Free GPUs'), unit: gpus },
    [SUMMARY_FIELDS.fragmented]: {
      displayName: t('fragmentation.stats.fragmented.title', 'Fragmented GPUs'),
      unit: gpus,
    },
    [SUMMARY_FIELDS.largestGang]: {
      displayName: t('fragmentation.fields.largest-gang', 'Largest gang on one node'),
      unit: gpus,
    },
  };
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
      overrideFields(overrides, overTimeFields());
    })
    .build();
}

function defragSummaryFields(): Record<string, FieldText> {
  const units = countUnits();
  return {
    'Makes room for': { displayName: t('fragmentation.fields.makes-room-for', 'Makes room for') },
    Request: { displayName: t('fragmentation.fields.request', 'Request'), unit: units.gpus },
    'On node': {
      displayName: t('fragmentation.fields.on-node', 'On node'),
      mappings: [textMappings({ 'no plan': t('fragmentation.fields.no-plan', 'no plan') })],
    },
    'On GPUs': { displayName: t('fragmentation.fields.on-gpus', 'On GPUs') },
    Moves: { displayName: t('fragmentation.fields.moves', 'Moves'), unit: units.pods },
    'GPUs freed': { displayName: t('fragmentation.fields.gpus-freed', 'GPUs freed'), unit: units.gpus },
    'Fragmented before': {
      displayName: t('fragmentation.fields.fragmented-before', 'Fragmented before'),
      unit: units.gpus,
    },
    'Fragmented after': {
      displayName: t('fragmentation.fields.fragmented-after', 'Fragmented after'),
      unit: units.gpus,
    },
  };
}

const defragPlanFields = (): Record<string, FieldText> => ({
  Step: { displayName: t('fragmentation.fields.step', 'Step') },
  Pod: { displayName: t('fragmentation.fields.pod', 'Pod') },
  'From node': { displayName: t('fragmentation.fields.from-node', 'From node') },
  'To node': { displayName: t('fragmentation.fields.to-node', 'To node') },
  'To GPUs': { displayName: t('fragmentation.fields.to-gpus', 'To GPUs') },
});

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
    .setOverrides((overrides) => overrideFields(overrides, defragSummaryFields()))
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
    .setOverrides((overrides) => overrideFields(overrides, defragPlanFields()))
    .setNoValue(
      t('fragmentation.defrag-moves.no-value', 'No pod needs to move (notes in the Defragmentation panel header).')
    )
    .build();
}
