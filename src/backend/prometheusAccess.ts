/** A Prometheus client and metric catalog for one data source instance, from the settings Grafana sent. */
import { createCatalog, type MetricCatalog } from '../prometheus/catalog';
import { createPrometheusClient } from '../prometheus/client';
import { createFetchTransport } from '../prometheus/fetchTransport';
import { shareIdenticalRequests } from '../prometheus/sharedRequests';
import type { PrometheusClient, PrometheusTransport } from '../prometheus/types';
import type { PrometheusConnection } from './settings';
import { tlsFetch } from './tlsFetch';

export interface PrometheusAccess {
  client: PrometheusClient;
  catalog: MetricCatalog;
  /**
   * The same object for every call with the same settings (connection, timeout, metric names): what such calls
   * share while it is being fetched, as the Fragmentation page's snapshot and over-time panels share the newest state.
   */
  sharedBy: object;
}

/**
 * One transport per connection for the whole process: Grafana sends each panel of a dashboard, and each alert rule of
 * an evaluation, as a call of its own, and calls that ask the same Prometheus the same thing at once share one
 * request (prometheus/sharedRequests.ts). A connection is its address, headers (credentials included) and TLS, so
 * requests are shared only between callers with the same access.
 */
const transports = new Map<string, PrometheusTransport>();
/** Only requests in flight are shared, so forgetting an idle connection's transport loses nothing. */
const MAX_CONNECTIONS = 64;
/** Idle connections to a Prometheus kept this long for the next request (Node's global agent's default). */
const KEEP_ALIVE_MS = 5000;

function transportFor(connection: PrometheusConnection): PrometheusTransport {
  const key = JSON.stringify([connection.url, connection.headers, connection.tls]);
  let transport = transports.get(key);
  if (!transport) {
    if (transports.size >= MAX_CONNECTIONS) {
      transports.clear();
    }
    transport = shareIdenticalRequests(
      createFetchTransport(connection.url, {
        headers: connection.headers,
        secrets: connection.secrets,
        fetch: tlsFetch(connection.tls, { keepAliveMs: KEEP_ALIVE_MS }),
      })
    );
    transports.set(key, transport);
  }
  return transport;
}

/** Holds nothing itself: the fetches shared through it are forgotten when they settle. */
const sharingScopes = new Map<string, object>();

function sharingScopeFor(connection: PrometheusConnection): object {
  const key = JSON.stringify([
    connection.url,
    connection.headers,
    connection.tls,
    connection.timeoutMs,
    connection.metricOverrides,
  ]);
  let scope = sharingScopes.get(key);
  if (!scope) {
    if (sharingScopes.size >= MAX_CONNECTIONS) {
      sharingScopes.clear();
    }
    scope = {};
    sharingScopes.set(key, scope);
  }
  return scope;
}

export function prometheusAccess(connection: PrometheusConnection): PrometheusAccess {
  return {
    client: createPrometheusClient(transportFor(connection), { timeoutMs: connection.timeoutMs }),
    catalog: createCatalog(connection.metricOverrides),
    sharedBy: sharingScopeFor(connection),
  };
}
