/**
 * Grafana data frames from the plain frames of `frames/`, which the backend process shares and which cannot import
 * @grafana/data themselves.
 */
import { createDataFrame, DataFrameType, FieldType, type DataFrame, type QueryResultMeta } from '@grafana/data';

import type { Frame, FrameFieldType, FrameMeta } from '../frames/types';

/** The plain names are Grafana's own enum values; this table makes the compiler check that they still are. */
const FIELD_TYPES: Readonly<Record<FrameFieldType, FieldType>> = {
  time: FieldType.time,
  number: FieldType.number,
  string: FieldType.string,
  boolean: FieldType.boolean,
};

function queryResultMeta(meta: FrameMeta | undefined): QueryResultMeta | undefined {
  if (meta === undefined) {
    return undefined;
  }
  const { type, ...rest } = meta;
  return type === undefined ? rest : { ...rest, type: type as DataFrameType };
}

export function toDataFrame(frame: Frame): DataFrame {
  return createDataFrame({
    name: frame.name,
    refId: frame.refId,
    meta: queryResultMeta(frame.meta),
    fields: frame.fields.map((field) => ({ ...field, type: FIELD_TYPES[field.type] })),
  });
}
