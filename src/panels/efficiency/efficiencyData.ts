/**
 * Reads the Headroom efficiency frames a panel received: the waste table (any grouping) and the MFU distribution,
 * recognised by `meta.custom.headroom` so renamed or transformed frames still draw.
 */
import type { DataFrame, QueryResultMetaNotice } from '@grafana/data';
import { WASTE_FIELDS } from '../../datasource/efficiency/efficiencyFrames';
import { noticesInUserLanguage } from '../../datasource/wording/frameTexts';

export interface WasteRow {
  id: string;
  /** Key columns in order (Pod, Namespace, GPU model; or one of them). */
  keys: string[];
  allocatedGpuHours: number;
  busyGpuHours: number;
  idleGpuHours: number;
  meanActivityPercent?: number;
  allocatedCost?: number;
  wastedCost?: number;
  flags: string;
}

export interface WasteTableData {
  keyNames: string[];
  rows: WasteRow[];
}

export interface MfuDistribution {
  buckets: string[];
  pods: number[];
}

const kindOf = (frame: DataFrame) => (frame.meta?.custom as { headroom?: string } | undefined)?.headroom;

function numbers(frame: DataFrame, name: string): Array<number | undefined> | undefined {
  const field = frame.fields.find((f) => f.name === name);
  return field?.values.map((v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined));
}

export function readWasteTable(frames: DataFrame[]): WasteTableData | undefined {
  const frame = frames.find((f) => kindOf(f) === 'waste');
  if (!frame) {
    return undefined;
  }
  const keyFields = frame.fields.filter((f) => f.type === 'string' && f.name !== WASTE_FIELDS.flags);
  const allocated = numbers(frame, WASTE_FIELDS.allocated) ?? [];
  const busy = numbers(frame, WASTE_FIELDS.busy) ?? [];
  const idle = numbers(frame, WASTE_FIELDS.idle) ?? [];
  const mean = numbers(frame, WASTE_FIELDS.meanActivity);
  const allocatedCost = numbers(frame, WASTE_FIELDS.allocatedCost);
  const wastedCost = numbers(frame, WASTE_FIELDS.wastedCost);
  const flags = frame.fields.find((f) => f.name === WASTE_FIELDS.flags);
  const rows = Array.from({ length: frame.length }, (_, i): WasteRow => {
    const keys = keyFields.map((f) => String(f.values[i] ?? ''));
    return {
      id: `${i}:${keys.join('/')}`,
      keys,
      allocatedGpuHours: allocated[i] ?? 0,
      busyGpuHours: busy[i] ?? 0,
      idleGpuHours: idle[i] ?? 0,
      meanActivityPercent: mean?.[i],
      allocatedCost: allocatedCost?.[i],
      wastedCost: wastedCost?.[i],
      flags: String(flags?.values[i] ?? ''),
    };
  });
  return { keyNames: keyFields.map((f) => f.name), rows };
}

export function readMfuDistribution(frames: DataFrame[]): MfuDistribution | undefined {
  const frame = frames.find((f) => kindOf(f) === 'mfu-distribution');
  if (!frame || frame.fields.length < 2) {
    return undefined;
  }
  return {
    buckets: frame.fields[0].values.map(String),
    pods: frame.fields[1].values.map((v: unknown) => (typeof v === 'number' ? v : 0)),
  };
}

/** Warnings and notes attached to the efficiency frames, each once, in the user's language where they carry a code. */
export function efficiencyNotices(frames: DataFrame[]): QueryResultMetaNotice[] {
  const seen = new Set<string>();
  return frames
    .filter((f) => kindOf(f) !== undefined)
    .flatMap(noticesInUserLanguage)
    .filter((n) => !seen.has(n.text) && Boolean(seen.add(n.text)));
}
