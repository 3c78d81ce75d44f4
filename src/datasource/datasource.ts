import {
  dateTime,
  getDefaultTimeRange,
  LoadingState,
  type DataFrame,
  type DataQueryError,
  type DataQueryRequest,
  type DataQueryResponse,
  type DataSourceInstanceSettings,
  type LegacyMetricFindQueryOptions,
  type MetricFindValue,
  type ScopedVars,
  type TestDataSourceResponse,
} from '@grafana/data';
import { DataSourceWithBackend, getTemplateSrv } from '@grafana/runtime';
import { catchError, combineLatest, filter, from, map, of, startWith, switchMap, type Observable } from 'rxjs';

import { LSTM_MODEL } from '../frames/forecast/forecastTask';
import { detectFamilies } from '../prometheus/detect';
import { fetchInventory } from '../prometheus/inventory';
import { rangeQueryOptions } from '../prometheus/queryRange';
import type { FleetFilters } from '../prometheus/types';
import { filterText, interpolateFilter, type FilterTemplateSrv } from './filterInterpolation';
import { backendHealth } from './backendHealth';
import { grafanaFailureMessage } from './grafanaFailureMessage';
import {
  connectionPath,
  NO_PROMETHEUS_MESSAGE,
  prometheusConnection,
  prometheusErrorMessage,
  resourceUidOf,
  type HeadroomInstanceSettings,
  type PrometheusConnection,
} from './connection';
import { HEALTH_CHECK_WINDOW_SECONDS, healthCheckResult } from './healthCheck';
import { queryAppSettings, type HeadroomAppSettings } from './appSettings';
import { loadAppSettings } from './appSettingsClient';
import { runAlertQuery } from './alert/runAlertQuery';
import { runEfficiencyQuery } from './efficiency/runEfficiencyQuery';
import { forecastAnswers, LOADING_ANSWER, type TargetAnswer } from './forecast/forecastProgress';
import { runForecastQuery } from './forecast/runForecastQuery';
import { runFragmentationQuery } from './fragmentation/runFragmentationQuery';
import { runServingQuery } from '../frames/serving/runServingQuery';
import { errorTextFrames } from '../frames/frameTexts';
import { errorsInUserLanguage } from './wording/frameTexts';
import { CodedQueryModelError } from '../frames/queryErrors';
import { toDataFrame } from './frameValues';
import { inventoryFrames } from './inventoryFrames';
import { DEFAULT_QUERY, QUERY_TYPE_LABELS, type HeadroomDataSourceOptions, type HeadroomQuery } from './types';
import { labelValuesLookup, parseVariableQuery, type VariableFilterKey } from './variableQuery';

/** Text fields of forecast and capacity queries that may hold template variables (the Forecast page's state). */
const INTERPOLATED_FIELDS = [
  'target',
  'expr',
  'horizonHours',
  'model',
  'capacity',
  'targetUtilisationPercent',
  'throughputPerGpu',
  'coldStartHours',
  'demandLevel',
  'priceGpuModel',
  'whatIf',
  'workloadDays',
  'wasteGroupBy',
  'pricingTier',
  'withinDays',
  'monthlyBudget',
  'deployment',
  'nodePool',
  'nodeGroup',
] as const satisfies ReadonlyArray<keyof HeadroomQuery>;

/**
 * The query types Headroom's backend answers through QueryData (src/backend/queryData.ts) with the browser's frames.
 * On the own path the browser sends them there; an unknown type stays here, for the message naming the editor's types.
 */
const SERVER_QUERY_TYPES: ReadonlyArray<HeadroomQuery['queryType']> = [
  'inventory',
  'forecast',
  'capacity',
  'fragmentation',
  'efficiency',
  'alert',
  'serving',
];

/** The query types whose answers read the app's settings (calendar, prices, budget): sent with them to the backend. */
const APP_SETTINGS_QUERY_TYPES: ReadonlyArray<HeadroomQuery['queryType']> = [
  'forecast',
  'capacity',
  'efficiency',
  'alert',
];

/** The key of every packet `query()` sends: each one holds the whole answer so far and replaces the one before. */
export const PACKET_KEY = 'headroom';

export class HeadroomDataSource extends DataSourceWithBackend<HeadroomQuery, HeadroomDataSourceOptions> {
  private readonly settings: HeadroomInstanceSettings;
  /** A failure's message as panels show it, credentials redacted (also the custom headers' values). */
  private readonly messageOf: (error: unknown) => string;

