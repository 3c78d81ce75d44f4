/**
 * Data frames as Grafana's backend sends them: one Arrow IPC *file* per frame (grafana-plugin-sdk-go's
 * `data.UnmarshalArrowFrame` opens it with Arrow's file reader), the frame's name, refId and meta as JSON on the
 * schema's metadata, and each field's labels, config and TypeScript type on the field's metadata (the keys of the
 * SDK's data/arrow.go; docs/grafana-compatibility.md, "Backend").
 */
import {
  Bool,
  Field,
  Float64,
  makeData,
  RecordBatch,
  Schema,
  Struct,
  Table,
  tableToIPC,
  TimestampNanosecond,
  Utf8,
  vectorFromArray,
  type Data,
  type DataType,
} from 'apache-arrow';

import type { Frame, FrameField, FrameFieldType } from '../frames/types';

const NANOSECONDS_PER_MILLISECOND = BigInt(1_000_000);

/** Arrow type per Grafana type; times are nanoseconds without a time zone, as the SDK writes `time.Time`. */
function arrowType(type: FrameFieldType): DataType {
  switch (type) {
    case 'time':
      return new TimestampNanosecond();
    case 'number':
      return new Float64();
    case 'string':
      return new Utf8();
    case 'boolean':
      return new Bool();
  }
}

/** Numbers may hold gaps (`null`): those fields are nullable, the others are not (the SDK reads `[]*float64`). */
function isNullable(field: FrameField): boolean {
  return field.values.some((value) => value === null);
}

function fieldMetadata(field: FrameField): Map<string, string> {
  const metadata = new Map<string, string>([['tstype', field.type]]);
  if (field.labels !== undefined) {
    metadata.set('labels', JSON.stringify(field.labels));
  }
  if (field.config !== undefined) {
    metadata.set('config', JSON.stringify(field.config));
  }
  return metadata;
}

/** Arrow's validity bitmap: bit i set when value i is present. */
function validityBitmap(values: FrameField['values']): { nullBitmap: Uint8Array; nullCount: number } {
  const nullBitmap = new Uint8Array(Math.ceil(values.length / 8));
  let nullCount = 0;
  values.forEach((value, i) => {
    if (value === null) {
      nullCount++;
    } else {
      nullBitmap[i >> 3] |= 1 << (i & 7);
    }
  });
  return { nullBitmap, nullCount };
}

function columnData(field: FrameField, type: DataType): Data {
  if (field.type === 'time') {
    // Milliseconds are whole numbers here; BigInt keeps the nanoseconds exact beyond 2^53. A missing time (a crossing
    // not within the horizon) is a gap, as the SDK's `[]*time.Time` holds it.
    const nanoseconds = BigInt64Array.from(field.values, (value) => {
      if (value === null) {
        return BigInt(0);
      }
      if (typeof value !== 'number' || !Number.isInteger(value)) {
        throw new Error(`Field ${field.name}: a time must be whole milliseconds, got ${String(value)}`);
      }
      return BigInt(value) * NANOSECONDS_PER_MILLISECOND;
    });
    return makeData({
      type: type as TimestampNanosecond,
      length: nanoseconds.length,
      data: nanoseconds,
      ...validityBitmap(field.values),
    });
  }
  return vectorFromArray(field.values, type).data[0];
}

function schemaMetadata(frame: Frame): Map<string, string> {
  const metadata = new Map<string, string>([
    ['name', frame.name ?? ''],
    ['refId', frame.refId ?? ''],
  ]);
  if (frame.meta !== undefined) {
    metadata.set('meta', JSON.stringify(frame.meta));
  }
  return metadata;
}

/** One frame as the bytes of an Arrow IPC file, ready for `DataResponse.frames`. */
export function encodeFrame(frame: Frame): Uint8Array {
  const arrowFields = frame.fields.map(
    (field) => new Field(field.name, arrowType(field.type), isNullable(field), fieldMetadata(field))
  );
  const schema = new Schema(arrowFields, schemaMetadata(frame));
  const columns = frame.fields.map((field, index) => columnData(field, arrowFields[index].type));
  const length = frame.fields.length > 0 ? frame.fields[0].values.length : 0;
  const batch = new RecordBatch(
    schema,
    makeData({ type: new Struct(arrowFields), length, nullCount: 0, children: columns })
  );
  return tableToIPC(new Table(schema, [batch]), 'file');
}
