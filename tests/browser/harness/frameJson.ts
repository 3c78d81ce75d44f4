// A data frame as Grafana 12 writes it into the JSON of `POST /api/ds/query`, from the Arrow IPC file a backend plugin
// answered with. Grafana decodes the plugin's Arrow into the SDK's data.Frame (grafana-plugin-sdk-go
// backend/convert_from_protobuf.go, data/arrow.go UnmarshalArrowFrames) and writes that frame with data/frame_json.go
// (writeDataFrameSchema, writeDataFrameData) and its meta with the FrameMeta struct (data/frame_meta.go):
//  - schema: `name` and `refId` only when not empty, `meta` when the Arrow schema has one, then `fields`, each with
//    `name` (when not empty), `type` (time, number, string, boolean), `typeInfo: {frame, nullable?}` (the Go item
//    type: time.Time, float64, string, bool, …; `nullable: true` for a nullable Arrow field), `labels` and `config`
//    when the Arrow field's metadata has them;
//  - data: `values` one array per field, times as epoch milliseconds; NaN, +Inf and -Inf of a float field written as
//    null and listed under `entities` (`{NaN, Inf, NegInf}` of row indices; null for a field without any; the key only
//    when some field has one); sub-millisecond parts of times under `nanos` (per field the nanoseconds past the
//    millisecond of each row, null for a field without any; the key only when some time has one).
//  - meta goes through Go's FrameMeta: its keys only, in its order, `typeVersion` always ([0, 0] when unset).
// docs/grafana-compatibility.md, "Queries through Grafana's /api/ds/query".
import { DataType, tableFromIPC, TimeUnit, type Data, type Field, type Vector } from 'apache-arrow';

export interface FrameJson {
  schema: {
    name?: string;
    refId?: string;
    meta?: Record<string, unknown>;
    fields: Array<{
      name?: string;
      type?: string;
      typeInfo: { frame: string; nullable?: boolean };
      labels?: Record<string, string>;
      config?: Record<string, unknown>;
    }>;
  };
  data: {
    values: unknown[][];
    entities?: Array<{ NaN?: number[]; Inf?: number[]; NegInf?: number[] } | null>;
    nanos?: Array<number[] | null>;
  };
}

/** FrameMeta's JSON keys in the struct's order; `typeVersion` has no omitempty. */
const FRAME_META_KEYS = [
  'type',
  'typeVersion',
  'path',
  'pathSeparator',
  'custom',
  'stats',
  'notices',
  'channel',
  'preferredVisualisationType',
  'preferredVisualisationPluginId',
  'executedQueryString',
  'dataTopic',
  'uniqueRowIdFields',
];

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
}

function noticeSeverity(severity: unknown): string {
  if (severity === 'info' || severity === 'warning' || severity === 'error') {
    return severity;
  }
  throw new Error(`unrecognized notice severity ${JSON.stringify(severity)}`);
}

/** The meta as Go's FrameMeta writes it back: unknown keys dropped, empty omitempty ones left out. */
function frameMeta(raw: Record<string, unknown>): Record<string, unknown> {
  const meta: Record<string, unknown> = {};
  for (const key of FRAME_META_KEYS) {
    if (key === 'typeVersion') {
      meta.typeVersion = raw.typeVersion ?? [0, 0];
    } else if (key === 'notices' && Array.isArray(raw.notices) && raw.notices.length > 0) {
      // Notice: severity and text always, link and inspect when set. Go's NoticeSeverity.UnmarshalJSON refuses any
      // other severity ("unrecognized notice severity"), which fails the plugin's answer.
      meta.notices = (raw.notices as Array<Record<string, unknown>>).map((notice) => ({
        severity: noticeSeverity(notice.severity),
        text: notice.text ?? '',
        ...(notice.link ? { link: notice.link } : {}),
        ...(notice.inspect ? { inspect: notice.inspect } : {}),
      }));
    } else if (!isEmpty(raw[key])) {
      meta[key] = raw[key];
    }
  }
  return meta;
}

/** The SDK's field type for an Arrow type: the TypeScript name and Go's item type (data/arrow.go). */
function fieldTypes(type: DataType): { type?: string; frame: string } {
  if (DataType.isTimestamp(type)) {
    return { type: 'time', frame: 'time.Time' };
  }
  if (DataType.isFloat(type)) {
    return { type: 'number', frame: type.precision === 2 ? 'float64' : 'float32' };
  }
  if (DataType.isInt(type)) {
    return { type: 'number', frame: `${type.isSigned ? 'int' : 'uint'}${type.bitWidth}` };
  }
  if (DataType.isUtf8(type)) {
    return { type: 'string', frame: 'string' };
  }
  if (DataType.isBool(type)) {
    return { type: 'boolean', frame: 'bool' };
  }
  throw new Error(`Grafana's frame JSON has no type for Arrow ${String(type)}`);
}

