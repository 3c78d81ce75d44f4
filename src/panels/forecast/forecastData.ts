/**
 * What the Forecast panel draws, read from the frames it receives: a Headroom forecast (History + Forecast frames,
 * optionally capacity and exhaustion), or a plain time series from any data source that the panel forecasts itself.
 */
import { FieldType, type DataFrame, type QueryResultMetaNotice } from '@grafana/data';
import {
  FORECAST_FIELDS,
  FORECAST_FRAMES,
  forecastTimestampsSeconds,
  type ForecastFrameMeta,
} from '../../datasource/forecast/forecastFrames';
import { CAPACITY_FIELD, CAPACITY_FRAMES, type ExhaustionFrameMeta } from '../../datasource/forecast/capacityFrames';
import type { ForecastOutcome, ModelAccuracy } from '../../datasource/forecast/forecastTask';
import { noticesInUserLanguage } from '../../datasource/wording/frameTexts';

export interface Band {
  level: string;
  lower: number[];
  upper: number[];
}

export interface ChartData {
  targetName: string;
  unit?: string;
  history: { timesMs: number[]; values: Array<number | null> };
  forecast: { timesMs: number[]; mean: number[]; bands: Band[] };
  model: string;
  /** The TensorFlow.js backend that trained an LSTM forecast. */
  backend?: string;
  accuracy?: ModelAccuracy;
  holdoutHours?: number;
  /** Coverage per level over the chosen method's own calibration backtest. */
  backtestCoverage?: Record<string, number>;
  /** In the forecast's unit. */
  capacity?: number;
  /** When the mean forecast first exceeds capacity; null when it does not within the horizon. */
  exhaustionMs?: number | null;
  notices: QueryResultMetaNotice[];
}

export interface PlainSeries {
  name: string;
  unit?: string;
  timestampsSeconds: number[];
  values: Array<number | null>;
}

const byName = (frames: DataFrame[], name: string) => frames.find((frame) => frame.name === name);
const fieldValues = (frame: DataFrame | undefined, name: string) =>
  frame?.fields.find((field) => field.name === name)?.values as number[] | undefined;

function bandsOf(frame: DataFrame): Band[] {
  return (
    frame.fields
      .map((field) => /^Lower (\d+(?:\.\d+)?)$/.exec(field.name)?.[1])
      .filter((level): level is string => level !== undefined)
      .flatMap((level) => {
        const lower = fieldValues(frame, FORECAST_FIELDS.lower(level));
        const upper = fieldValues(frame, FORECAST_FIELDS.upper(level));
        return lower && upper ? [{ level, lower: [...lower], upper: [...upper] }] : [];
      })
      // Widest band first, so narrower ones are painted over it.
      .sort((a, b) => Number(b.level) - Number(a.level))
  );
}

/** The Headroom forecast in the frames, or undefined when they carry none. */
export function readHeadroomForecast(frames: DataFrame[]): ChartData | undefined {
  const forecastFrame = byName(frames, FORECAST_FRAMES.forecast);
  const meta = forecastFrame?.meta?.custom as ForecastFrameMeta | undefined;
  const times = fieldValues(forecastFrame, FORECAST_FIELDS.time);
  const mean = fieldValues(forecastFrame, FORECAST_FIELDS.mean);
  if (!forecastFrame || meta?.headroom !== 'forecast' || !times || !mean) {
    return undefined;
  }
  const historyFrame = byName(frames, FORECAST_FRAMES.history);
  const exhaustion = byName(frames, CAPACITY_FRAMES.exhaustion)?.meta?.custom as ExhaustionFrameMeta | undefined;
  const capacity = fieldValues(forecastFrame, CAPACITY_FIELD);
  const unit = forecastFrame.fields.find((field) => field.name === FORECAST_FIELDS.mean)?.config.unit;
  return {
    targetName: meta.targetName,
    unit,
    history: {
      timesMs: [...(fieldValues(historyFrame, FORECAST_FIELDS.time) ?? [])],
      values: [...(fieldValues(historyFrame, FORECAST_FIELDS.value) ?? [])],
    },
    forecast: { timesMs: [...times], mean: [...mean], bands: bandsOf(forecastFrame) },
    model: meta.model,
    backend: meta.backend,
    accuracy: meta.accuracy,
    holdoutHours: meta.holdoutHours,
    backtestCoverage: meta.backtestCoverage,
    capacity: capacity?.[capacity.length - 1],
    exhaustionMs: exhaustion ? secondsToMsOrNull(exhaustion.meanCrossingSeconds) : undefined,
    notices: noticesInUserLanguage(forecastFrame),
  };
}

const secondsToMsOrNull = (seconds: number | undefined) => (seconds === undefined ? null : seconds * 1000);

/** The first numeric series with a time field, as another data source (Prometheus, ...) returns it. */
export function firstPlainSeries(frames: DataFrame[]): PlainSeries | undefined {
  for (const frame of frames) {
    const time = frame.fields.find((field) => field.type === FieldType.time);
    const value = frame.fields.find((field) => field.type === FieldType.number);
    if (time && value && frame.length > 0) {
      return {
        name: value.config.displayNameFromDS ?? value.config.displayName ?? frame.name ?? value.name,
        unit: value.config.unit,
        timestampsSeconds: (time.values as number[]).map((ms) => ms / 1000),
        values: (value.values as Array<number | null>).map((v) => (v === null || v === undefined ? null : v)),
      };
    }
  }
  return undefined;
}

/** Chart data from the panel's own forecast of a plain series. */
export function chartFromOutcome(series: PlainSeries, outcome: ForecastOutcome): ChartData {
  const levels = Object.keys(outcome.intervals);
  return {
    targetName: series.name,
    unit: series.unit,
    history: { timesMs: series.timestampsSeconds.map((s) => s * 1000), values: series.values },
    forecast: {
      timesMs: forecastTimestampsSeconds(outcome).map((s) => s * 1000),
      mean: outcome.mean,
      bands: levels
        .map((level) => ({ level, ...outcome.intervals[level] }))
        .sort((a, b) => Number(b.level) - Number(a.level)),
    },
    model: outcome.model,
    accuracy: outcome.accuracy,
    holdoutHours: (outcome.holdoutSteps * outcome.stepSeconds) / 3600,
    backtestCoverage: outcome.backtestCoverage,
    notices: [],
  };
}
