// A stand-in for Grafana's Prometheus data source, for the plain PromQL panels of the runbook dashboards only. Grafana's
// own is core code (not on npm) that queries through `/api/ds/query` and its Go backend (pkg/promlib); this asks the
// same Prometheus through the harness's resource proxy (`api/v1/query_range`, `api/v1/query`) and answers frames of
// the shape promlib gives a dashboard: one frame per series, fields `Time` and `Value` with the series' labels, the
// legend format rendered into `displayNameFromDS`, a target's `interval` as its min step. What it does not do: exemplars, the heatmap and table formats,
// ad hoc filters, Grafana's step alignment and its `$__rate_interval` (taken here as max(step + 15 s, 60 s), the
// default 15 s scrape interval), query caching, and errors in Grafana's wording.
import {
  DataSourceApi,
  FieldType,
  rangeUtil,
  type DataFrame,
  type DataQuery,
  type DataQueryRequest,
  type DataQueryResponse,
  type DataSourceInstanceSettings,
} from '@grafana/data';
import { getBackendSrv, getTemplateSrv } from '@grafana/runtime';
import { lastValueFrom } from 'rxjs';

interface PromQuery extends DataQuery {
  expr: string;
  /** Min step (`1h`): the step is at least this, as Grafana's Prometheus data source takes it. */
  interval?: string;
  legendFormat?: string;
  instant?: boolean;
  range?: boolean;
}

interface PromSeries {
  metric: Record<string, string>;
  values?: Array<[number, string]>;
  value?: [number, string];
}

const MIN_STEP_SECONDS = 15;

/** `{{label}}` replaced by the series' value of it, as Grafana renders a legend format. */
function legend(format: string | undefined, labels: Record<string, string>): string | undefined {
  if (!format || format === '__auto') {
    return undefined;
  }
  return format.replace(/\{\{\s*([^}\s]+)\s*\}\}/g, (_, name: string) => labels[name] ?? '');
}

export class HarnessPrometheusDataSource extends DataSourceApi<PromQuery> {
  constructor(private readonly settings: DataSourceInstanceSettings) {
    super(settings);
  }

  async query(request: DataQueryRequest<PromQuery>): Promise<DataQueryResponse> {
    const frames = await Promise.all(
      request.targets
        .filter((target) => !target.hide && target.expr)
        .map((target) => {
          const stepSeconds = Math.max(
            MIN_STEP_SECONDS,
            Math.round(request.intervalMs / 1000),
            target.interval ? rangeUtil.intervalToSeconds(target.interval) : 0
          );
          const rateInterval = `${Math.max(stepSeconds + 15, 60)}s`;
          const scopedVars = { ...request.scopedVars, __rate_interval: { text: rateInterval, value: rateInterval } };
          return this.run(target, getTemplateSrv().replace(target.expr, scopedVars), request, stepSeconds);
        })
    );
    return { data: frames.flat() };
  }

  private async run(
    target: PromQuery,
    expr: string,
    request: DataQueryRequest<PromQuery>,
    stepSeconds: number
  ): Promise<DataFrame[]> {
    const instant = target.instant === true && target.range !== true;
    const end = Math.floor(request.range.to.valueOf() / 1000);
    const params = instant
      ? { query: expr, time: end }
      : { query: expr, start: Math.floor(request.range.from.valueOf() / 1000), end, step: stepSeconds };
    const response = await lastValueFrom(
      getBackendSrv().fetch<{ data: { result: PromSeries[] } }>({
        url: `/api/datasources/uid/${this.settings.uid}/resources/api/v1/${instant ? 'query' : 'query_range'}`,
        params,
      })
    );
    return response.data.data.result.map((series) => {
      const points = series.values ?? (series.value ? [series.value] : []);
      const { __name__, ...labels } = series.metric;
      return {
        refId: target.refId,
        name: __name__,
        length: points.length,
        fields: [
          { name: 'Time', type: FieldType.time, config: {}, values: points.map(([t]) => t * 1000) },
          {
            name: 'Value',
            type: FieldType.number,
            labels,
            config: { displayNameFromDS: legend(target.legendFormat, series.metric) },
            values: points.map(([, v]) => Number(v)),
          },
        ],
      };
    });
  }

  async testDatasource() {
    return { status: 'success', message: 'The harness stand-in does not test Prometheus.' };
  }
}