  constructor(
    instanceSettings: DataSourceInstanceSettings<HeadroomDataSourceOptions>,
    private readonly templateSrv: FilterTemplateSrv = getTemplateSrv()
  ) {
    super(instanceSettings);
    this.settings = instanceSettings;
    this.messageOf = prometheusErrorMessage(resourceUidOf(instanceSettings));
  }

  getDefaultQuery(): Partial<HeadroomQuery> {
    return DEFAULT_QUERY;
  }

  filterQuery(query: HeadroomQuery): boolean {
    return !query.hide;
  }

  /**
   * A stream, because forecasts with the LSTM train for seconds: they report progress in Loading packets, and
   * Grafana's unsubscribing (refresh, leaving the page) cancels them. The other query types answer once.
   *
   * Every packet holds the answers of all targets so far, under one key. Grafana's runRequest files a packet under
   * `packet.key ?? data[0].refId ?? 'A'`, replaces the packet of the same key and concatenates the rest, and takes
   * the panel's state from the latest packet only. With one key the latest packet is the whole answer: each frame
   * once, Loading until every target has answered, every target's error. Keys per target would keep each target's
   * frames apart, but the latest packet's state would then speak for one target (Done while another still loads) and
   * Grafana would keep the errors of one packet only.
   *
   * On the own path (a URL of its own, Grafana running the backend) the targets the backend answers go together in
   * one request to Grafana's `/api/ds/query`, as DataSourceWithBackend sends it, and come back as one answer among
   * the others: the backend reads Prometheus and runs the analysis, the same frames as here. The LSTM trains in the
   * browser (the backend refuses it), and the borrowed path has no backend: those run here.
   */
  query(request: DataQueryRequest<HeadroomQuery>): Observable<DataQueryResponse> {
    const targets = request.targets.filter((target) => this.filterQuery(target));
    if (targets.length === 0) {
      return of({ data: [], state: LoadingState.Done, key: PACKET_KEY });
    }
    const own = connectionPath(this.settings) === 'own';
    const onServer = own ? targets.filter((target) => this.answersOnServer(target, request.scopedVars)) : [];
    const perTarget: Array<Observable<TargetAnswer>> = [];
    targets.forEach((target) => {
      if (!onServer.includes(target)) {
        perTarget.push(this.targetAnswers(target, request));
      } else if (target === onServer[0]) {
        // The server's answer takes the place of its first target, so frames keep the order of the targets.
        perTarget.push(this.serverAnswers(request, onServer));
      }
    });
    // combineLatest waits for every target: with several, each starts as Loading so that a fast one shows at once.
    return combineLatest(
      perTarget.length > 1 ? perTarget.map((answers) => answers.pipe(startWith(LOADING_ANSWER))) : perTarget
    ).pipe(
      // Nothing to say until one target has answered: Grafana shows Loading by itself after 200 ms.
      filter((answers) => answers.some((answer) => answer !== LOADING_ANSWER)),
      map((answers) => {
        const data = answers.flatMap((answer) => answer.frames);
        const errors = answers.flatMap((answer) => [...(answer.error ? [answer.error] : []), ...(answer.errors ?? [])]);
        // In the user's language where Headroom words the error itself: Grafana's error badge and Explore show the
        // message as it comes (the frames stay English, with their codes, for the pages and panels).
        return {
          key: PACKET_KEY,
          data,
          errors: errorsInUserLanguage(errors, data),
          state: answers.some((answer) => answer.loading) ? LoadingState.Loading : LoadingState.Done,
        };
      })
    );
  }

  /** Whether the backend answers a target: a type it knows, and not a forecast with the LSTM, which trains here. */
  private answersOnServer(target: HeadroomQuery, scopedVars: ScopedVars): boolean {
    const queryType = target.queryType ?? DEFAULT_QUERY.queryType;
    if (!SERVER_QUERY_TYPES.includes(queryType)) {
      return false;
    }
    // The Forecast page keeps the model in a variable: the model that runs is the replaced one.
    const model = this.templateSrv.replace(target.model ?? '', scopedVars).trim();
    return !((queryType === 'forecast' || queryType === 'capacity') && model === LSTM_MODEL);
  }

