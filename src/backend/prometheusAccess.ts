/** A Prometheus client and metric catalog for one data source instance, from the settings Grafana sent. */
import { createCatalog, type MetricCatalog } from '../prometheus/catalog';
import { createPrometheusClient } from '../prometheus/client';
import { createFetchTransport } from '../prometheus/fetchTransport';
import type { PrometheusClient } from '../prometheus/types';
import type { PrometheusConnection } from './settings';
import { tlsFetch } from './tlsFetch';

export interface PrometheusAccess {
  client: PrometheusClient;
  catalog: MetricCatalog;
}

export function prometheusAccess(connection: PrometheusConnection): PrometheusAccess {
  const transport = createFetchTransport(connection.url, {
    headers: connection.headers,
    secrets: connection.secrets,
    fetch: tlsFetch(connection.tls),
  });
  return {
    client: createPrometheusClient(transport, { timeoutMs: connection.timeoutMs }),
    catalog: createCatalog(connection.metricOverrides),
  };
}
