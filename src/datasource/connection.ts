/**
 * The one way the browser side reaches the Prometheus a Headroom data source reads from: its client and the metric
 * catalog with the data source's overrides. The data source's queries and the Alerts page both connect here, so
 * they read the same names through the same path.
 *
 * Two paths, both through Grafana's data source resource API (`/api/datasources/uid/<uid>/resources/api/v1/...`):
 * - **own**: the Headroom data source has a URL and Grafana runs its backend: the call goes to Headroom's backend
 *   (src/backend/callResource.ts), which reads Prometheus with the data source's own URL, auth, TLS and headers,
 *   the same connection its health check, queries and alert evaluations use;
 * - **borrowed**: no URL (settings from before Headroom had a backend): the call goes to the person's Prometheus
 *   data source (`prometheusUid`), which forwards it with its own credentials.
 */
import { t } from '@grafana/i18n';
import type { DataSourceInstanceSettings } from '@grafana/data';

import { createCatalog, effectiveOverrides, type MetricCatalog } from '../prometheus/catalog';
import { createPrometheusClient } from '../prometheus/client';
import { errorMessage } from '../prometheus/redact';
import { shareIdenticalRequests } from '../prometheus/sharedRequests';
import type { PrometheusClient, PrometheusTransport } from '../prometheus/types';
import { createGrafanaTransport, secretHeaderNames } from './grafanaTransport';
import type { HeadroomDataSourceOptions } from './types';

export const NO_PROMETHEUS_MESSAGE =
  'Headroom has no Prometheus to read from: open Connections → Data sources → Headroom, enter the URL of your ' +
  'Prometheus (with DCGM and kube-state-metrics metrics) and its authentication, or choose a Prometheus data ' +
  'source, then Save & test.';

export const noRuleDataSourceMessage = () =>
  t(
    'alerts.no-rule-datasource',
    'Threshold rules run in Grafana on a Prometheus-type data source: choose yours under "Prometheus data source for alert rules" in the Headroom data source settings, then Save & test.'
  );

/** What of a Headroom data source's instance settings the connection depends on. */
export type HeadroomInstanceSettings = Pick<
  DataSourceInstanceSettings<HeadroomDataSourceOptions>,
  'uid' | 'jsonData' | 'meta'
>;

export type ConnectionPath = 'own' | 'borrowed';

export interface PrometheusConnection {
  client: PrometheusClient;
  catalog: MetricCatalog;
  path: ConnectionPath;
  /** The data source whose resource API the calls go through: Headroom's own, or the borrowed Prometheus. */
  resourceUid: string;
  /** The Prometheus data source behind Headroom: Grafana evaluates Headroom's threshold rules on it. */
  prometheusUid?: string;
  /** A failure's message as a page or panel shows it, credentials redacted. */
  messageOf: (error: unknown) => string;
}

/**
 * One transport per data source for the whole page, so that the identical requests its panels send at once go to
 * Prometheus once (prometheus/sharedRequests.ts). Every caller in the tab is the same Grafana user.
 */
const transports = new Map<string, PrometheusTransport>();

export function prometheusClientFor(resourceUid: string): PrometheusClient {
  let transport = transports.get(resourceUid);
  if (!transport) {
    transport = shareIdenticalRequests(createGrafanaTransport(resourceUid));
    transports.set(resourceUid, transport);
  }
  return createPrometheusClient(transport);
}

/**
 * Which path a data source's settings take: its own when the settings page recorded a URL and Grafana runs the
 * backend (`backend: true` in the plugin's plugin.json; without it Grafana has no resource API for Headroom), else
 * the borrowed Prometheus data source; undefined when neither is configured.
 */
export function connectionPath(settings: HeadroomInstanceSettings): ConnectionPath | undefined {
  if (settings.jsonData.ownConnection && settings.meta?.backend) {
    return 'own';
  }
  return settings.jsonData.prometheusUid ? 'borrowed' : undefined;
}

/** The data source whose resource API a connection goes through, if the settings give one. */
export function resourceUidOf(settings: HeadroomInstanceSettings): string | undefined {
  const path = connectionPath(settings);
  return path === 'own' ? settings.uid : path === 'borrowed' ? settings.jsonData.prometheusUid : undefined;
}

/** The connection a data source's settings describe; throws with what to configure when they give none. */
export function prometheusConnection(settings: HeadroomInstanceSettings): PrometheusConnection {
  const path = connectionPath(settings);
  const resourceUid = resourceUidOf(settings);
  if (path === undefined || resourceUid === undefined) {
    throw new Error(NO_PROMETHEUS_MESSAGE);
  }
  return {
    client: prometheusClientFor(resourceUid),
    catalog: createCatalog(effectiveOverrides(settings.jsonData.metricOverrides)),
    path,
    resourceUid,
    prometheusUid: settings.jsonData.prometheusUid,
    messageOf: prometheusErrorMessage(resourceUid),
  };
}

/**
 * What a page or panel shows of a failure reading through the data source `resourceUid`: its message with every
 * credential redacted, the values of that data source's custom HTTP headers included (their names are read when it
 * is called).
 */
export function prometheusErrorMessage(resourceUid: string | undefined): (error: unknown) => string {
  return (error) => errorMessage(error, [], secretHeaderNames(resourceUid));
}