  /**
   * The backend's answer to `targets`, through DataSourceWithBackend's query: Grafana's request shape and headers,
   * variables replaced by applyTemplateVariables, frames and per-query errors read by toDataQueryResponse. Queries
   * that read the app's settings carry them (`appSettings`): Grafana sends a data source's backend no app settings.
   * When the settings cannot be read (a 403 under custom access rules), only the queries that read them fail.
   */
  private serverAnswers(request: DataQueryRequest<HeadroomQuery>, targets: HeadroomQuery[]): Observable<TargetAnswer> {
    const readsSettings = (target: HeadroomQuery) => APP_SETTINGS_QUERY_TYPES.includes(target.queryType);
    const settingsLoad: Promise<{ settings?: HeadroomAppSettings; failure?: string }> = targets.some(readsSettings)
      ? loadAppSettings().then(
          (settings) => ({ settings }),
          (error: unknown) => ({ failure: grafanaFailureMessage(error) })
        )
      : Promise.resolve({});
    return from(settingsLoad).pipe(
      switchMap(({ settings, failure }) => {
        const refused = failure === undefined ? [] : targets.filter(readsSettings);
        const refusedErrors = refused.map((target) => ({
          refId: target.refId,
          message: `Headroom could not read its app settings (GPU prices, business calendar, budget), which this query uses: ${failure}`,
        }));
        const sent = targets.filter((target) => !refused.includes(target));
        if (sent.length === 0) {
          return of<TargetAnswer>({ frames: [], errors: refusedErrors, loading: false });
        }
        const order = (refId: string | undefined) => sent.findIndex((target) => target.refId === refId);
        return super
          .query({
            ...request,
            targets: sent.map((target) =>
              settings && readsSettings(target) ? { ...target, appSettings: queryAppSettings(settings) } : target
            ),
          })
          .pipe(
            map((response): TargetAnswer => ({
              // After an error Grafana's results come sorted by refId (toDataQueryResponse gets no query list then):
              // back into the order of the targets.
              frames: [...response.data].sort((a, b) => order(a.refId) - order(b.refId)),
              errors: [
                ...refusedErrors,
                // toDataQueryResponse sets only `error` when Grafana answers without results (a plugin failure,
                // 500 "An error occurred within the plugin", or 403): it concerns every query sent.
                ...(response.errors ??
                  // eslint-disable-next-line @typescript-eslint/no-deprecated
                  (response.error ? sent.map((target) => ({ ...response.error, refId: target.refId })) : [])),
              ],
              loading: response.state === LoadingState.Loading,
            }))
          );
      }),
      catchError((error: unknown) =>
        of<TargetAnswer>({
          frames: [],
          errors: targets.map((target) => ({ refId: target.refId, message: this.messageOf(error) })),
          loading: false,
        })
      )
    );
  }

  private targetAnswers(target: HeadroomQuery, request: DataQueryRequest<HeadroomQuery>): Observable<TargetAnswer> {
    const queryType = target.queryType ?? DEFAULT_QUERY.queryType;
    if (queryType !== 'forecast' && queryType !== 'capacity') {
      return from(this.runTarget(target, request)).pipe(map((answer) => ({ ...answer, loading: false })));
    }
    return forecastAnswers(
      target.refId,
      async (progress) =>
        runForecastQuery(this.applyTemplateVariables(target, request.scopedVars), {
          ...this.connect(),
          filters: this.fleetFilters(target, request.scopedVars),
          endMs: request.range.to.valueOf(),
          appSettings: loadAppSettings,
          ...progress,
        }),
      this.messageOf
    );
  }

  private async runTarget(
    target: HeadroomQuery,
    request: DataQueryRequest<HeadroomQuery>
  ): Promise<{ frames: DataFrame[]; error?: DataQueryError }> {
    try {
      const queryType = target.queryType ?? DEFAULT_QUERY.queryType;
      const { client, catalog } = this.connect();
      if (queryType === 'efficiency' || queryType === 'alert') {
        const query = this.applyTemplateVariables(target, request.scopedVars);
        const context = {
          client,
          catalog,
          filters: this.fleetFilters(target, request.scopedVars),
          fromMs: request.range.from.valueOf(),
          toMs: request.range.to.valueOf(),
          appSettings: loadAppSettings,
        };
        const frames =
          queryType === 'alert' ? await runAlertQuery(query, context) : await runEfficiencyQuery(query, context);
        return { frames };
      }
      if (queryType === 'fragmentation') {
        const frames = await runFragmentationQuery(this.applyTemplateVariables(target, request.scopedVars), {
          client,
          catalog,
          filters: this.fleetFilters(target, request.scopedVars),
          fromMs: request.range.from.valueOf(),
          toMs: request.range.to.valueOf(),
          // The views of one request share one fleet state.
          sharedBy: request,
        });
        return { frames };
      }
      if (queryType === 'serving') {
        const frames = await runServingQuery(this.applyTemplateVariables(target, request.scopedVars), {
          client,
          catalog,
          fromMs: request.range.from.valueOf(),
          toMs: request.range.to.valueOf(),
        });
        return { frames: frames.map(toDataFrame) };
      }
      if (queryType !== 'inventory') {
        throw new CodedQueryModelError({
          code: 'unknown-query-type-error',
          queryType: String(queryType),
          allowed: Object.values(QUERY_TYPE_LABELS),
          inEditor: true,
        });
      }
      const range = rangeQueryOptions({
        fromMs: request.range.from.valueOf(),
        toMs: request.range.to.valueOf(),
        intervalMs: request.intervalMs,
      });
      const filters = this.fleetFilters(target, request.scopedVars);
      const result = await fetchInventory(client, catalog, { ...range, filters });
      const view = target.inventoryView ?? DEFAULT_QUERY.inventoryView ?? 'fleet';
      return { frames: inventoryFrames(result, view, { refId: target.refId }) };
    } catch (error) {
      const message = this.messageOf(error);
      return {
        frames: errorTextFrames(target.refId, message, error, this.messageOf).map(toDataFrame),
        error: { refId: target.refId, message },
      };
    }
  }

