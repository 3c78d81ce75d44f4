/**
 * A Grafana data frame as plain values: what the browser's `createDataFrame` (@grafana/data) takes and what the
 * backend encodes as Arrow. The strings are Grafana's own (`FieldType`, `DataFrameType`), so one builder serves
 * both, and @grafana/data (which needs a browser `window`) is never loaded in the backend process.
 */

/** Grafana's FieldType values this plugin's frames use. */
export type FrameFieldType = 'time' | 'number' | 'string' | 'boolean';

/** The part of Grafana's FieldConfig the frames set. */
export interface FrameFieldConfig {
  unit?: string;
  displayName?: string;
  decimals?: number;
  description?: string;
  /** What a panel shows where the value is missing, e.g. "not within horizon". */
  noValue?: string;
  /** Options of the panel that draws the field, e.g. a table's `wrapText`. */
  custom?: Record<string, unknown>;
}

export interface FrameField {
  name: string;
  type: FrameFieldType;
  /** `time`: milliseconds since 1970; `number`: finite numbers or `null` for a gap. */
  values: Array<number | string | boolean | null>;
  labels?: Record<string, string>;
  config?: FrameFieldConfig;
}

export interface FrameNotice {
  severity: 'info' | 'warning' | 'error';
  text: string;
}

/** The part of Grafana's QueryResultMeta the frames set. */
export interface FrameMeta {
  /** Grafana's DataFrameType, e.g. `timeseries-wide`. */
  type?: string;
  /** Grafana's PreferredVisualisationType. */
  preferredVisualisationType?: 'graph' | 'table' | 'logs' | 'trace' | 'nodeGraph' | 'flamegraph' | 'rawPrometheus';
  notices?: FrameNotice[];
  executedQueryString?: string;
  /** Headroom's own description of the frame, which its panels read (e.g. the forecast's model and accuracy). */
  custom?: Record<string, unknown>;
}

export interface Frame {
  name?: string;
  refId?: string;
  meta?: FrameMeta;
  fields: FrameField[];
}
