/**
 * The harness's Arrow → frame JSON against the JSON grafana-plugin-sdk-go writes (data/frame_json.go, quoted in
 * frameJson.ts); the Arrow files are made here by hand with apache-arrow, not by Headroom's encoder, and every expected
 * value is written out from the SDK's rules.
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
import { dataFrameFromJSON, FieldType, type DataFrameJSON } from '@grafana/data';

import { dataResponseJson } from './dsQuery';
import { arrowFrameToJson } from './frameJson';

function arrowFile(fields: Array<{ field: Field; data: Data }>, metadata: Record<string, string>): Uint8Array {
  const schema = new Schema(
    fields.map((f) => f.field),
    new Map(Object.entries(metadata))
  );
  const length = fields[0].data.length;
  const batch = new RecordBatch(
    schema,
    makeData({ type: new Struct(schema.fields), length, nullCount: 0, children: fields.map((f) => f.data) })
  );
  return tableToIPC(new Table(schema, [batch]), 'file');
}

function column(name: string, type: DataType, values: unknown[], nullable: boolean, metadata: Record<string, string> = {}) {
  return { field: new Field(name, type, nullable, new Map(Object.entries(metadata))), data: vectorFromArray(values, type).data[0] };
}

/** Nanosecond timestamps with a validity bitmap: row 1 missing. */
function times(values: Array<bigint | null>) {
  const nullBitmap = new Uint8Array([values.reduce((bits, v, i) => (v === null ? bits : bits | (1 << i)), 0)]);
  const data = makeData({
    type: new TimestampNanosecond(),
    length: values.length,
    nullCount: values.filter((v) => v === null).length,
    nullBitmap,
    data: BigInt64Array.from(values, (v) => v ?? BigInt(0)),
  });
  return { field: new Field('time', new TimestampNanosecond(), true, new Map()), data };
}

describe('arrowFrameToJson', () => {
  const bytes = arrowFile(
    [
      // 2023-11-14T22:13:20.000Z, missing, 2023-11-14T22:13:20.001000250Z (250 ns past the millisecond).
      times([BigInt('1700000000000000000'), null, BigInt('1700000000001000250')]),
      column('GPUs', new Float64(), [1.5, null, Number.NaN], true, {
        labels: '{"namespace":"ml","cluster":"a"}',
        config: '{"unit":"short","displayName":"Allocated"}',
      }),
      column('ratio', new Float64(), [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0.25], false),
      column('node', new Utf8(), ['n1', 'n2', 'n3'], false),
      column('mig', new Bool(), [true, false, true], false),
    ],
    {
      name: 'Fleet',
      refId: 'A',
      meta: '{"notices":[{"severity":"warning","text":"estimated"}],"executedQueryString":"sum(x)","headroomOnly":1}',
    }
  );

  it("writes Grafana's schema: names, types, typeInfo with nullable, labels, config, and meta through FrameMeta", () => {
    expect(arrowFrameToJson(bytes).schema).toEqual({
      name: 'Fleet',
      refId: 'A',
      // typeVersion always; a key FrameMeta does not have is dropped.
      meta: {
        typeVersion: [0, 0],
        notices: [{ severity: 'warning', text: 'estimated' }],
        executedQueryString: 'sum(x)',
      },
      fields: [
        { name: 'time', type: 'time', typeInfo: { frame: 'time.Time', nullable: true } },
        {
          name: 'GPUs',
          type: 'number',
          typeInfo: { frame: 'float64', nullable: true },
          labels: { namespace: 'ml', cluster: 'a' },
          config: { unit: 'short', displayName: 'Allocated' },
        },
        { name: 'ratio', type: 'number', typeInfo: { frame: 'float64' } },
        { name: 'node', type: 'string', typeInfo: { frame: 'string' } },
        { name: 'mig', type: 'boolean', typeInfo: { frame: 'bool' } },
      ],
    });
  });

  it('writes values with times in milliseconds, NaN and infinities as null listed in entities, and nanos', () => {
    expect(arrowFrameToJson(bytes).data).toEqual({
      values: [
        [1700000000000, null, 1700000000001],
        [1.5, null, null],
        [null, null, 0.25],
        ['n1', 'n2', 'n3'],
        [true, false, true],
      ],
      entities: [null, { NaN: [2] }, { Inf: [0], NegInf: [1] }, null, null],
      nanos: [[0, 0, 250], null, null, null, null],
    });
  });

  it('leaves out name, refId, meta, entities and nanos when there are none', () => {
    const plain = arrowFile([column('v', new Float64(), [1, 2], false)], { name: '', refId: '' });
    expect(arrowFrameToJson(plain)).toEqual({
      schema: { fields: [{ name: 'v', type: 'number', typeInfo: { frame: 'float64' } }] },
      data: { values: [[1, 2]] },
    });
  });

  it("reads back in Grafana's browser code as the values Arrow held (dataFrameFromJSON restores the entities)", () => {
    // Go may leave a field's name out; @grafana/data's type says it is always there.
    const frame = dataFrameFromJSON(arrowFrameToJson(bytes) as unknown as DataFrameJSON);
    expect(frame.fields.map((f) => f.type)).toEqual([
      FieldType.time,
      FieldType.number,
      FieldType.number,
      FieldType.string,
      FieldType.boolean,
    ]);
    expect(frame.fields[1].values).toEqual([1.5, null, Number.NaN]);
    expect(frame.fields[2].values).toEqual([Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0.25]);
    expect(frame.fields[1].labels).toEqual({ namespace: 'ml', cluster: 'a' });
  });
});

describe('dataResponseJson', () => {
  it('writes error, errorSource and status for an error, with empty frames (backend/json.go)', () => {
    expect(dataResponseJson({ frames: [], error: 'too little history', status: 400, errorSource: 'plugin' })).toEqual({
      error: 'too little history',
      errorSource: 'plugin',
      status: 400,
      frames: [],
    });
    // No valid status with an error: 500 (statusFromError's default); none without one: 200.
    expect(dataResponseJson({ frames: [], error: 'boom', status: 0, errorSource: '' }).status).toBe(500);
    expect(dataResponseJson({ frames: [], error: '', status: 0, errorSource: '' })).toEqual({ status: 200, frames: [] });
  });
});
