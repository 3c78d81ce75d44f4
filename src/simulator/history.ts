/**
 * Writes the fleet's history as OpenMetrics for `promtool tsdb create-blocks-from openmetrics`:
 * one `# TYPE` block per family, each series' samples in time order, timestamps in seconds, `# EOF`.
 * The timeline is simulated once; values are computed while streaming, so memory does not grow with the file.
 */
import { createWriteStream } from 'node:fs';
import { ChunkedWriter } from './chunkedWriter';
import { ExpositionOptions, FamilyContext, METRIC_FAMILIES, MetricFamily, buildSlotPods } from './families';
import { FleetSpec } from './fleetSpec';
import { encodeValue } from './openMetricsFormat';
import { FleetSimulation, TICK_SECONDS } from './simulation';
import { FleetStateSummary, FleetSummary, summarizeFleet, summarizeState } from './summary';
import { SampleTimes, sampleTimes, simulationStartSeconds } from './window';

export interface HistoryOptions {
  /** Last sample time (unix seconds; rounded down to the step). */
  endSeconds: number;
  days: number;
  stepSeconds: number;
  profiling?: boolean;
  exportedLabels?: boolean;
  /**
   * Only these metric families (by name, e.g. `DCGM_FI_DEV_FB_USED`); default all. A large fleet's history is mostly
   * DCGM fields nothing reads, so a benchmark writes only what the queries it measures select.
   */
  families?: readonly string[];
}

export interface HistorySummary extends FleetSummary {
  firstSampleSeconds: number;
  lastSampleSeconds: number;
  stepSeconds: number;
  /** The state at the last sample time. */
  atEnd: FleetStateSummary;
  seriesCount: number;
  sampleCount: number;
  bytes: number;
}

export class HistoryOptionsError extends Error {}

export function validateHistoryOptions(options: HistoryOptions): void {
  if (!Number.isFinite(options.endSeconds) || options.endSeconds <= 0) {
    throw new HistoryOptionsError(`end must be a unix time in seconds or an ISO date (got ${options.endSeconds})`);
  }
  if (!(options.days > 0) || !Number.isFinite(options.days)) {
    throw new HistoryOptionsError(`days must be a number greater than 0 (got ${options.days}); try --days 3`);
  }
  if (!Number.isInteger(options.stepSeconds) || options.stepSeconds < 1) {
    throw new HistoryOptionsError(
      `step must be a whole number of seconds >= 1 (got ${options.stepSeconds}); try --step-seconds 60`
    );
  }
  if ((options.days * 86400) / options.stepSeconds < 1) {
    throw new HistoryOptionsError(
      `a window of ${options.days} days holds no ${options.stepSeconds}-second step; lengthen --days or shorten the step`
    );
  }
}

/** The families a history holds, in the order they are written; an unknown name is an error, not an empty file. */
export function selectFamilies(names?: readonly string[]): MetricFamily[] {
  if (names === undefined) {
    return METRIC_FAMILIES;
  }
  const unknown = names.filter((name) => !METRIC_FAMILIES.some((family) => family.name === name));
  if (unknown.length > 0) {
    throw new HistoryOptionsError(
      `unknown metric families: ${unknown.join(', ')}; known: ${METRIC_FAMILIES.map((f) => f.name).join(', ')}`
    );
  }
  return METRIC_FAMILIES.filter((family) => names.includes(family.name));
}

export function expositionOptions(options: { profiling?: boolean; exportedLabels?: boolean }): ExpositionOptions {
  return { profiling: options.profiling ?? true, exportedLabels: options.exportedLabels ?? false };
}

/** The tail of every sample line, ` <time>\n`, for each sample index, so lines copy it instead of formatting it. */
interface TimeSuffixes {
  bytes: Uint8Array;
  /** Bytes reserved per sample index (the longest suffix). */
  stride: number;
  lengths: Uint8Array;
}

