/**
 * The `forecast` query: hourly history of one series from Prometheus, forecast by the caller's runner (a Web Worker
 * in the browser, in place in the backend), returned as frames.
 *
 * History window: the 28 days before the end of the dashboard range (the engine fits at most 28 days of hourly
 * steps, enough for four weekly cycles), on an hourly grid aligned to the hour. The forecast starts at the end of
 * the range, so a dashboard looking at last month forecasts from last month: a backtest you can see.
 */
import {
  clampToRange,
  duration,
  HISTORY_BOUND_REASON,
  historySteps,
  horizonTooLong,
  invalidEvents,
  NOISY_WAPE,
  type BusinessEvent as EngineEvent,
  type ValueRange,
} from '../../engine/forecast';
import { InsufficientHistoryError, type RawSeries } from '../../engine/series';
import { queryRangePreferringRecords } from '../../prometheus/inventoryRecords';
import { createTaskQueue } from '../../prometheus/taskQueue';
import type { PrometheusClient } from '../../prometheus/types';
import type { BusinessEvent } from '../appSettings';
import { QueryModelError } from '../queryModelError';
import type { CodedError, CodedNotice, ForecastQueryError, ShortHistoryError as ShortHistoryText } from '../frameTexts';
import { forecastFrames } from './forecastFrames';
import type { ForecastOutcome, ForecastRun, RunForecastOptions } from './forecastTask';

export const FORECAST_STEP_SECONDS = 3600;
export const HISTORY_DAYS = 28;
export const LEVELS = [80, 95];
/**
 * The longest horizon a query may ask: the history it reads (the engine's bound, engine/forecast/horizon.ts: a
 * forecast looks at most as far ahead as its history looks back). A shorter history lowers it further.
 */
export const MAX_HORIZON_HOURS = HISTORY_DAYS * 24;
/** Fewer hours than a day cannot show a daily rhythm; the engine's smallest models need about that much. */
export const MIN_HISTORY_HOURS = 24;
const WEEK_HOURS = 7 * 24;
/**
 * Forecast queries of a dashboard fetch their 28 days of history a few at a time. Sent all at once, 100 panels'
 * queries wait for one of the browser's six connections to Prometheus's host, and that wait counts against the
 * client's 30 s deadline: panels failed with a timeout while Prometheus was merely busy. Prometheus answers them
 * no sooner in parallel, and the connections left free serve the dashboard's other panels.
 */
const HISTORY_FETCHES_AT_ONCE = 4;
const historyFetches = createTaskQueue(HISTORY_FETCHES_AT_ONCE);

export interface ResolvedTarget {
  expr: string;
  /** Shown in legends and messages, e.g. "GPUs allocated". */
  name: string;
  /** Grafana unit of the series. */
  unit?: string;
  /** The preset's unit of demand (`GPUs`, `tokens/s`, `ratio`, `requests`); undefined for a custom expression. */
  demandUnit?: string;
  /** The values the preset's quantity can take (UNIT_RANGES); the forecast is clamped to them. */
  range?: ValueRange;
}

export interface ForecastSettings extends RunForecastOptions {
  refId: string;
  endMs: number;
  horizonHours: number;
  model: string;
  events: BusinessEvent[];
  /** Where the models run: the browser's worker, or in place. */
  run: ForecastRun;
  /** False skips the held-out check of the forecast (ForecastTask.scoreHoldout). */
  scoreHoldout?: boolean;
}

export interface ForecastAnswer {
  outcome: ForecastOutcome;
  history: { timestampsSeconds: number[]; values: Array<number | null> };
  notices: CodedNotice[];
  /** The PromQL the history was read with: the target's, or the recorded series it equals. */
  executedExpr: string;
}

/**
 * Too few hours of history for any model, in English for the backend, the command line and alert evaluation, and
 * with its code for the pages (frameTexts.ts). Still an InsufficientHistoryError: the backend answers it 400.
 */
export class ShortHistoryError extends InsufficientHistoryError<ShortHistoryText> implements CodedError {
  constructor(text: ShortHistoryText) {
    super(
      `${text.target} has ${text.hours} hours of data in the ${text.historyDays} days before the end of the range; ` +
        `a forecast needs at least ${text.neededHours}. Move the range to where the metric exists, or wait for more ` +
        'history',
      text.hours,
      text.neededHours,
      text
    );
  }
}

/** Prometheus has no sample of the target in the history read: the expression or the range is wrong. */
export class NoHistoryError extends Error implements CodedError {
  constructor(readonly text: Extract<ForecastQueryError, { code: 'no-history-error' }>) {
    super(
      `${text.target}: Prometheus returned no data for the ${text.historyDays} days before the end of the range. ` +
        `Check the expression and the time range. Query: ${text.expr}`
    );
  }
}

/** The target's expression returns several series where a forecast needs one: the person aggregates it. */
export class SeriesCountError extends QueryModelError implements CodedError {
  constructor(readonly text: Extract<ForecastQueryError, { code: 'series-count-error' }>) {
    super(
      `${text.target}: the expression returns ${text.series} series; a forecast needs one. Aggregate it, ` +
        `e.g. sum(...) or sum by (...) with a filter. Query: ${text.expr}`
    );
  }
}

