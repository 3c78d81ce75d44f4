import { FieldType } from '@grafana/data';
import { t } from '@grafana/i18n';
import { PanelBuilders, VizPanel, type FieldConfigOverridesBuilder } from '@grafana/scenes';
import {
  BarGaugeDisplayMode,
  BigValueColorMode,
  BigValueGraphMode,
  FieldColorModeId,
  StackingMode,
  VizOrientation,
} from '@grafana/schema';
import { countUnits } from '../shared/fieldText';
import { inventoryData } from './inventoryQueries';

/**
 * Every number of the inventory frames is a count of GPUs. The frames carry the English unit, which wins over a
 * panel's default, so the unit in the user's language is an override (docs/i18n.md).
 */
function countsInGpus<T>(overrides: FieldConfigOverridesBuilder<T>) {
  overrides.matchFieldsByType(FieldType.number).overrideUnit(countUnits().gpus);
}

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

/** The measures' names as the user reads them; the frames keep the English field names the overrides match. */
function fleetFieldLabel(field: FleetField): string {
  switch (field) {
    case 'Capacity':
      return t('overview.fields.capacity', 'Capacity');
    case 'Allocated':
      return t('overview.fields.allocated', 'Allocated');
    case 'Busy':
      return t('overview.fields.busy', 'Busy');
    case 'Free':
      return t('overview.fields.free', 'Free');
  }
}

const FLEET_FIELDS: FleetField[] = ['Capacity', 'Allocated', 'Busy', 'Free'];

/** A stat showing the latest value of one field of the fleet frame (data comes from the parent layout). */
function fleetStat(title: string, field: FleetField, description: string): VizPanel {
  return PanelBuilders.stat()
    .setTitle(title)
    .setDescription(description)
    .setDecimals(field === 'Busy' ? BUSY_DECIMALS : undefined)
    .setColor(fixedColor(field))
    .setOption('reduceOptions', { values: false, calcs: ['lastNotNull'], fields: `/^${field}$/` })
    .setOption('colorMode', BigValueColorMode.None)
    .setOption('graphMode', BigValueGraphMode.Area)
    .setOverrides(countsInGpus)
    .build();
}

export function buildFleetStats(): VizPanel[] {
  return [
    fleetStat(
      t('overview.stats.total.title', 'Total GPUs'),
      'Capacity',
      t(
        'overview.stats.total.description',
        'GPUs on the nodes in view: whole GPUs Kubernetes can allocate plus GPUs split into MIG instances.'
      )
    ),
    fleetStat(
      t('overview.stats.allocated.title', 'Allocated GPUs'),
      'Allocated',
      t(
        'overview.stats.allocated.description',
        'GPUs requested by running pods on the nodes in view; a MIG instance counts as its share of a GPU (3g = 3/7).'
      )
    ),
    fleetStat(
      t('overview.stats.busy.title', 'Busy GPUs'),
      'Busy',
      t(
        'overview.stats.busy.description',
        'Sum of GPU activity (DCGM): 2.5 means the work of two and a half fully busy GPUs.'
      )
    ),
    fleetStat(
      t('overview.stats.free.title', 'Free GPUs'),
      'Free',
      t('overview.stats.free.description', 'Total minus allocated: GPUs no pod has requested.')
    ),
  ];
}

export function buildFleetOverTime(): VizPanel {
  return PanelBuilders.timeseries()
    .setTitle(t('overview.fleet-over-time.title', 'Fleet over time'))
    .setDescription(t('overview.fleet-over-time.description', 'Capacity, allocation and activity of the GPUs in view.'))
    .setMin(0)
    .setCustomFieldConfig('fillOpacity', 10)
    .setOverrides((overrides) => {
      countsInGpus(overrides);
      for (const field of ['Capacity', 'Allocated', 'Busy'] as const) {
        overrides.matchFieldsWithName(field).overrideColor(fixedColor(field));
      }
      for (const field of FLEET_FIELDS) {
        overrides.matchFieldsWithName(field).overrideDisplayName(fleetFieldLabel(field));
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
    .setTitle(t('overview.by-model.title', 'GPUs by model'))
    .setDescription(t('overview.by-model.description', 'Latest capacity, allocation and activity per GPU model.'))
    .setData(inventoryData('byModel'))
    .setMin(0)
    .setDisplayName('${__field.labels.gpu_model} ${__field.name}')
    .setOption('reduceOptions', { values: false, calcs: ['lastNotNull'] })
    .setOption('orientation', VizOrientation.Horizontal)
    .setOption('displayMode', BarGaugeDisplayMode.Basic)
    .setOverrides((overrides) => {
      countsInGpus(overrides);
      for (const field of ['Capacity', 'Allocated', 'Busy'] as const) {
        overrides.matchFieldsWithName(field).overrideColor(fixedColor(field));
      }
      for (const field of FLEET_FIELDS) {
        overrides
          .matchFieldsWithName(field)
          .overrideDisplayName(`\${__field.labels.gpu_model} ${fleetFieldLabel(field)}`);
      }
      overrides.matchFieldsWithName('Busy').overrideDecimals(BUSY_DECIMALS);
    })
    .build();
}

export function buildAllocatedByNamespace(): VizPanel {
  return PanelBuilders.timeseries()
    .setTitle(t('overview.by-namespace.title', 'Allocated GPUs by namespace'))
    .setDescription(t('overview.by-namespace.description', 'GPUs requested by the pods of each namespace, stacked.'))
    .setData(inventoryData('byNamespace'))
    .setMin(0)
    .setDisplayName('${__field.labels.namespace}')
    .setCustomFieldConfig('fillOpacity', 30)
    .setCustomFieldConfig('stacking', { mode: StackingMode.Normal, group: 'A' })
    .setOverrides((overrides) => {
      countsInGpus(overrides);
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
    .setTitle(t('overview.nodes.title', 'Nodes'))
    .setDescription(t('overview.nodes.description', 'Latest capacity, allocation and activity of each node.'))
    .setData(inventoryData('nodes'))
    .setOverrides((overrides) => {
      countsInGpus(overrides);
      overrides.matchFieldsWithName('Node').overrideDisplayName(t('overview.fields.node', 'Node'));
      overrides.matchFieldsWithName('GPU model').overrideDisplayName(t('overview.fields.gpu-model', 'GPU model'));
      for (const field of FLEET_FIELDS) {
        overrides.matchFieldsWithName(field).overrideDisplayName(fleetFieldLabel(field));
      }
      overrides.matchFieldsWithName('Busy').overrideDecimals(BUSY_DECIMALS);
    })
    .build();
}
