/** @jest-environment node */
import { tableFromIPC } from 'apache-arrow';

import type { Frame } from '../frames/types';
import { encodeFrame } from './arrowFrames';

/**
 * Read back with apache-arrow's own reader; the Go test (tests/backend) reads the same bytes with the SDK's
 * `data.UnmarshalArrowFrames`, which is what Grafana uses.
 */
describe('encodeFrame', () => {
  const frame: Frame = {
    name: 'Fleet',
    refId: 'A',
    meta: { type: 'timeseries-wide', notices: [{ severity: 'warning', text: 'w' }], executedQueryString: 'up' },
    fields: [
      { name: 'Time', type: 'time', values: [1_700_000_000_000, 1_700_000_060_000] },
      {
        name: 'Capacity',
        type: 'number',
        values: [16, null],
        labels: { gpu_model: 'H100' },
        config: { unit: 'suffix: GPUs' },
      },
      { name: 'Node', type: 'string', values: ['a', 'b'] },
    ],
  };
  const table = tableFromIPC(encodeFrame(frame));

  test('is an Arrow IPC file: starts and ends with the magic ARROW1', () => {
    const bytes = encodeFrame(frame);
    const magic = Buffer.from('ARROW1');
    expect(Buffer.from(bytes.subarray(0, 6))).toEqual(magic);
    expect(Buffer.from(bytes.subarray(bytes.length - 6))).toEqual(magic);
  });

  test("schema metadata: the frame's name, refId and meta as JSON", () => {
    expect(table.schema.metadata.get('name')).toBe('Fleet');
    expect(table.schema.metadata.get('refId')).toBe('A');
    expect(JSON.parse(table.schema.metadata.get('meta') ?? '')).toEqual(frame.meta);
  });

  test('field metadata: labels and config as JSON, the TypeScript type as tstype', () => {
    const capacity = table.schema.fields[1];
    expect(capacity.name).toBe('Capacity');
    expect(capacity.nullable).toBe(true);
    expect(JSON.parse(capacity.metadata.get('labels') ?? '')).toEqual({ gpu_model: 'H100' });
    expect(JSON.parse(capacity.metadata.get('config') ?? '')).toEqual({ unit: 'suffix: GPUs' });
    expect(table.schema.fields.map((field) => field.metadata.get('tstype'))).toEqual(['time', 'number', 'string']);
  });

  test('values: times in nanoseconds, gaps as nulls, strings as UTF-8', () => {
    // 1.7e12 ms × 1e6 = 1.7e18 ns, beyond 2^53: read as BigInt to check every digit.
    const times = table.getChildAt(0)?.data[0].values as BigInt64Array;
    expect([...times]).toEqual([BigInt('1700000000000000000'), BigInt('1700000060000000000')]);
    expect(table.getChildAt(1)?.toArray()[0]).toBe(16);
    expect(table.getChildAt(1)?.get(1)).toBeNull();
    expect([...(table.getChildAt(2)?.toArray() ?? [])]).toEqual(['a', 'b']);
  });

  test('a missing time (a crossing not within the horizon) is a null in a nullable timestamp field', () => {
    const crossings = tableFromIPC(
      encodeFrame({
        name: 'Exhaustion',
        fields: [{ name: 'Exceeds capacity at', type: 'time', values: [null, 1_700_000_000_000, null] }],
      })
    );
    const column = crossings.getChildAt(0)!;
    expect(crossings.schema.fields[0].nullable).toBe(true);
    expect([column.get(0), column.get(2)]).toEqual([null, null]);
    expect((column.data[0].values as BigInt64Array)[1]).toBe(BigInt('1700000000000000000'));
  });

  test('a frame without fields (warnings only) still encodes', () => {
    const empty = tableFromIPC(encodeFrame({ refId: 'B', fields: [], meta: { notices: [] } }));
    expect(empty.schema.metadata.get('refId')).toBe('B');
    expect(empty.numCols).toBe(0);
  });
});
