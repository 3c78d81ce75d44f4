import { PanelBuilders, VizPanel } from '@grafana/scenes';
import {
  BarGaugeDisplayMode,
  BigValueColorMode,
  BigValueGraphMode,
  FieldColorModeId,
  StackingMode,
  VizOrientation,
} from '@grafana/schema';
import { inventoryQueryRunner } from './inventoryQueries';

/** Grafana's custom-suffix unit: every number on the Overview is a count of GPUs. */
export const GPU_UNIT = 'suffix: GPUs';

/**
 * Busy is a sum of fractional GPU activity: one decimal. The other measures are whole GPUs except where MIG
 * slices count as fractions of a GPU, so they keep Grafana's automatic decimals ("21", "20.4").
 */
const BUSY_DECIMALS = 1;

type FleetField = 'Capacity' | 'Allocated' | 'Busy' | 'Free';

/** One colour per measure, the same in every panel. */
const FLEET_COLORS: Record<FleetField, string> = {
  Capacity: 'purple',
  Allocated: 'blue',
  Busy: 'green',
  Free: 'text',
};

function fixedColor(field: FleetField) {
  return { mode: FieldColorModeId.Fixed, fixedColor: FLEET_COLORS[field] };
}

/** A stat showing the latest value of one field of the fleet frame (data comes from the parent layout). */
function fleetStat(title: string, field: FleetField, description: string): VizPanel {
  return PanelBuilders.stat()
    .setTitle(title)
    .setDescription(description)
    .setUnit(GPU_UNIT)
    .setDecimals(field === 'Busy' ? BUSY_DECIMALS : undefined)
    .setColor(fixedColor(field))
    .setOption('reduceOptions', { values: false, calcs: ['lastNotNull'], fields: `/^${field}$/` })
    .setOption('colorMode', BigValueColorMode.None)
    .setOption('graphMode', BigValueGraphMode.Area)
    .build();
}

export function buildFleetStats(): VizPanel[] {
  return [
    fleetStat(
      'Total GPUs',
      'Capacity',
      'GPUs on the nodes in view: whole GPUs Kubernetes can allocate plus GPUs split into MIG instances.'
    ),
    fleetStat(
      'Allocated GPUs',
      'Allocated',
      'GPUs requested by running pods on the nodes in view; a MIG instance counts as its share of a GPU (3g = 3/7).'
    ),
    fleetStat('Busy GPUs', 'Busy', 'Sum of GPU activity (DCGM): 2.5 means the work of two and a half fully busy GPUs.'),
    fleetStat('Free GPUs', 'Free', 'Total minus allocated: GPUs no pod has requested.'),
  ];
}

export function buildFleetOverTime(): VizPanel {
  return PanelBuilders.timeseries()
    .setTitle('Fleet over time')
    .setDescription('Capacity, allocation and activity of the GPUs in view.')
    .setUnit(GPU_UNIT)
    .setMin(0)
    .setCustomFieldConfig('fillOpacity', 10)
    .setOverrides((overrides) => {
      for (const field of ['Capacity', 'Allocated', 'Busy'] as const) {
        overrides.matchFieldsWithName(field).overrideColor(fixedColor(field));
      }
      overrides.matchFieldsWithName('Busy').overrideDecimals(BUSY_DECIMALS);
      // Free is Capacity minus Allocated: drawn, it would only repeat the gap between those two lines.
      overrides.matchFieldsWithName('Free').overrideCustomFieldConfig('hideFrom', {
        viz: true,
        legend: true,
        tooltip: false,
      });
    })
    .build();
}

export function buildGpusByModel(): VizPanel {
  return PanelBuilders.bargauge()
    .setTitle('GPUs by model')
    .setDescription('Latest capacity, allocation and activity per GPU model.')
    .setData(inventoryQueryRunner('byModel'))
    .setUnit(GPU_UNIT)
    .setMin(0)
    .setDisplayName('${__field.labels.gpu_model} ${__field.name}')
    .setOption('reduceOptions', { values: false, calcs: ['lastNotNull'] })
    .setOption('orientation', VizOrientation.Horizontal)
    .setOption('displayMode', BarGaugeDisplayMode.Basic)
    .setOverrides((overrides) => {
      for (const field of ['Capacity', 'Allocated', 'Busy'] as const) {
        overrides.matchFieldsWithName(field).overrideColor(fixedColor(field));
      }
      overrides.matchFieldsWithName('Busy').overrideDecimals(BUSY_DECIMALS);
    })
    .build();
}

export function buildAllocatedByNamespace(): VizPanel {
  return PanelBuilders.timeseries()
    .setTitle('Allocated GPUs by namespace')
    .setDescription('GPUs requested by the pods of each namespace, stacked.')
    .setData(inventoryQueryRunner('byNamespace'))
    .setUnit(GPU_UNIT)
    .setMin(0)
    .setDisplayName('${__field.labels.namespace}')
    .setCustomFieldConfig('fillOpacity', 30)
    .setCustomFieldConfig('stacking', { mode: StackingMode.Normal, group: 'A' })
    .setOverrides((overrides) => {
      overrides.matchFieldsWithName('Busy').overrideCustomFieldConfig('hideFrom', {
        viz: true,
        legend: true,
        tooltip: true,
      });
    })
    .build();
}

export function buildNodesTable(): VizPanel {
  return PanelBuilders.table()
    .setTitle('Nodes')
    .setDescription('Latest capacity, allocation and activity of each node.')
    .setData(inventoryQueryRunner('nodes'))
    .setUnit(GPU_UNIT)
    .setOverrides((overrides) => {
      overrides.matchFieldsWithName('Busy').overrideDecimals(BUSY_DECIMALS);
    })
    .build();
}
