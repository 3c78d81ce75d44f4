/**
 * Grafana's queries (panels, Explore, alert rules) answered server-side: each query's JSON model is the
 * HeadroomQuery the query editor saved, its variables already replaced by Grafana. Each query gets its frames as
 * Arrow, or an error Grafana shows on the panel or as the alert rule's error; one query failing never fails another.
 */
import { InsufficientHistoryError } from '../engine/series';
import { alertFrames, type AlertQuery } from '../frames/alert/alertQuery';
import { runEfficiencyInPlace } from '../frames/efficiency/efficiencyTask';
import { runEfficiencyQuery, type EfficiencyQuery } from '../frames/efficiency/runEfficiencyQuery';
import { LSTM_MODEL, forecastInPlace, lstmOnServerError } from '../frames/forecast/forecastTask';
import { runForecastQuery } from '../frames/forecast/runForecastQuery';
import { fragmentationFrames, runInPlace, type FragmentationView } from '../frames/fragmentation/fragmentationQuery';
import { inventoryFrames, type InventoryView } from '../frames/inventoryFrames';
import { QueryModelError } from '../frames/queryModelError';
import { CodedQueryModelError } from '../frames/queryErrors';
import { runServingQuery, type ServingQuery } from '../frames/serving/runServingQuery';
import type { Frame } from '../frames/types';
import { literalValues } from '../prometheus/filterText';
import { PrometheusError } from '../prometheus/errors';
import { fetchInventory } from '../prometheus/inventory';
import { rangeQueryOptions } from '../prometheus/queryRange';
import { errorMessage } from '../prometheus/redact';
import type { FleetFilters } from '../prometheus/types';
import type { HeadroomAppSettings } from '../frames/appSettings';
import {
  appSettingsUnreadText,
  errorTextFrames,
  withTexts,
  type AppSettingsUnread,
  type FrameTexts,
} from '../frames/frameTexts';
import { encodeFrame } from './arrowFrames';
import type { AppSettingsReading } from './appSettingsReader';
import { augursModels } from './augursModels';
import { prometheusAccess, type PrometheusAccess } from './prometheusAccess';
import { parseAppSettings } from '../frames/parseAppSettings';
import type { PrometheusConnection } from './settings';

/** One DataQuery of the protocol, as decoded. */
export interface DataQueryMessage {
  refId: string;
  intervalMs: number;
  timeRange: { fromEpochMs: number; toEpochMs: number } | null;
  json: Uint8Array;
  queryType: string;
}

export interface DataResponseMessage {
  frames: Uint8Array[];
  error: string;
  status: number;
  errorSource: '' | 'plugin' | 'downstream';
}

/** The fields of the saved query model the backend reads. */
interface QueryModel extends Omit<AlertQuery, 'refId'>, Omit<EfficiencyQuery, 'refId'>, Omit<ServingQuery, 'refId'> {
  queryType?: string;
  inventoryView?: InventoryView;
  fragmentationView?: FragmentationView;
  workloadDays?: string;
  node?: string;
  namespace?: string;
  gpuModel?: string;
  /**
   * The app's settings the browser's data source adds (frames/parseAppSettings.ts); absent from a rule made from a
   * panel and from Grafana's own calls (expressions, public dashboards), which get them from Grafana instead.
   */
  appSettings?: unknown;
}

const INVENTORY_VIEWS: readonly InventoryView[] = ['fleet', 'byModel', 'byNamespace', 'nodes'];

/** Every model the browser's worker has but the LSTM, augurs' MSTL and AutoETS included. */
const runForecastOnServer = forecastInPlace(augursModels);

function parseModel(query: DataQueryMessage): QueryModel {
  const text = Buffer.from(query.json).toString('utf8').trim();
  const parsed: unknown = text === '' ? {} : JSON.parse(text);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new QueryModelError('The query is not a JSON object.');
  }
  return parsed as QueryModel;
}

function filterValues(text: string | undefined): string[] | undefined {
  if (text === undefined || text.trim() === '') {
    return undefined;
  }
  const values = literalValues(text.trim()).filter((value) => value !== '');
  return values.length === 0 ? undefined : values;
}

function fleetFilters(model: QueryModel): FleetFilters {
  return {
    nodes: filterValues(model.node),
    namespaces: filterValues(model.namespace),
    gpuModels: filterValues(model.gpuModel),
  };
}

function timeRangeOf(query: DataQueryMessage) {
  if (query.timeRange === null) {
    throw new QueryModelError('The query has no time range.');
  }
  return query.timeRange;
}

