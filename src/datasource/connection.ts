/**
 * The one way the browser side reaches the Prometheus a Headroom data source reads from: its client (through
 * Grafana's resource proxy of that Prometheus data source) and the metric catalog with the data source's overrides.
 * The data source's queries and the Alerts page both connect here, so they read the same names.
 */
import { createCatalog, effectiveOverrides, type MetricCatalog } from '../prometheus/catalog';
import { createPrometheusClient } from '../prometheus/client';
import { errorMessage } from '../prometheus/redact';
import type { PrometheusClient } from '../prometheus/types';
import { createGrafanaTransport, secretHeaderNames } from './grafanaTransport';
import type { HeadroomDataSourceOptions } from './types';

export const NO_PROMETHEUS_MESSAGE =
  'Headroom has no Prometheus data source to read from: open Connections → Data sources → Headroom, choose the ' +
  'Prometheus data source with your DCGM and kube-state-metrics metrics, then Save & test.';

export interface PrometheusConnection {
  client: PrometheusClient;
  catalog: MetricCatalog;
  /** The Prometheus data source behind Headroom: Grafana evaluates Headroom's alert rules on it. */
  prometheusUid: string;
}

export function prometheusClientFor(prometheusUid: string): PrometheusClient {
  return createPrometheusClient(createGrafanaTransport(prometheusUid));
}

/** The connection a data source's settings describe; throws with what to configure when they name no Prometheus. */
export function prometheusConnection(jsonData: HeadroomDataSourceOptions): PrometheusConnection {
  if (!jsonData.prometheusUid) {
    throw new Error(NO_PROMETHEUS_MESSAGE);
  }
  return {
    client: prometheusClientFor(jsonData.prometheusUid),
    catalog: createCatalog(effectiveOverrides(jsonData.metricOverrides)),
    prometheusUid: jsonData.prometheusUid,
  };
}

/**
 * What a page or panel shows of a failure reading through `prometheusUid`: its message with every credential
 * redacted, the values of that data source's custom HTTP headers included (their names are read when it is called).
 */
export function prometheusErrorMessage(prometheusUid: string | undefined): (error: unknown) => string {
  return (error) => errorMessage(error, [], secretHeaderNames(prometheusUid));
}
