import { t } from '@grafana/i18n';
import { PanelBuilders, VizPanel, type SceneDataProvider } from '@grafana/scenes';
import {
  BigValueColorMode,
  BigValueGraphMode,
  FieldColorModeId,
  LegendDisplayMode,
  ThresholdsMode,
  VisibilityMode,
} from '@grafana/schema';
import {
  BURN_FIELDS,
  EFFICIENCY_FRAMES,
  SPOT_FIELDS,
  WASTE_FIELDS,
} from '../../datasource/efficiency/efficiencyFrames';
import { frameNamed } from '../Forecast/forecastQueries';
import { countUnits, overrideFields, type FieldText } from '../shared/fieldText';
import { efficiencyQueryRunner } from './efficiencyQueries';
import { FrameSpanData } from './frameSpanData';
import { efficiencyPanelTitles } from './efficiencyText';

export const EFFICIENCY_PANEL_ID = 'headroom-efficiency-panel';

/**
 * The waste summary's count units in the user's language (dollars and percentages are Grafana's own units). Units
 * only: a stat finds its field by the display name (`reduceOptions.fields`), so display names stay the frame's.
 */
function summaryUnits(): Record<string, FieldText> {
  const units = countUnits();
  return {
    [WASTE_FIELDS.allocated]: { unit: units.gpuHours },
    [WASTE_FIELDS.busy]: { unit: units.gpuHours },
    [WASTE_FIELDS.idle]: { unit: units.gpuHours },
    'Idle pods': { unit: units.pods },
    'Over-provisioned pods': { unit: units.pods },
    'Memory held while idle': { unit: units.pods },
  };
}

/**
 * A stat showing one field of a one-row frame of the answer (units come from the field), in one colour or coloured
 * by threshold steps.
 */
function stat(
  title: string,
  frame: string,
  field: string,
  description: string,
  color: string | Array<{ value: number; color: string }>,
  own: { data?: SceneDataProvider; fields?: Record<string, FieldText> } = {}
): VizPanel {
  const builder = PanelBuilders.stat();
  if (own.fields !== undefined) {
    const fields = own.fields;
    builder.setOverrides((overrides) => overrideFields(overrides, fields));
  }
  if (typeof color === 'string') {
    builder.setColor({ mode: FieldColorModeId.Fixed, fixedColor: color });
  } else {
    builder
      .setColor({ mode: FieldColorModeId.Thresholds })
      .setThresholds({ mode: ThresholdsMode.Absolute, steps: color });
  }
  return builder
    .setTitle(title)
    .setDescription(description)
    .setData(own.data ?? frameNamed(frame))
    .setOption('reduceOptions', {
      values: false,
      calcs: ['lastNotNull'],
      fields: `/^${field.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$/`,
    })
    .setOption('colorMode', BigValueColorMode.Value)
    .setOption('graphMode', BigValueGraphMode.None)
    .build();
}

export function buildWasteStats(): VizPanel[] {
  const summary = EFFICIENCY_FRAMES.wasteSummary;
  const titles = efficiencyPanelTitles();
  return [
    stat(
      titles.allocated,
      summary,
      WASTE_FIELDS.allocated,
      t(
        'efficiency.allocated.description',
        'GPU-hours held by pods in the time range (DCGM series with a pod label), MIG instances counted as GPUs.'
      ),
      'blue',
      { fields: summaryUnits() }
    ),
    stat(
      titles.busy,
      summary,
      WASTE_FIELDS.busy,
      t('efficiency.busy.description', 'Σ activity × time: GPU-hours of work actually done on the allocated GPUs.'),
      'green',
      { fields: summaryUnits() }
    ),
    stat(
      titles.wasted,
      summary,
      WASTE_FIELDS.wastedCost,
      t(
        'efficiency.wasted.description',
        'Allocated minus busy GPU-hours, priced per GPU model from the app configuration.'
      ),
      'red'
    ),
    stat(
      titles.idlePods,
      summary,
      'Idle pods',
      t(
        'efficiency.idle-pods.description',
        'Pods with at least 90 % of their samples in the last 6 hours of the range under 5 % activity.'
      ),
      'orange',
      { fields: summaryUnits() }
    ),
  ];
}

export function buildWasteTable(): VizPanel {
  return new VizPanel({
    pluginId: EFFICIENCY_PANEL_ID,
    title: efficiencyPanelTitles().waste,
    description: t(
      'efficiency.waste.description',
      'Allocated, busy and idle GPU-hours per pod (or namespace, GPU model: the Rows variable) and what the idle hours cost; sortable by every column, largest $ wasted first.'
    ),
    $data: frameNamed(EFFICIENCY_FRAMES.waste),
  });
}

