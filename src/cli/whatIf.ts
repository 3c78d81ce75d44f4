/**
 * `--what-if start=<ISO>,end=<ISO>,multiplier=<x>[,name=<text>]` of `headroom capacity`: launch events read from the
 * flag, and the baseline and scenario plans printed side by side (engine/capacity/whatIf.ts).
 */
import {
  CapacityInputError,
  parseLaunchEvents,
  type LaunchEvent,
  type PlanTotals,
  type WhatIfResult,
} from '../engine/capacity';
import { isoSeconds, UsageError } from './args';

const HOUR_SECONDS = 3600;
export { WHAT_IF_FORMAT } from '../engine/capacity';
/** One event per flag value (engine/capacity/whatIfText.ts, the parser the Forecast page's URL uses too). */
export function parseWhatIf(values: readonly string[] | undefined): LaunchEvent[] {
  try {
    return parseLaunchEvents(values ?? []);
  } catch (error) {
    throw error instanceof CapacityInputError ? new UsageError(`--what-if ${error.message}`) : error;
  }
}

/**
 * The comparison as text: totals side by side, the hours whose GPUs needed change, and the scenario's scale-out
 * schedule.
 */
export function formatWhatIf(result: WhatIfResult, unit: string): string[] {
  const { baseline, scenario, difference } = result;
  const lines = [
    'What-if: ' +
      scenario.events
        .map((e) => `${e.name} ×${e.multiplier} ${isoSeconds(e.startSeconds)} – ${isoSeconds(e.endSeconds)}`)
        .join('; '),
  ];
  const rows: Array<[string, (t: PlanTotals) => string | undefined, string | undefined]> = [
    ['peak GPUs needed', (t) => num(t.peakGpus), num(difference.peakGpus, true)],
    ['GPU-hours', (t) => num(t.gpuHours), num(difference.gpuHours, true)],
    ['cost of the mix', (t) => num(t.cost), num(difference.cost, true)],
    [
      'capacity exceeded',
      (t) => (t.exhaustionSeconds === undefined ? 'no' : isoSeconds(t.exhaustionSeconds)),
      difference.exhaustionEarlierSeconds === undefined
        ? undefined
        : `${num(difference.exhaustionEarlierSeconds / HOUR_SECONDS)} h earlier`,
    ],
  ];
  lines.push(
    table([
      ['', 'baseline', 'scenario', 'difference'],
      ...rows.map(([label, of, d]) => [label, of(baseline.totals) ?? '–', of(scenario.totals) ?? '–', d ?? '–']),
    ])
  );
  const base = baseline.plan.gpus?.gpusNeeded;
  const changed = scenario.plan.gpus?.gpusNeeded;
  if (base && changed) {
    const hours = scenario.plan.timestampsSeconds.flatMap((t, h) =>
      base[h] === changed[h] && baseline.forecast.mean[h] === scenario.forecast.mean[h]
        ? []
        : [
            [
              isoSeconds(t),
              num(baseline.forecast.mean[h])!,
              num(scenario.forecast.mean[h])!,
              `${base[h]}`,
              `${changed[h]}`,
            ],
          ]
    );
    lines.push('', `Hours the scenario changes (forecast mean in ${unit}, GPUs needed)`);
    lines.push(
      hours.length === 0
        ? '  (none)'
        : table([['hour', 'baseline mean', 'scenario mean', 'baseline GPUs', 'scenario GPUs'], ...hours])
    );
    const schedule = scenario.plan.gpus!.schedule;
    lines.push('', 'Scenario scale-out schedule');
    lines.push(
      ...(schedule.length === 0
        ? ['  (no change)']
        : schedule.map((s) => `  ${isoSeconds(s.startAtSeconds)}  ${s.fromGpus} → ${s.toGpus} GPUs`))
    );
  }
  return [...lines, ''];
}

function num(x: number | undefined, signed = false): string | undefined {
  if (x === undefined) {
    return undefined;
  }
  const rounded = Math.round(x * 100) / 100;
  return signed && rounded > 0 ? `+${rounded}` : String(rounded);
}

/** Columns padded to their widest cell, two spaces apart, indented like the rest of the report. */
function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows
    .map(
      (r) =>
        `  ${r
          .map((cell, c) => cell.padEnd(widths[c]))
          .join('  ')
          .trimEnd()}`
    )
    .join('\n');
}
