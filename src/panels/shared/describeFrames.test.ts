import { FieldType, createDataFrame } from '@grafana/data';
import { describeFrames, framesWithFields } from './describeFrames';

const fleet = createDataFrame({
  fields: [
    { name: 'Time', type: FieldType.time, values: [1] },
    { name: 'Capacity', type: FieldType.number, values: [8] },
  ],
});
const byModel = createDataFrame({
  fields: [
    { name: 'Time', type: FieldType.time, values: [1] },
    { name: 'Allocated', type: FieldType.number, values: [4] },
  ],
});
const empty = createDataFrame({ fields: [] });

describe('framesWithFields', () => {
  it('drops frames that have no fields', () => {
    expect(framesWithFields([empty, fleet])).toEqual([fleet]);
  });
});

describe('describeFrames', () => {
  it('names one frame and its fields', () => {
    expect(describeFrames([fleet])).toBe('1 data frame with fields Time, Capacity');
  });

  it('counts frames and lists each field name once', () => {
    expect(describeFrames([fleet, byModel, empty])).toBe('2 data frames with fields Time, Capacity, Allocated');
  });
});