  /** Literal filter values of a query, template variables replaced; All and empty mean no filter. */
  fleetFilters(query: HeadroomQuery, scopedVars: ScopedVars): FleetFilters {
    return {
      nodes: interpolateFilter(query.node, scopedVars, this.templateSrv),
      namespaces: interpolateFilter(query.namespace, scopedVars, this.templateSrv),
      gpuModels: interpolateFilter(query.gpuModel, scopedVars, this.templateSrv),
    };
  }

  /** The query with its variables replaced, written so that running it again selects the same values. */
  applyTemplateVariables(query: HeadroomQuery, scopedVars: ScopedVars): HeadroomQuery {
    const filters = this.fleetFilters(query, scopedVars);
    const replaced = Object.fromEntries(
      INTERPOLATED_FIELDS.flatMap((key) =>
        typeof query[key] === 'string' ? [[key, this.templateSrv.replace(query[key], scopedVars)]] : []
      )
    );
    return {
      ...query,
      ...replaced,
      node: filterText(filters.nodes),
      namespace: filterText(filters.namespaces),
      gpuModel: filterText(filters.gpuModels),
    };
  }

  interpolateVariablesInQueries(queries: HeadroomQuery[], scopedVars: ScopedVars): HeadroomQuery[] {
    return queries.map((query) => this.applyTemplateVariables(query, scopedVars));
  }

  async metricFindQuery(query: string, options?: LegacyMetricFindQueryOptions): Promise<MetricFindValue[]> {
    const parsed = parseVariableQuery(query);
    const scopedVars = options?.scopedVars ?? {};
    const filterValues: Partial<Record<VariableFilterKey, string[]>> = {};
    for (const [key, text] of Object.entries(parsed.filters) as Array<[VariableFilterKey, string]>) {
      filterValues[key] = interpolateFilter(text, scopedVars, this.templateSrv);
    }
    const { client, catalog } = this.connect();
    const lookup = labelValuesLookup(parsed, catalog, filterValues);
    const timeRange = options?.range ?? getDefaultTimeRange();
    const values = await client.labelValues(lookup.label, lookup.matchers, {
      startSeconds: Math.floor(timeRange.from.valueOf() / 1000),
      endSeconds: Math.ceil(timeRange.to.valueOf() / 1000),
    });
    return values.map((text) => ({ text }));
  }

  async testDatasource(): Promise<TestDataSourceResponse> {
    const path = connectionPath(this.settings);
    if (path === undefined) {
      return { status: 'error', message: NO_PROMETHEUS_MESSAGE };
    }
    try {
      if (path === 'own') {
        // The backend says first whether the URL, authentication and TLS work, in words that name the cause.
        const health = await backendHealth(this.uid);
        if (!health.ok) {
          return { status: 'error', message: `Headroom cannot read from Prometheus. ${health.message}` };
        }
      }
      const { client, catalog } = this.connect();
      const endSeconds = Math.floor(dateTime().valueOf() / 1000);
      const detection = await detectFamilies(
        client,
        { startSeconds: endSeconds - HEALTH_CHECK_WINDOW_SECONDS, endSeconds },
        catalog
      );
      return healthCheckResult(detection);
    } catch (error) {
      return { status: 'error', message: `Headroom cannot read from Prometheus. ${this.messageOf(error)}` };
    }
  }

  private connect(): PrometheusConnection {
    return prometheusConnection(this.settings);
  }
}
