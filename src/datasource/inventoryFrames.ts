import { createDataFrame, DataFrameType, FieldType, type DataFrame, type QueryResultMeta } from '@grafana/data';

import type { InventoryResult } from '../prometheus/types';
import type { InventoryView } from './types';

/** Custom Grafana unit: renders `12 GPUs`. */
export const GPUS_UNIT = 'suffix: GPUs';

export interface InventoryFrameOptions {
  refId: string;
}

/** Grafana draws `null` as a gap; NaN (missing sample) and ±Inf are not counts, so they become gaps too. */
function countsOrGaps(values: number[]): Array<number | null> {
  return values.map((value) => (Number.isFinite(value) ? value : null));
}

function timeMilliseconds(timestampsSeconds: number[]): number[] {
  return timestampsSeconds.map((seconds) => seconds * 1000);
}

function countField(name: string, values: number[], labels?: Record<string, string>, displayName?: string) {
  return {
    name,
    type: FieldType.number,
    values: countsOrGaps(values),
    labels,
    config: displayName ? { unit: GPUS_UNIT, displayName } : { unit: GPUS_UNIT },
  };
}

/** One time field and several count fields per frame. */
const TIME_SERIES_META: QueryResultMeta = { type: DataFrameType.TimeSeriesWide };

function fleetFrames(result: InventoryResult, options: InventoryFrameOptions): DataFrame[] {
  const { fleet } = result;
  return [
    createDataFrame({
      name: 'Fleet',
      refId: options.refId,
      meta: TIME_SERIES_META,
      fields: [
        { name: 'Time', type: FieldType.time, values: timeMilliseconds(result.timestampsSeconds) },
        countField('Capacity', fleet.capacityGpus, undefined, 'Capacity'),
        countField('Allocated', fleet.allocatedGpus, undefined, 'Allocated'),
        countField('Busy', fleet.busyGpus, undefined, 'Busy'),
        countField('Free', fleet.freeGpus, undefined, 'Free'),
      ],
    }),
  ];
}

function byModelFrames(result: InventoryResult, options: InventoryFrameOptions): DataFrame[] {
  return result.byModel.map((model) => {
    const labels = { gpu_model: model.gpuModel };
    return createDataFrame({
      name: model.gpuModel,
      refId: options.refId,
      meta: TIME_SERIES_META,
      fields: [
        { name: 'Time', type: FieldType.time, values: timeMilliseconds(result.timestampsSeconds) },
        // A model without a capacity series still gets the field, all gaps, so every model frame has one shape.
        countField('Capacity', model.capacityGpus ?? result.timestampsSeconds.map(() => NaN), labels),
        countField('Allocated', model.allocatedGpus, labels),
        countField('Busy', model.busyGpus, labels),
      ],
    });
  });
}

function byNamespaceFrames(result: InventoryResult, options: InventoryFrameOptions): DataFrame[] {
  return result.byNamespace.map((entry) => {
    const labels = { namespace: entry.namespace };
    return createDataFrame({
      name: entry.namespace,
      refId: options.refId,
      meta: TIME_SERIES_META,
      fields: [
        { name: 'Time', type: FieldType.time, values: timeMilliseconds(result.timestampsSeconds) },
        countField('Allocated', entry.allocatedGpus, labels),
        countField('Busy', entry.busyGpus, labels),
      ],
    });
  });
}

function nodeFrames(result: InventoryResult, options: InventoryFrameOptions): DataFrame[] {
  const { nodes } = result;
  return [
    createDataFrame({
      name: 'Nodes',
      refId: options.refId,
      meta: { preferredVisualisationType: 'table' },
      fields: [
        { name: 'Node', type: FieldType.string, values: nodes.map((row) => row.node) },
        { name: 'GPU model', type: FieldType.string, values: nodes.map((row) => row.gpuModel) },
        countField(
          'Capacity',
          nodes.map((row) => row.capacityGpus)
        ),
        countField(
          'Allocated',
          nodes.map((row) => row.allocatedGpus)
        ),
        countField(
          'Busy',
          nodes.map((row) => row.busyGpus)
        ),
        countField(
          'Free',
          nodes.map((row) => row.capacityGpus - row.allocatedGpus)
        ),
      ],
    }),
  ];
}

/**
 * Turns one inventory result into the Grafana data frames of the requested view. The warnings and the PromQL that
 * was run ride on the first frame only, so a panel and the query inspector list each once however many groups there are.
 */
export function inventoryFrames(
  result: InventoryResult,
  view: InventoryView,
  options: InventoryFrameOptions
): DataFrame[] {
  const frames = framesOfView(result, view, options);
  // No group to show: an empty frame still carries the warnings that explain why.
  const [first, ...rest] = frames.length > 0 ? frames : [createDataFrame({ refId: options.refId, fields: [] })];
  const notices = result.warnings.map((text) => ({ severity: 'warning' as const, text }));
  return [{ ...first, meta: { ...first.meta, notices, executedQueryString: executedQueries(result) } }, ...rest];
}

/** Grafana's query inspector shows this text: every expression, named after the number it gives. */
function executedQueries(result: InventoryResult): string {
  return result.queries.map((query) => `# ${query.name} (${query.kind})\n${query.expr}`).join('\n\n');
}

function framesOfView(result: InventoryResult, view: InventoryView, options: InventoryFrameOptions): DataFrame[] {
  switch (view) {
    case 'fleet':
      return fleetFrames(result, options);
    case 'byModel':
      return byModelFrames(result, options);
    case 'byNamespace':
      return byNamespaceFrames(result, options);
    case 'nodes':
      return nodeFrames(result, options);
  }
}
