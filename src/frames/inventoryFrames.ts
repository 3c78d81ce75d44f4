/**
 * The data frames of an inventory result, one set per view: used by the browser data source (through
 * `createDataFrame`) and by the backend process (through Arrow), so both answer the same frames.
 */
import type { InventoryResult } from '../prometheus/types';
import { splitNotices, withTexts } from './frameTexts';
import type { Frame, FrameField, FrameMeta } from './types';

/** Custom Grafana unit: renders `12 GPUs`. */
export const GPUS_UNIT = 'suffix: GPUs';

/** Which slice of the fleet inventory a query returns. */
export type InventoryView = 'fleet' | 'byModel' | 'byNamespace' | 'nodes';

export interface InventoryFrameOptions {
  refId: string;
}

/** Grafana draws `null` as a gap; NaN (missing sample) and ±Inf are not counts, so they become gaps too. */
function countsOrGaps(values: number[]): Array<number | null> {
  return values.map((value) => (Number.isFinite(value) ? value : null));
}

function timeField(timestampsSeconds: number[]): FrameField {
  return { name: 'Time', type: 'time', values: timestampsSeconds.map((seconds) => seconds * 1000) };
}

function countField(name: string, values: number[], labels?: Record<string, string>, displayName?: string): FrameField {
  return {
    name,
    type: 'number',
    values: countsOrGaps(values),
    labels,
    config: displayName ? { unit: GPUS_UNIT, displayName } : { unit: GPUS_UNIT },
  };
}

/** One time field and several count fields per frame (Grafana's DataFrameType.TimeSeriesWide). */
const TIME_SERIES_META: FrameMeta = { type: 'timeseries-wide' };

function fleetFrames(result: InventoryResult, options: InventoryFrameOptions): Frame[] {
  const { fleet } = result;
  return [
    {
      name: 'Fleet',
      refId: options.refId,
      meta: TIME_SERIES_META,
      fields: [
        timeField(result.timestampsSeconds),
        countField('Capacity', fleet.capacityGpus, undefined, 'Capacity'),
        countField('Allocated', fleet.allocatedGpus, undefined, 'Allocated'),
        countField('Busy', fleet.busyGpus, undefined, 'Busy'),
        countField('Free', fleet.freeGpus, undefined, 'Free'),
      ],
    },
  ];
}

function byModelFrames(result: InventoryResult, options: InventoryFrameOptions): Frame[] {
  return result.byModel.map((model) => {
    const labels = { gpu_model: model.gpuModel };
    return {
      name: model.gpuModel,
      refId: options.refId,
      meta: TIME_SERIES_META,
      fields: [
        timeField(result.timestampsSeconds),
        // A model without a capacity series still gets the field, all gaps, so every model frame has one shape.
        countField('Capacity', model.capacityGpus ?? result.timestampsSeconds.map(() => NaN), labels),
        countField('Allocated', model.allocatedGpus, labels),
        countField('Busy', model.busyGpus, labels),
      ],
    };
  });
}

function byNamespaceFrames(result: InventoryResult, options: InventoryFrameOptions): Frame[] {
  return result.byNamespace.map((entry) => {
    const labels = { namespace: entry.namespace };
    return {
      name: entry.namespace,
      refId: options.refId,
      meta: TIME_SERIES_META,
      fields: [
        timeField(result.timestampsSeconds),
        countField('Allocated', entry.allocatedGpus, labels),
        countField('Busy', entry.busyGpus, labels),
      ],
    };
  });
}

function nodeFrames(result: InventoryResult, options: InventoryFrameOptions): Frame[] {
  const { nodes } = result;
  return [
    {
      name: 'Nodes',
      refId: options.refId,
      meta: { preferredVisualisationType: 'table' },
      fields: [
        { name: 'Node', type: 'string', values: nodes.map((row) => row.node) },
        { name: 'GPU model', type: 'string', values: nodes.map((row) => row.gpuModel) },
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
    },
  ];
}

/**
 * Turns one inventory result into the data frames of the requested view. The warnings and the PromQL that was run
 * ride on the first frame only, so a panel and the query inspector list each once however many groups there are.
 */
export function inventoryFrames(result: InventoryResult, view: InventoryView, options: InventoryFrameOptions): Frame[] {
  const frames = framesOfView(result, view, options);
  // No group to show: an empty frame still carries the warnings that explain why.
  const [first, ...rest] = frames.length > 0 ? frames : [{ refId: options.refId, fields: [] }];
  const { notices, texts } = splitNotices(
    result.warnings.map((text, i) => ({
      severity: 'warning' as const,
      text,
      code: result.warningCodes[i] ?? undefined,
    }))
  );
  const withNotices = { ...first, meta: { ...first.meta, notices, executedQueryString: executedQueries(result) } };
  return [Object.keys(texts).length > 0 ? withTexts(withNotices, { notices: texts }) : withNotices, ...rest];
}

/** Grafana's query inspector shows this text: every expression, named after the number it gives. */
function executedQueries(result: InventoryResult): string {
  return result.queries.map((query) => `# ${query.name} (${query.kind})\n${query.expr}`).join('\n\n');
}

function framesOfView(result: InventoryResult, view: InventoryView, options: InventoryFrameOptions): Frame[] {
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
