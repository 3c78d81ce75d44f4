/**
 * The frames of a Headroom forecast, so any panel can draw them: the history, the forecast with its interval
 * bands, and the accuracy backtest as a table, as plain values shared by the browser data source and the backend.
 * Names of frames and fields are the contract the Forecast panel and page read (see FORECAST_FIELDS).
 */
import { modelLabel } from '../../engine/forecast/modelLabel';
import { splitNotices, withTexts, type CodedNotice } from '../frameTexts';
import type { Frame, FrameField } from '../types';
import type { ForecastOutcome, ModelAccuracy } from './forecastTask';

export const FORECAST_FRAMES = { history: 'History', forecast: 'Forecast', backtest: 'Backtest' } as const;

export const FORECAST_FIELDS = {
  time: 'Time',
  value: 'Value',
  mean: 'Mean',
  lower: (level: string | number) => `Lower ${level}`,
  upper: (level: string | number) => `Upper ${level}`,
} as const;

/** `meta.custom` of the Forecast frame. */
export interface ForecastFrameMeta {
  headroom: 'forecast';
  model: string;
  /** Accuracy of the chosen method on the held-out newest history; absent when the history was too short. */
  accuracy?: ModelAccuracy;
  holdoutHours: number;
  /** The chosen method's coverage per level over its own calibration backtest (`ForecastOutcome.backtestCoverage`). */
  backtestCoverage?: Record<string, number>;
  trainingWindow: { startSeconds: number; endSeconds: number };
  skipped: Array<{ model: string; reason: string }>;
  /** Display name of what was forecast, e.g. "GPUs allocated". */
  targetName: string;
  /** The TensorFlow.js backend that trained an LSTM (`wasm` or `cpu`). */
  backend?: string;
}

export interface ForecastFrameOptions {
  refId: string;
  targetName: string;
  /** Grafana unit of the forecast values. */
  unit?: string;
  history: { timestampsSeconds: number[]; values: Array<number | null> };
  /** With the codes of the texts Headroom words itself (meta.custom.texts). */
  notices: CodedNotice[];
  /** The PromQL the history was read with, for the query inspector. */
  executedQueryString?: string;
}

const toMs = (seconds: number) => seconds * 1000;

export function forecastTimestampsSeconds(outcome: Pick<ForecastOutcome, 'startSeconds' | 'stepSeconds' | 'mean'>) {
  return outcome.mean.map((_, h) => outcome.startSeconds + h * outcome.stepSeconds);
}

export function forecastFrames(outcome: ForecastOutcome, options: ForecastFrameOptions): Frame[] {
  const { refId, unit, targetName } = options;
  const config = { unit };
  const history: Frame = {
    refId,
    name: FORECAST_FRAMES.history,
    ...(options.executedQueryString === undefined
      ? {}
      : { meta: { executedQueryString: options.executedQueryString } }),
    fields: [
      { name: FORECAST_FIELDS.time, type: 'time', values: options.history.timestampsSeconds.map(toMs) },
      { name: FORECAST_FIELDS.value, type: 'number', values: options.history.values, config },
    ],
  };
  const levels = Object.keys(outcome.intervals).sort((a, b) => Number(a) - Number(b));
  const meta: ForecastFrameMeta = {
    headroom: 'forecast',
    model: outcome.model,
    accuracy: outcome.accuracy,
    holdoutHours: (outcome.holdoutSteps * outcome.stepSeconds) / 3600,
    ...(outcome.backtestCoverage ? { backtestCoverage: outcome.backtestCoverage } : {}),
    trainingWindow: outcome.trainingWindow,
    skipped: outcome.skipped,
    targetName,
    ...(outcome.backend ? { backend: outcome.backend } : {}),
  };
  const notices = splitNotices(options.notices);
  const forecast: Frame = {
    refId,
    name: FORECAST_FRAMES.forecast,
    meta: { custom: { ...meta, texts: { notices: notices.texts } }, notices: notices.notices },
    fields: [
      { name: FORECAST_FIELDS.time, type: 'time', values: forecastTimestampsSeconds(outcome).map(toMs) },
      { name: FORECAST_FIELDS.mean, type: 'number', values: outcome.mean, config },
      ...levels.flatMap((level): FrameField[] => [
        { name: FORECAST_FIELDS.lower(level), type: 'number', values: outcome.intervals[level].lower, config },
        { name: FORECAST_FIELDS.upper(level), type: 'number', values: outcome.intervals[level].upper, config },
      ]),
    ],
  };
  return [history, forecast, backtestFrame(outcome, refId, levels)];
}

function backtestFrame(outcome: ForecastOutcome, refId: string, levels: string[]): Frame {
  const rows = outcome.accuracy ? [outcome.accuracy, ...outcome.backtest] : outcome.backtest;
  const finiteOrNull = (value: number | undefined) => (value !== undefined && Number.isFinite(value) ? value : null);
  const labels = rows.map((row) => modelLabel(row.model));
  // A table cell cuts a combination's full name ("wmedian(drift,naive,…"): the cell gets the legend's short label, the
  // field's description keeps every member (the frame's full record, e.g. for Inspect > Data and the backend's API).
  const combined = labels.find((label) => label.members.length > 1);
  const frame: Frame = {
    refId,
    name: FORECAST_FRAMES.backtest,
    fields: [
      {
        name: 'Model',
        type: 'string',
        values: labels.map((label) => label.short),
        ...(combined ? { config: { description: `Combined: ${combined.members.join(', ')}` } } : {}),
      },
      {
        name: 'WAPE',
        type: 'number',
        values: rows.map((row) => finiteOrNull(row.wape)),
        config: { unit: 'percentunit', decimals: 1 },
      },
      {
        name: 'MASE',
        type: 'number',
        values: rows.map((row) => finiteOrNull(row.mase)),
        config: { decimals: 2 },
      },
      ...levels.map((level): FrameField => ({
        name: `Coverage ${level}`,
        type: 'number',
        values: rows.map((row) => finiteOrNull(row.coverage[level])),
        config: { unit: 'percentunit', decimals: 0 },
      })),
    ],
  };
  return withTexts(frame, { cells: { Model: rows.map((row) => ({ code: 'model', model: row.model })) } });
}