/** The horizon asked is longer than the history read supports (engine/forecast/horizon.ts). */
export class HorizonTooLongError extends QueryModelError implements CodedError {
  constructor(readonly text: Extract<ForecastQueryError, { code: 'horizon-too-long-error' }>) {
    super(
      `${text.target}: the horizon (${duration(text.horizonHours * 3600)}) is longer than the history before the ` +
        `end of the range (${duration(text.maxHours * 3600)}): ${HISTORY_BOUND_REASON}. Choose a horizon of at most ` +
        `${text.maxHours} hours, or move the range to where there is more history.`
    );
  }
}

/** A horizon that is not a whole number of hours within the history a forecast reads: the query as saved is wrong. */
export class HorizonHoursError extends QueryModelError implements CodedError {
  constructor(readonly text: Extract<ForecastQueryError, { code: 'horizon-hours-error' }>) {
    super(
      `The horizon must be a whole number of hours from 1 to ${text.maxHours} (the ${text.historyDays} days of ` +
        `history a forecast reads: ${HISTORY_BOUND_REASON}), got "${text.got}".`
    );
  }
}

export function parseHorizonHours(text: string | undefined, fallback: string): number {
  const hours = Number((text ?? '').trim() || fallback);
  if (!Number.isInteger(hours) || hours < 1 || hours > MAX_HORIZON_HOURS) {
    throw new HorizonHoursError({
      code: 'horizon-hours-error',
      maxHours: MAX_HORIZON_HOURS,
      historyDays: HISTORY_DAYS,
      got: String(text),
    });
  }
  return hours;
}

/**
 * The engine's horizon bound on the history actually read, checked before the models run: a panel shows what to
 * change instead of a forecast nothing in its history supports.
 */
function checkHorizonAgainstHistory(target: ResolvedTarget, horizonHours: number, history: RawSeries): void {
  const tooLong = horizonTooLong(horizonHours, historySteps(history, FORECAST_STEP_SECONDS), FORECAST_STEP_SECONDS);
  if (tooLong) {
    // The person's horizon or range, like too little history: the backend answers 400, not 500.
    throw new HorizonTooLongError({
      code: 'horizon-too-long-error',
      target: target.name,
      horizonHours,
      maxHours: tooLong.maxSteps,
    });
  }
}

/**
 * One series of history on the hourly grid; nulls where Prometheus had no sample. A target whose expression is one
 * of the shipped recording rules' (an unfiltered fleet sum) reads the recorded series when it covers the 28 days.
 */
export async function fetchHistory(
  client: PrometheusClient,
  target: ResolvedTarget,
  endMs: number,
  signal?: AbortSignal
) {
  const endSeconds = Math.floor(endMs / 1000 / FORECAST_STEP_SECONDS) * FORECAST_STEP_SECONDS;
  const startSeconds = endSeconds - HISTORY_DAYS * 24 * FORECAST_STEP_SECONDS;
  const { result, expr } = await historyFetches.run(
    () =>
      queryRangePreferringRecords(
        client,
        target.expr,
        { startSeconds, endSeconds, stepSeconds: FORECAST_STEP_SECONDS },
        signal
      ),
    signal
  );
  if (result.series.length === 0) {
    throw new NoHistoryError({ code: 'no-history-error', target: target.name, historyDays: HISTORY_DAYS, expr });
  }
  if (result.series.length > 1) {
    throw new SeriesCountError({
      code: 'series-count-error',
      target: target.name,
      series: result.series.length,
      expr,
    });
  }
  const [series] = result.series;
  const byTime = new Map(series.timestampsSeconds.map((t, i) => [t, series.values[i]]));
  const timestampsSeconds: number[] = [];
  const values: Array<number | null> = [];
  const first = series.timestampsSeconds[0];
  for (let t = first; t <= endSeconds; t += FORECAST_STEP_SECONDS) {
    const value = byTime.get(t);
    timestampsSeconds.push(t);
    values.push(value === undefined || !Number.isFinite(value) ? null : value);
  }
  return { timestampsSeconds, values, warnings: result.warnings, expr };
}