const NANOS_PER_UNIT: Record<number, bigint> = {
  [TimeUnit.SECOND]: BigInt(1_000_000_000),
  [TimeUnit.MILLISECOND]: BigInt(1_000_000),
  [TimeUnit.MICROSECOND]: BigInt(1_000),
  [TimeUnit.NANOSECOND]: BigInt(1),
};
const NANOS_PER_MILLI = BigInt(1_000_000);

/** A time column as epoch milliseconds and the nanoseconds past each millisecond, read from the raw 64-bit values. */
function timeValues(vector: Vector, unit: TimeUnit): { values: Array<number | null>; nanos: number[] | null } {
  const factor = NANOS_PER_UNIT[unit];
  const values: Array<number | null> = [];
  const nanos: number[] = [];
  let anyNanos = false;
  for (const chunk of vector.data as Array<Data<DataType>>) {
    const raw = chunk.values as unknown as BigInt64Array;
    for (let i = 0; i < chunk.length; i++) {
      if (!chunk.getValid(i)) {
        values.push(null);
        nanos.push(0);
        continue;
      }
      const ns = BigInt(raw[chunk.offset + i]) * factor;
      const ms = ns / NANOS_PER_MILLI - (ns % NANOS_PER_MILLI < BigInt(0) ? BigInt(1) : BigInt(0));
      const rest = ns - ms * NANOS_PER_MILLI;
      values.push(Number(ms));
      nanos.push(Number(rest));
      anyNanos ||= rest !== BigInt(0);
    }
  }
  return { values, nanos: anyNanos ? nanos : null };
}

type Entities = { NaN?: number[]; Inf?: number[]; NegInf?: number[] };

function floatValues(vector: Vector): { values: Array<number | null>; entities: Entities | null } {
  const values: Array<number | null> = [];
  let entities: Entities | null = null;
  const add = (key: keyof Entities, row: number) => {
    entities ??= {};
    (entities[key] ??= []).push(row);
  };
  for (let i = 0; i < vector.length; i++) {
    const value = vector.isValid(i) ? (vector.get(i) as number) : null;
    if (value === null || Number.isFinite(value)) {
      values.push(value);
      continue;
    }
    values.push(null);
    add(Number.isNaN(value) ? 'NaN' : value > 0 ? 'Inf' : 'NegInf', i);
  }
  return { values, entities };
}

function parseJsonMetadata(field: { metadata: Map<string, string> }, key: string): Record<string, unknown> | undefined {
  const text = field.metadata.get(key);
  return text === undefined ? undefined : (JSON.parse(text) as Record<string, unknown>);
}

/** One Arrow IPC file of a DataResponse's `frames` as Grafana's frame JSON. */
export function arrowFrameToJson(bytes: Uint8Array): FrameJson {
  const table = tableFromIPC(bytes);
  const metadata = table.schema.metadata;
  const schema: FrameJson['schema'] = { fields: [] };
  const name = metadata.get('name') ?? '';
  const refId = metadata.get('refId') ?? '';
  if (name !== '') {
    schema.name = name;
  }
  if (refId !== '') {
    schema.refId = refId;
  }
  const meta = metadata.get('meta');
  if (meta !== undefined) {
    schema.meta = frameMeta(JSON.parse(meta) as Record<string, unknown>);
  }
  const values: unknown[][] = [];
  const entities: Array<Entities | null> = [];
  const nanos: Array<number[] | null> = [];
  table.schema.fields.forEach((field: Field, index: number) => {
    const types = fieldTypes(field.type);
    schema.fields.push({
      ...(field.name !== '' && { name: field.name }),
      ...(types.type && { type: types.type }),
      typeInfo: { frame: types.frame, ...(field.nullable && { nullable: true }) },
      ...(field.metadata.has('labels') && { labels: parseJsonMetadata(field, 'labels') as Record<string, string> }),
      ...(field.metadata.has('config') && { config: parseJsonMetadata(field, 'config') }),
    });
    const vector = table.getChildAt(index)!;
    entities.push(null);
    nanos.push(null);
    if (DataType.isTimestamp(field.type)) {
      const time = timeValues(vector, field.type.unit);
      values.push(time.values);
      nanos[index] = time.nanos;
    } else if (DataType.isFloat(field.type)) {
      const float = floatValues(vector);
      values.push(float.values);
      entities[index] = float.entities;
    } else {
      // 64-bit integers come out of Arrow as BigInt; Go writes them as JSON numbers.
      const value = (i: number): unknown => {
        const raw: unknown = vector.get(i);
        return typeof raw === 'bigint' ? Number(raw) : raw;
      };
      values.push(Array.from({ length: vector.length }, (_, i) => (vector.isValid(i) ? value(i) : null)));
    }
  });
  const data: FrameJson['data'] = { values };
  if (entities.some((entity) => entity !== null)) {
    data.entities = entities;
  }
  if (nanos.some((field) => field !== null)) {
    data.nanos = nanos;
  }
  return { schema, data };
}