function timeSuffixes(times: SampleTimes): TimeSuffixes {
  const lastSeconds = times.firstSeconds + (times.count - 1) * times.stepSeconds;
  const stride = Math.max(String(times.firstSeconds).length, String(lastSeconds).length) + 2;
  const bytes = new Uint8Array(times.count * stride);
  const lengths = new Uint8Array(times.count);
  for (let j = 0; j < times.count; j++) {
    lengths[j] = Buffer.from(bytes.buffer, j * stride, stride).write(
      ` ${times.firstSeconds + j * times.stepSeconds}\n`,
      'latin1'
    );
  }
  return { bytes, stride, lengths };
}

/** Longest value `encodeValue` writes. */
const MAX_VALUE_BYTES = 32;

/**
 * Writes samples `from` .. `to` - 1 of one series as `<prefix><value> <time>\n` lines straight into the writer's
 * buffer, values from `values[j]`. Stops early, returning the next index, once the writer has a full chunk to flush.
 */
function writeSamples(
  writer: ChunkedWriter,
  prefix: Uint8Array,
  values: Float64Array,
  suffixes: TimeSuffixes,
  from: number,
  to: number
): number {
  const lineBytes = prefix.length + MAX_VALUE_BYTES + suffixes.stride;
  const { bytes, stride, lengths } = suffixes;
  for (let j = from; j < to; j++) {
    if (writer.offset + lineBytes > writer.buffer.length) {
      writer.reserve(lineBytes);
      if (writer.full) {
        return j;
      }
    }
    const buffer = writer.buffer;
    buffer.set(prefix, writer.offset);
    let offset = encodeValue(buffer, writer.offset + prefix.length, values[j]);
    for (let k = j * stride, end = k + lengths[j]; k < end; k++) {
      buffer[offset++] = bytes[k];
    }
    writer.offset = offset;
  }
  return to;
}

/** Writes every family to `writer`; returns series and sample counts. */
async function writeFamilies(
  ctx: FamilyContext,
  families: MetricFamily[],
  times: SampleTimes,
  writer: ChunkedWriter
): Promise<{ series: number; samples: number }> {
  const { firstSeconds, stepSeconds, count } = times;
  const indexAtOrAfter = (tick: number) => sampleIndexAtOrAfter(times, tick);
  const suffixes = timeSuffixes(times);
  // Values of the series being written, by sample index.
  const values = new Float64Array(count);
  let series = 0;
  let samples = 0;
  for (const family of families) {
    let headerWritten = false;
    for (const source of family.series(ctx)) {
      let prefix: Uint8Array | undefined;
      const samplesBefore = samples;
      for (const [fromTick, toTick] of source.ranges) {
        const to = indexAtOrAfter(toTick);
        let j = indexAtOrAfter(fromTick);
        if (j >= to) {
          continue;
        }
        if (!headerWritten) {
          writer.add(`# HELP ${family.name} ${family.help}\n# TYPE ${family.name} ${family.type}\n`);
          headerWritten = true;
        }
        prefix ??= Buffer.from(`${source.sampleName}${source.labels} `);
        samples += to - j;
        source.fill(firstSeconds + j * stepSeconds, stepSeconds, values.subarray(j, to));
        while (j < to) {
          j = writeSamples(writer, prefix, values, suffixes, j, to);
          if (writer.full) {
            await writer.flush();
          }
        }
      }
      series += samples > samplesBefore ? 1 : 0;
    }
  }
  return { series, samples };
}

/** What a history file will hold, worked out before writing it. */
export interface HistoryEstimate {
  seriesCount: number;
  sampleCount: number;
  /** Bytes of the file: labels and timestamps exact, values at their typical length (VALUE_BYTES_ESTIMATE). */
  bytes: number;
}

/** Mean length of a written value (measured on 1-, 16- and 64-GPU fleets: 3.8–4.9 bytes; lines are ~200 bytes). */
const VALUE_BYTES_ESTIMATE = 4;