export async function forecastSeries(
  client: PrometheusClient,
  target: ResolvedTarget,
  settings: ForecastSettings
): Promise<ForecastAnswer> {
  const history = await fetchHistory(client, target, settings.endMs, settings.signal);
  const observedHours = history.values.filter((v) => v !== null).length;
  if (observedHours < MIN_HISTORY_HOURS) {
    throw new ShortHistoryError({
      code: 'short-history-error',
      target: target.name,
      hours: observedHours,
      neededHours: MIN_HISTORY_HOURS,
      historyDays: HISTORY_DAYS,
    });
  }
  checkHorizonAgainstHistory(target, settings.horizonHours, history);
  const events = engineEvents(settings.events);
  const badMultiplier = settings.events.find((e) => e.effect !== undefined && !(e.effect > 0));
  const problem = badMultiplier
    ? `event "${badMultiplier.name}": the expected effect is a demand multiplier above 0 (1.5 = +50 %), got ${badMultiplier.effect}`
    : invalidEvents(events);
  if (problem) {
    throw new QueryModelError(
      `Business calendar in the app configuration: ${problem}. Fix it there, or turn the calendar off.`
    );
  }
  const unclamped = await settings.run(
    {
      timestampsSeconds: history.timestampsSeconds,
      values: history.values,
      stepSeconds: FORECAST_STEP_SECONDS,
      horizonSteps: settings.horizonHours,
      levels: LEVELS,
      model: settings.model,
      events,
      scoreHoldout: settings.scoreHoldout,
    },
    { onProgress: settings.onProgress, signal: settings.signal }
  );
  // Once, here, for every model and both query types: a count's interval reaches no lower than 0, a ratio's beyond 1.
  const outcome = clampToRange(unclamped, target.range);
  const notices = forecastNotices(outcome, observedHours, settings, history.warnings);
  return { outcome, history, notices, executedExpr: history.expr };
}

/** The configuration page stores an effect as a demand multiplier (1.5 = +50 %); the engine takes the relative change. */
export function engineEvents(events: readonly BusinessEvent[]): EngineEvent[] {
  return events.map(({ name, startSeconds, endSeconds, effect }) => ({
    name,
    startSeconds,
    endSeconds,
    ...(effect === undefined ? {} : { effect: { kind: 'multiplicative' as const, value: effect - 1 } }),
  }));
}

export function forecastNotices(
  outcome: ForecastOutcome,
  observedHours: number,
  settings: Pick<ForecastSettings, 'horizonHours' | 'events'>,
  prometheusWarnings: string[]
): CodedNotice[] {
  // Prometheus' own words, as it wrote them.
  const notices: CodedNotice[] = prometheusWarnings.map((text) => ({
    severity: 'warning',
    text: `Prometheus: ${text}`,
  }));
  if (observedHours < 2 * WEEK_HOURS) {
    notices.push({
      severity: 'warning',
      text:
        `Short history: ${formatDays(observedHours)} of data. The weekly rhythm needs two weeks to be learnt; ` +
        'treat forecasts beyond a few days with care.',
      code: { code: 'short-history', hours: observedHours },
    });
  }
  if (outcome.fallback) {
    notices.push({
      severity: 'warning',
      text: 'Fallback: no model passed the backtest on this history, so the forecast repeats the last value.',
      code: { code: 'fallback' },
    });
  }
  if (outcome.accuracy && outcome.accuracy.wape > NOISY_WAPE) {
    const noisy = {
      code: 'noisy-series' as const,
      heldOutHours: outcome.holdoutSteps,
      wapePercent: outcome.accuracy.wape * 100,
      targetPercent: NOISY_WAPE * 100,
    };
    notices.push({
      severity: 'warning',
      text:
        `Noisy series: on the last ${formatDays(noisy.heldOutHours)} held out, the forecast was off by ` +
        `${noisy.wapePercent.toFixed(1)} % (WAPE), above the ${noisy.targetPercent} % capacity-planning ` +
        'target. Small or bursty fleets are noisier than large ones: plan on the upper interval, not the mean.',
      code: noisy,
    });
  }
  if (outcome.backend) {
    notices.push({
      severity: 'info',
      text:
        `LSTM trained in the browser on the TensorFlow.js ${outcome.backend} backend; its intervals are calibrated ` +
        `on one held-out window of ${formatDays(outcome.holdoutSteps)}, so treat them as rough. Its network ` +
        'forecasts the whole horizon at once, so a different horizon gives a different forecast of the first hours ' +
        '(auto and the other models do not change them).',
      code: { code: 'lstm-backend', backend: outcome.backend, heldOutHours: outcome.holdoutSteps },
    });
  }
  if (outcome.skipped.length > 0) {
    notices.push({
      severity: 'info',
      text: `Models not used: ${outcome.skipped.map((s) => `${s.model} (${s.reason})`).join('; ')}.`,
      code: { code: 'models-not-used', models: outcome.skipped.map(({ model, cause }) => ({ model, cause })) },
    });
  }
  const horizonEnd = outcome.startSeconds + settings.horizonHours * 3600;
  const upcoming = settings.events.filter((e) => e.endSeconds > outcome.startSeconds && e.startSeconds < horizonEnd);
  if (upcoming.length > 0) {
    const names = upcoming.map((e) => e.name);
    notices.push({
      severity: 'info',
      text: `Business calendar events in the horizon: ${names.join(', ')}.`,
      code: { code: 'calendar-events', names },
    });
  }
  return notices;
}

function formatDays(hours: number): string {
  return hours < 48 ? `${hours} h` : `${Math.round((hours / 24) * 10) / 10} days`;
}

export function forecastAnswerFrames(answer: ForecastAnswer, target: ResolvedTarget, refId: string) {
  return forecastFrames(answer.outcome, {
    refId,
    targetName: target.name,
    unit: target.unit,
    history: answer.history,
    notices: answer.notices,
    executedQueryString: answer.executedExpr,
  });
}
