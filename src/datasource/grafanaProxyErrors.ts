/**
 * What Grafana's data source resource API answers instead of Prometheus, read from Grafana 12.4's code
 * (docs/grafana-compatibility.md, "Resource proxy"), turned into messages that say what to do. Prometheus' own
 * answers (its error envelope, or whatever a proxy in front of it sent) are not Grafana's and are left alone.
 */
import type { GrafanaProxyErrorText, GrafanaProxyFailure } from '../frames/frameTexts';
import { PrometheusError } from '../prometheus/errors';
import { redactedFigures } from '../prometheus/redact';

/** The Prometheus data source Headroom reads through, as a message names it. */
export interface ProxiedDataSource {
  uid: string;
  /** Its name, when Grafana knows the uid. */
  name?: string;
  /** Its `timeout`, which bounds Grafana's call to Prometheus. */
  timeoutSeconds: number;
}

export interface GrafanaAnswer {
  status?: number;
  /** Grafana's `message`, or the reason no answer came. */
  message?: string;
  messageId?: string;
}

const RESELECT_ADVICE =
  'Open Connections → Data sources → Headroom, choose the Prometheus data source again, then Save & test.';

export class GrafanaProxyError extends PrometheusError {
  readonly text: GrafanaProxyErrorText;

  constructor(
    readonly failure: GrafanaProxyFailure,
    readonly dataSource: ProxiedDataSource,
    readonly answer: GrafanaAnswer = {}
  ) {
    super(advice(failure, dataSource, answer));
    this.text = redactedFigures({
      code: 'grafana-proxy-error',
      failure,
      uid: dataSource.uid,
      name: dataSource.name ?? '',
      timeoutSeconds: dataSource.timeoutSeconds,
      status: answer.status ?? null,
      message: answer.message ?? '',
      messageId: answer.messageId ?? '',
    });
  }
}

function advice(failure: GrafanaProxyFailure, dataSource: ProxiedDataSource, answer: GrafanaAnswer): string {
  const named = dataSource.name ? `"${dataSource.name}" (uid ${dataSource.uid})` : `with uid "${dataSource.uid}"`;
  const grafanaSaid = answer.message ? ` (Grafana: "${answer.message}")` : '';
  switch (failure) {
    case 'no-answer':
      return (
        `Grafana could not get an answer from Prometheus for the data source ${named}: Prometheus is unreachable ` +
        `or slower than the data source's timeout (${dataSource.timeoutSeconds} s). The cause is in Grafana's ` +
        'server log (search for plugin.requestFailureError). Check that Prometheus is running and reachable from ' +
        "the Grafana server; if it is only slow, narrow the time range or raise the data source's Timeout."
      );
    case 'missing':
      return (
        `Headroom reads from the Prometheus data source ${named}, which no longer exists in Grafana (deleted, or ` +
        `in another organisation)${grafanaSaid}. ${RESELECT_ADVICE}`
      );
    case 'forbidden':
      return (
        `You have no permission to query the Prometheus data source ${named} that Headroom reads from` +
        `${grafanaSaid}. Ask a Grafana administrator for the Query permission on that data source.`
      );
    case 'invalid-uid':
      return (
        `Headroom's settings name the Prometheus data source by uid "${dataSource.uid}", which is not a valid ` +
        `data source uid${grafanaSaid}. ${RESELECT_ADVICE}`
      );
    case 'grafana':
      return (
        `Grafana answered HTTP ${answer.status} instead of Prometheus for the data source ${named} ` +
        `(${answer.messageId}: "${answer.message ?? ''}"). The cause is in Grafana's server log.`
      );
    case 'no-grafana':
      return (
        `No answer from Grafana's server for the Prometheus data source ${named} (${answer.message}). Check the ` +
        "connection to Grafana and reload the page; if it persists, the cause is in Grafana's server log."
      );
  }
}

/**
 * Which failure a non-2xx answer is, when Grafana made it rather than Prometheus; `undefined` for Prometheus' own
 * answers. `data` is the body as Grafana's BackendSrv hands it over (parsed JSON, `message` filled in).
 */
export function grafanaProxyFailure(status: number, data: unknown): GrafanaProxyFailure | undefined {
  if (typeof data !== 'object' || data === null) {
    return undefined;
  }
  const body = data as { message?: unknown; messageId?: unknown; title?: unknown; status?: unknown };
  if (body.status === 'error') {
    return undefined;
  }
  const { message, messageId } = body;
  if (status === 500 && (messageId === 'plugin.requestFailureError' || message === 'Failed to call resource')) {
    return 'no-answer';
  }
  if (status === 500 && message === 'Unable to load datasource meta data') {
    return 'missing';
  }
  if (status === 400 && message === 'UID is invalid') {
    return 'invalid-uid';
  }
  // The route's permission check answers with a title; the data source checks with a message and a traceID.
  const grafanaDenied =
    body.title === 'Access denied' ||
    message === 'Access denied to datasource' ||
    (message === 'Access denied' && 'traceID' in body);
  if (status === 403 && grafanaDenied) {
    return 'forbidden';
  }
  return typeof messageId === 'string' ? 'grafana' : undefined;
}

/** Grafana's `message` and `messageId`, for the error message. */
export function grafanaAnswer(status: number, data: unknown): GrafanaAnswer {
  const body = (typeof data === 'object' && data !== null ? data : {}) as { message?: unknown; messageId?: unknown };
  return {
    status,
    message: typeof body.message === 'string' ? body.message : undefined,
    messageId: typeof body.messageId === 'string' ? body.messageId : undefined,
  };
}