export interface HistoryPlan {
  estimate: HistoryEstimate;
  write(filePath: string): Promise<HistorySummary>;
}

/** Index of the first sample at or after a simulation tick, within [0, count]. */
function sampleIndexAtOrAfter(times: SampleTimes, tick: number): number {
  const { firstSeconds, stepSeconds, count } = times;
  return Math.min(count, Math.max(0, Math.ceil((tick * TICK_SECONDS - firstSeconds) / stepSeconds)));
}

/** Counts series, samples and bytes the way writeFamilies writes them, without computing a value. */
function estimateFamilies(ctx: FamilyContext, families: MetricFamily[], times: SampleTimes): HistoryEstimate {
  const lastSeconds = times.firstSeconds + (times.count - 1) * times.stepSeconds;
  const suffixBytes = String(lastSeconds).length + 2;
  let seriesCount = 0;
  let sampleCount = 0;
  let bytes = '# EOF\n'.length;
  for (const family of families) {
    const samplesBefore = sampleCount;
    for (const source of family.series(ctx)) {
      let n = 0;
      for (const [fromTick, toTick] of source.ranges) {
        n += Math.max(0, sampleIndexAtOrAfter(times, toTick) - sampleIndexAtOrAfter(times, fromTick));
      }
      if (n > 0) {
        seriesCount++;
        sampleCount += n;
        bytes += n * (Buffer.byteLength(source.sampleName) + Buffer.byteLength(source.labels) + 1);
      }
    }
    if (sampleCount > samplesBefore) {
      bytes += Buffer.byteLength(`# HELP ${family.name} ${family.help}\n# TYPE ${family.name} ${family.type}\n`);
    }
  }
  bytes += sampleCount * (VALUE_BYTES_ESTIMATE + suffixBytes);
  return { seriesCount, sampleCount, bytes };
}

/**
 * Simulates the fleet's timeline and works out what the history will hold; `write` then writes it.
 * The simulation is the cheap part (seconds); writing costs about a second of CPU per 30 MiB.
 */
export function planOpenMetricsHistory(spec: FleetSpec, options: HistoryOptions): HistoryPlan {
  validateHistoryOptions(options);
  const families = selectFamilies(options.families);
  const times = sampleTimes(options.endSeconds, options.days, options.stepSeconds);
  const lastSampleSeconds = times.firstSeconds + (times.count - 1) * times.stepSeconds;
  const sim = new FleetSimulation(spec, simulationStartSeconds(options.endSeconds, options.days));
  sim.advanceTo(Math.floor(lastSampleSeconds / TICK_SECONDS));
  const ctx: FamilyContext = {
    sim,
    fromTick: Math.floor(times.firstSeconds / TICK_SECONDS),
    toTick: Math.floor(lastSampleSeconds / TICK_SECONDS) + 1,
    options: expositionOptions(options),
    slotPods: buildSlotPods(sim),
  };
  return {
    estimate: estimateFamilies(ctx, families, times),
    async write(filePath: string): Promise<HistorySummary> {
      const writer = new ChunkedWriter(createWriteStream(filePath, { highWaterMark: 32 << 20 }));
      const { series, samples } = await writeFamilies(ctx, families, times, writer);
      writer.add('# EOF\n');
      await writer.end();
      return {
        ...summarizeFleet(sim),
        firstSampleSeconds: times.firstSeconds,
        lastSampleSeconds,
        stepSeconds: times.stepSeconds,
        atEnd: summarizeState(sim, lastSampleSeconds),
        seriesCount: series,
        sampleCount: samples,
        bytes: writer.bytesWritten,
      };
    },
  };
}

export async function writeOpenMetricsHistory(
  spec: FleetSpec,
  options: HistoryOptions,
  filePath: string
): Promise<HistorySummary> {
  return planOpenMetricsHistory(spec, options).write(filePath);
}
