/**
 * OpenMetrics text from plain series, for tests that need hand-made Prometheus history
 * (`promtool tsdb create-blocks-from openmetrics` reads it; timestamps are in seconds).
 */

export interface PlainSeries {
  name: string;
  labels?: Record<string, string>;
  /** [unix seconds, value]; NaN and ±Infinity are written as OpenMetrics spells them. */
  samples: Array<[number, number]>;
}

export function toOpenMetrics(series: PlainSeries[]): string {
  // OpenMetrics wants each metric family in one contiguous block.
  const byName = new Map<string, PlainSeries[]>();
  for (const s of series) {
    byName.set(s.name, [...(byName.get(s.name) ?? []), s]);
  }
  const lines: string[] = [];
  for (const [name, members] of byName) {
    lines.push(`# TYPE ${name} gauge`);
    for (const member of members) {
      const labels = formatLabels(member.labels ?? {});
      const samples = [...member.samples].sort((a, b) => a[0] - b[0]);
      for (const [tSeconds, value] of samples) {
        lines.push(`${name}${labels} ${formatValue(value)} ${tSeconds}`);
      }
    }
  }
  lines.push('# EOF');
  return `${lines.join('\n')}\n`;
}

/** Samples of a value that holds from `startSeconds` to `endSeconds` inclusive, every `stepSeconds`. */
export function constantSamples(
  value: number,
  startSeconds: number,
  endSeconds: number,
  stepSeconds: number
): Array<[number, number]> {
  const samples: Array<[number, number]> = [];
  for (let t = startSeconds; t <= endSeconds; t += stepSeconds) {
    samples.push([t, value]);
  }
  return samples;
}

function formatLabels(labels: Record<string, string>): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) {
    return '';
  }
  const body = entries.map(([k, v]) => `${k}="${escapeLabelValue(v)}"`).join(',');
  return `{${body}}`;
}

/** OpenMetrics escapes exactly backslash, double quote and line feed in label values. */
function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) {
    return 'NaN';
  }
  if (value === Infinity) {
    return '+Inf';
  }
  if (value === -Infinity) {
    return '-Inf';
  }
  return String(value);
}
