import type { DataFrame } from '@grafana/data';

/** How many frames hold fields; frames with none carry no data worth describing. */
export function framesWithFields(frames: DataFrame[]): DataFrame[] {
  return frames.filter((frame) => frame.fields.length > 0);
}

/** A short human description of data a panel cannot draw, e.g. "2 data frames with fields Time, Capacity". */
export function describeFrames(frames: DataFrame[]): string {
  const withFields = framesWithFields(frames);
  const fieldNames = [...new Set(withFields.flatMap((frame) => frame.fields.map((field) => field.name)))];
  const count = withFields.length === 1 ? '1 data frame' : `${withFields.length} data frames`;
  return `${count} with fields ${fieldNames.join(', ')}`;
}