async function inventoryAnswer(
  access: PrometheusAccess,
  query: DataQueryMessage,
  model: QueryModel,
  signal: AbortSignal | undefined
) {
  const view = model.inventoryView ?? 'fleet';
  if (!INVENTORY_VIEWS.includes(view)) {
    throw new CodedQueryModelError({
      code: 'unknown-view-error',
      queryType: 'inventory',
      view,
      allowed: [...INVENTORY_VIEWS],
    });
  }
  const timeRange = timeRangeOf(query);
  const range = rangeQueryOptions({
    fromMs: timeRange.fromEpochMs,
    toMs: timeRange.toEpochMs,
    intervalMs: query.intervalMs,
  });
  const result = await fetchInventory(
    access.client,
    access.catalog,
    { ...range, filters: fleetFilters(model) },
    signal
  );
  return inventoryFrames(result, view, { refId: query.refId });
}

/**
 * The same answer as the browser's, its analysis run in this process (a backend has no page to keep responsive).
 * Grafana sends the page's snapshot panels and its over-time panel as calls of their own: every call with these
 * settings shares the newest state while it is being read, so it is fetched and parsed once.
 */
function fragmentationAnswer(
  access: PrometheusAccess,
  query: DataQueryMessage,
  model: QueryModel,
  signal: AbortSignal | undefined
) {
  const timeRange = timeRangeOf(query);
  return fragmentationFrames(
    { refId: query.refId, fragmentationView: model.fragmentationView, workloadDays: model.workloadDays },
    {
      client: access.client,
      catalog: access.catalog,
      filters: fleetFilters(model),
      fromMs: timeRange.fromEpochMs,
      toMs: timeRange.toEpochMs,
      sharedBy: access.sharedBy,
      signal,
    },
    runInPlace
  );
}

/** Reads the app's settings from Grafana for the call's organisation (appSettingsReader.ts). */
export type AppSettingsFromGrafana = () => Promise<AppSettingsReading>;

/**
 * The settings one answer reads: the query's own when it brings them, else the app's as Grafana gives them, read only
 * when the analysis asks (a forecast without the calendar never does). `unread` says why they could not be read, for
 * the answer's notice.
 */
class QuerySettings {
  unread: AppSettingsUnread | undefined;

  constructor(
    private readonly model: QueryModel,
    private readonly fromGrafana: AppSettingsFromGrafana
  ) {}

  /** The query's own settings are checked here, before any Prometheus query; bad ones are the query's error. */
  reader(): () => Promise<HeadroomAppSettings> {
    if (this.model.appSettings != null) {
      const own = parseAppSettings(this.model.appSettings);
      return () => Promise.resolve(own);
    }
    return async () => {
      const reading = await this.fromGrafana();
      if ('unread' in reading) {
        this.unread = reading.unread;
        return {};
      }
      return reading.settings;
    };
  }
}

/** The shared context of the forecast, capacity, efficiency and alert answers, each analysis run in place. */
function analysisContext(
  access: PrometheusAccess,
  query: DataQueryMessage,
  model: QueryModel,
  settings: QuerySettings,
  signal: AbortSignal | undefined
) {
  const timeRange = timeRangeOf(query);
  return {
    client: access.client,
    catalog: access.catalog,
    filters: fleetFilters(model),
    fromMs: timeRange.fromEpochMs,
    toMs: timeRange.toEpochMs,
    endMs: timeRange.toEpochMs,
    appSettings: settings.reader(),
    signal,
  };
}