export function buildMfuDistribution(): VizPanel {
  return new VizPanel({
    pluginId: EFFICIENCY_PANEL_ID,
    title: efficiencyPanelTitles().mfu,
    description: t(
      'efficiency.mfu.description',
      'Pods by their MFU estimate: DCGM tensor-pipe activity × SM clock / maximum SM clock. It reads above the model-FLOPs MFU (recomputation and padding count as work).'
    ),
    $data: efficiencyQueryRunner('mfu'),
  });
}

export function buildBudgetStats(): VizPanel[] {
  const budget = EFFICIENCY_FRAMES.budget;
  const titles = efficiencyPanelTitles();
  return [
    stat(
      titles.monthToDate,
      budget,
      'Month to date',
      t('efficiency.month-to-date.description', 'GPU spend since the month began (UTC), GPUs held each hour × price.'),
      'blue'
    ),
    stat(
      titles.projected,
      budget,
      'Projected month',
      t('efficiency.projected.description', 'The observed hourly rate carried over every hour of the month.'),
      'purple'
    ),
    // Green well under budget, orange near it, red over it.
    stat(
      titles.budgetShare,
      budget,
      'Projected share of budget',
      t(
        'efficiency.budget-share.description',
        'Projected month over the monthly budget of the app configuration; empty without a budget.'
      ),
      [
        { value: -Infinity, color: 'green' },
        { value: 0.9, color: 'orange' },
        { value: 1, color: 'red' },
      ]
    ),
  ];
}

/**
 * The share of spot GPUs interrupted per day in the page's range, beside the budget: what spot's discount costs in
 * restarts. Its own query (spot nodes from kube-state-metrics, not the burn query).
 */
export function buildSpotStat(): VizPanel {
  return stat(
    efficiencyPanelTitles().spot,
    EFFICIENCY_FRAMES.spot,
    SPOT_FIELDS.sharePerDay,
    t(
      'efficiency.spot.description',
      'GPUs of spot nodes (Karpenter, EKS, GKE or AKS spot label in kube-state-metrics) that disappeared in the range, per spot GPU-day. An upper bound: scale-in removes nodes the same way.'
    ),
    'orange',
    {
      data: efficiencyQueryRunner('spot'),
      // Over the frame's own `noValue` (English, the same for every viewer).
      fields: { [SPOT_FIELDS.sharePerDay]: { noValue: t('efficiency.spot.no-value', 'no spot nodes found') } },
    }
  );
}

/** A burn-up chart over the whole month (UTC) that holds the end of the page's range, whatever that range is. */
export function buildBurnChart(): VizPanel {
  return PanelBuilders.timeseries()
    .setTitle(efficiencyPanelTitles().burn)
    .setDescription(
      t(
        'efficiency.burn.description',
        'The whole month (UTC) that holds the end of the time range: GPU spend so far, the projection from now to the month’s end (it ends at the projected month), and the monthly budget of the app configuration.'
      )
    )
    .setData(new FrameSpanData({ frameName: EFFICIENCY_FRAMES.burn }))
    .setMin(0)
    .setCustomFieldConfig('fillOpacity', 10)
    .setCustomFieldConfig('showPoints', VisibilityMode.Never)
    .setOption('legend', { showLegend: true, displayMode: LegendDisplayMode.List, placement: 'bottom', calcs: [] })
    .setOverrides((overrides) => {
      overrides
        .matchFieldsWithName(BURN_FIELDS.spent)
        .overrideColor({ mode: FieldColorModeId.Fixed, fixedColor: 'blue' })
        // Early in the month the spend is small next to the month's scale: a thicker line keeps it visible.
        .overrideCustomFieldConfig('lineWidth', 3);
      overrides
        .matchFieldsWithName(BURN_FIELDS.projection)
        .overrideColor({ mode: FieldColorModeId.Fixed, fixedColor: 'purple' })
        .overrideCustomFieldConfig('lineStyle', { fill: 'dash', dash: [10, 10] })
        .overrideCustomFieldConfig('fillOpacity', 0);
      overrides
        .matchFieldsWithName(BURN_FIELDS.budget)
        .overrideColor({ mode: FieldColorModeId.Fixed, fixedColor: 'red' })
        .overrideCustomFieldConfig('fillOpacity', 0);
      overrideFields(overrides, {
        [BURN_FIELDS.spent]: { displayName: t('efficiency.burn.spent', 'Spent this month') },
        [BURN_FIELDS.projection]: { displayName: t('efficiency.burn.projection', 'Projected to month end') },
        [BURN_FIELDS.budget]: { displayName: t('efficiency.burn.budget', 'Monthly budget') },
      });
    })
    .build();
}
