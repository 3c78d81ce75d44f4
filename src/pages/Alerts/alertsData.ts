/**
 * How the Alerts page reaches its data inside Grafana: the Headroom data source's Prometheus (through Grafana's
 * resource API, src/datasource/connection.ts), the history of the watched series, and the rules Headroom manages.
 */
import type { DataSourceInstanceSettings } from '@grafana/data';
import { t } from '@grafana/i18n';
import { getDataSourceSrv } from '@grafana/runtime';
import { prometheusConnection, type PrometheusConnection } from '../../datasource/connection';
import type { HeadroomDataSourceOptions } from '../../datasource/types';
import { WEEK_SECONDS } from '../../engine/thresholds/slots';
import { chooseStepSeconds } from '../../prometheus/step';
import type { PrometheusClient, TimeRangeSeconds } from '../../prometheus/types';
import { ALERT_STEP_SECONDS } from './alertAnalysis';

/** The Headroom data source's Prometheus and metric names; throws with what to configure when it has none. */
export function connectionFor(headroomUid: string): PrometheusConnection {
  const settings = getDataSourceSrv().getInstanceSettings(headroomUid);
  if (!settings) {
    throw new Error(
      t('alerts.error.no-datasource', 'There is no Headroom data source "{{uid}}": choose one above, or add one.', {
        uid: headroomUid,
        interpolation: { escapeValue: false },
      })
    );
  }
  return prometheusConnection(settings as DataSourceInstanceSettings<HeadroomDataSourceOptions>);
}

/** Whether the Headroom data source runs its backend here (plugin.json `backend`): Grafana evaluates rules on it. */
export function hasBackend(headroomUid: string): boolean {
  return getDataSourceSrv().getInstanceSettings(headroomUid)?.meta.backend === true;
}

export interface WatchedHistory {
  timestampsSeconds: number[];
  values: number[];
  stepSeconds: number;
  warnings: string[];
}

/** A series that is not the one series a rule watches: wrong PromQL or a label that changed. */
export class NotOneSeriesError extends Error {}

/**
 * The expression's history over the range, at the alerting step (5 minutes, coarser for ranges past ~38 days).
 * A rule watches exactly one series; Prometheus' own message reaches the caller for rejected PromQL.
 */
export async function fetchWatchedHistory(
  client: PrometheusClient,
  expr: string,
  range: TimeRangeSeconds
): Promise<WatchedHistory> {
  const stepSeconds = chooseStepSeconds(range, { minStepSeconds: ALERT_STEP_SECONDS });
  const result = await client.queryRange(expr, { ...range, stepSeconds });
  if (result.series.length !== 1) {
    const labels = result.series
      .slice(0, 3)
      .map((s) => JSON.stringify(s.labels))
      .join(', ');
    throw new NotOneSeriesError(
      result.series.length === 0
        ? t(
            'alerts.error.no-series',
            'The expression gives no series in this time range: check the metric names and the range.'
          )
        : t(
            'alerts.error.many-series',
            'The expression gives {{series}} series ({{labels}}); a rule watches exactly one: aggregate it (sum, avg, max) or narrow it with label matchers.',
            {
              series: result.series.length,
              labels: `${labels}${result.series.length > 3 ? ', …' : ''}`,
              interpolation: { escapeValue: false },
            }
          )
    );
  }
  const [series] = result.series;
  return { timestampsSeconds: series.timestampsSeconds, values: series.values, stepSeconds, warnings: result.warnings };
}

/** The 4 weeks a recalibration learns from (the band's training window), ending at `endSeconds`. */
export function trainingRange(endSeconds: number): TimeRangeSeconds {
  return { startSeconds: endSeconds - 4 * WEEK_SECONDS, endSeconds };
}