async function framesOf(
  access: PrometheusAccess,
  query: DataQueryMessage,
  model: QueryModel,
  queryType: string,
  settings: QuerySettings,
  signal: AbortSignal | undefined
): Promise<Frame[]> {
  if (queryType === 'inventory') {
    return inventoryAnswer(access, query, model, signal);
  }
  if (queryType === 'fragmentation') {
    return fragmentationAnswer(access, query, model, signal);
  }
  const refId = query.refId;
  // Said before any Prometheus query: no range or Prometheus makes the LSTM run here.
  if ((model.model ?? '').trim() === LSTM_MODEL && ['forecast', 'capacity', 'alert'].includes(queryType)) {
    throw lstmOnServerError();
  }
  if (queryType === 'forecast' || queryType === 'capacity') {
    const context = { ...analysisContext(access, query, model, settings, signal), run: runForecastOnServer };
    return runForecastQuery({ ...model, refId, queryType }, context);
  }
  if (queryType === 'efficiency') {
    return runEfficiencyQuery(
      { ...model, refId },
      { ...analysisContext(access, query, model, settings, signal), run: runEfficiencyInPlace }
    );
  }
  if (queryType === 'serving') {
    const { client, catalog, fromMs, toMs } = analysisContext(access, query, model, settings, signal);
    return runServingQuery({ ...model, refId }, { client, catalog, fromMs, toMs, signal });
  }
  if (queryType === 'alert') {
    return alertFrames(
      { ...model, refId },
      {
        ...analysisContext(access, query, model, settings, signal),
        runForecast: runForecastOnServer,
        runEfficiency: runEfficiencyInPlace,
        runFragmentation: runInPlace,
      }
    );
  }
  throw new CodedQueryModelError({
    code: 'unknown-query-type-error',
    queryType,
    allowed: ['inventory', 'forecast', 'capacity', 'fragmentation', 'efficiency', 'serving', 'alert'],
    inEditor: false,
  });
}

/** Alert measures whose analysis reads the settings (the waste's prices) but whose number uses none of them. */
const SETTINGS_UNUSED_MEASURES = ['idleGpus'];

/**
 * Says so on an answer whose analysis asked for the app's settings and went without them: the shipped list prices, no
 * calendar, no budget. Coded, so that Headroom's pages and panels word it in the user's language (frameTexts.ts).
 */
function withUnreadNotice(frames: Frame[], unread: AppSettingsUnread | undefined, model: QueryModel): Frame[] {
  if (unread === undefined || frames.length === 0 || SETTINGS_UNUSED_MEASURES.includes(model.measure ?? '')) {
    return frames;
  }
  const [first, ...rest] = frames;
  const text = appSettingsUnreadText(unread);
  // A refusal is a setup to mend; no account at all is how Grafana runs unless someone turned it on.
  const severity = unread.reason === 'no-account' ? ('info' as const) : ('warning' as const);
  const texts = (first.meta?.custom?.texts ?? {}) as FrameTexts;
  const noticed = { ...first, meta: { ...first.meta, notices: [...(first.meta?.notices ?? []), { severity, text }] } };
  return [withTexts(noticed, { ...texts, notices: { ...texts.notices, [text]: unread } }), ...rest];
}

/** Told of every answer, for the backend's metrics. */
export type AnswerListener = (queryType: string, status: number) => void;

const NO_ACCOUNT: AppSettingsFromGrafana = () =>
  Promise.resolve({ unread: { code: 'app-settings-unread', reason: 'no-account' } });

export async function queryData(
  connection: PrometheusConnection,
  queries: DataQueryMessage[],
  onAnswer: AnswerListener = () => undefined,
  appSettingsFromGrafana: AppSettingsFromGrafana = NO_ACCOUNT,
  signal?: AbortSignal
): Promise<Record<string, DataResponseMessage>> {
  const access = prometheusAccess(connection);
  const answers = await Promise.all(
    queries.map(async (query): Promise<[string, DataResponseMessage]> => {
      let queryType = query.queryType;
      const answer = (response: DataResponseMessage): [string, DataResponseMessage] => {
        onAnswer(queryType, response.status);
        return [query.refId, response];
      };
      try {
        const model = parseModel(query);
        // The model's own queryType is what the editor saved; Grafana copies it to the DataQuery field as well.
        queryType = model.queryType ?? (query.queryType || 'inventory');
        const settings = new QuerySettings(model, appSettingsFromGrafana);
        const answered = await framesOf(access, query, model, queryType, settings, signal);
        const frames = withUnreadNotice(answered, settings.unread, model).map(encodeFrame);
        return answer({ frames, error: '', status: 200, errorSource: '' });
      } catch (error) {
        // Too little history is the query's (its range, its target), as is a field out of range or bad JSON.
        const bad =
          error instanceof QueryModelError || error instanceof SyntaxError || error instanceof InsufficientHistoryError;
        const redact = (text: unknown) => errorMessage(text, connection.secrets, connection.secretHeaderNames);
        const message = redact(error);
        return answer({
          frames: errorTextFrames(query.refId, message, error, redact).map(encodeFrame),
          error: message,
          status: bad ? 400 : 500,
          // Grafana counts errors by source: Prometheus failing is downstream, anything else is ours.
          errorSource: error instanceof PrometheusError ? 'downstream' : 'plugin',
        });
      }
    })
  );
  return Object.fromEntries(answers);
}
