// The query errors Headroom words itself, in the user's language from their codes and figures (docs/i18n.md): the
// Prometheus layer's and Grafana's proxy's failures, and the capacity, fragmentation, efficiency and alert queries'.
// What an answer quoted (Prometheus' or Grafana's own text, a query, a body) stays as it was written.
import { t } from '@grafana/i18n';
import type {
  FleetDataErrorText,
  GrafanaProxyErrorText,
  NumberField,
  PrometheusErrorText,
  QueryErrorText,
} from '../frameTexts';
import { shownTargetName } from '../targetLabels';
import { queryTypeText } from '../queryTypeText';
import { QUERY_TYPE_LABELS, type HeadroomQueryType } from '../types';
import { listSeparator } from './localeNumbers';
import type { InsufficientHistoryText } from '../../engine/series';
import { isoMilliseconds } from '../../engine/series/timeText';

export type WordedError =
  PrometheusErrorText | GrafanaProxyErrorText | FleetDataErrorText | InsufficientHistoryText | QueryErrorText;

/** What Prometheus' messages advise for a slow or too large query. */
const longQueryAdvice = () =>
  t(
    'errors.prometheus.long-query-advice',
    'narrow the time range, raise the step, or add recording rules that pre-aggregate per-GPU series for large fleets'
  );

/** A query type as the query editor names it, from its English label (QUERY_TYPE_LABELS); another as it came. */
function editorQueryTypeName(englishLabel: string): string {
  const type = (Object.keys(QUERY_TYPE_LABELS) as HeadroomQueryType[]).find(
    (id) => QUERY_TYPE_LABELS[id] === englishLabel
  );
  return type ? queryTypeText(type).label : englishLabel;
}

/** `a, b or c` in the user's language. */
export function orList(items: readonly string[]): string {
  return items.length < 2
    ? items.join('')
    : t('errors.or-list', '{{items}} or {{last}}', {
        items: items.slice(0, -1).join(listSeparator()),
        last: items[items.length - 1],
        interpolation: { escapeValue: false },
      });
}

export function errorText(text: WordedError): string {
  switch (text.code) {
    case 'prometheus-unreachable':
      return t(
        'errors.prometheus.unreachable',
        'Cannot reach Prometheus at {{target}} ({{cause}}). Check the data source URL, that Prometheus is running, and that the network allows the connection.',
        { target: text.target, cause: text.cause, interpolation: { escapeValue: false } }
      );
    case 'prometheus-timeout':
      return t(
        'errors.prometheus.timeout',
        'Prometheus at {{target}} did not answer within {{seconds}} s: it is overloaded or the query is too expensive; {{advice}}.',
        {
          target: text.target,
          seconds: String(text.seconds),
          advice: longQueryAdvice(),
          interpolation: { escapeValue: false },
        }
      );
    case 'prometheus-http':
      return (
        httpError(text) +
        (text.answer
          ? t('errors.prometheus.answer', ' Answer: {{answer}}', {
              answer: text.answer,
              interpolation: { escapeValue: false },
            })
          : '')
      );
    case 'prometheus-query':
      return (
        queryError(text) +
        (text.query
          ? t('errors.prometheus.query', ' Query: {{query}}', {
              query: text.query,
              interpolation: { escapeValue: false },
            })
          : '')
      );
    case 'prometheus-response':
      return t(
        'errors.prometheus.response',
        'The answer to {{path}} is not a Prometheus API response ({{detail}}). Check that the data source URL points at Prometheus (or Mimir, Thanos, VictoriaMetrics), without /api/v1.',
        { path: text.path, detail: text.detail, interpolation: { escapeValue: false } }
      );
    case 'grafana-proxy-error':
      return grafanaProxyError(text);
    case 'fleet-data-error':
      return t(
        'errors.fleet-data',
        'The fleet state at {{time}} needs kube-state-metrics and a DCGM activity metric in the hour before it. {{details}}',
        {
          time: isoMilliseconds(text.timeSeconds),
          details: text.details.join(' '),
          interpolation: { escapeValue: false },
        }
      );
    case 'insufficient-history-error':
      return t(
        'errors.insufficient-history.message',
        'insufficient history: {{reason}} (have {{have}} steps, need at least {{needed}})',
        {
          reason: insufficientHistoryReason(text),
          // As the message writes them, without digit grouping: the English reads the same as the backend's.
          have: String(text.haveSteps),
          needed: String(text.neededSteps),
          interpolation: { escapeValue: false },
        }
      );
    default:
      return queryErrorText(text);
  }
}

/** Why a series cannot support the analysis (engine/series/errors.ts), as the message's reason. */
function insufficientHistoryReason(text: InsufficientHistoryText): string {
  switch (text.reason) {
    case 'no-observed-values':
      return t('errors.insufficient-history.no-observed-values', 'the series has no observed values');
    case 'mostly-missing':
      return t(
        'errors.insufficient-history.mostly-missing',
        'more than half of the buckets are missing; widen the step or the range'
      );
    case 'no-finite-values':
      return t('errors.insufficient-history.no-finite-values', 'the series has no finite values');
    case 'too-few-buckets':
      return t('errors.insufficient-history.too-few-buckets', 'too few observed buckets');
    case 'lstm-windows':
      return t('errors.insufficient-history.lstm-windows', 'the LSTM needs a window, a horizon and training windows');
    case 'lstm-holdout':
      return t(
        'errors.insufficient-history.lstm-holdout',
        'the LSTM needs a window of at least {{patchSteps}} steps, the horizon and enough training windows, before and after holding out the newest steps to check itself on; choose a shorter horizon, or auto',
        { patchSteps: String(text.patchSteps) }
      );
    case 'calibration-pairs':
      return t(
        'errors.insufficient-history.calibration-pairs',
        'too few times with both served throughput and busy GPUs'
      );
  }
}

function httpError(text: Extract<PrometheusErrorText, { code: 'prometheus-http' }>): string {
  const figures = {
    path: text.path,
    status: String(text.status),
    advice: longQueryAdvice(),
    interpolation: { escapeValue: false },
  };
  switch (text.advice) {
    case 'access-denied':
      return t(
        'errors.prometheus.http-access-denied',
        "Prometheus request {{path}} failed with HTTP {{status}}: access denied; check the data source's credentials (user, password or token) and its permissions.",
        figures
      );
    case 'not-found':
      return t(
        'errors.prometheus.http-not-found',
        'Prometheus request {{path}} failed with HTTP {{status}}: not found; check that the data source URL is the Prometheus base URL (without /api/v1).',
        figures
      );
    case 'too-many-requests':
      return t(
        'errors.prometheus.http-too-many-requests',
        "Prometheus request {{path}} failed with HTTP {{status}}: too many requests; wait a moment and retry, or lower the dashboard's refresh rate.",
        figures
      );
    case 'overloaded':
      return t(
        'errors.prometheus.http-overloaded',
        'Prometheus request {{path}} failed with HTTP {{status}}: Prometheus (or a proxy in front of it) is overloaded or down; {{advice}}.',
        figures
      );
    case 'server-error':
      return t(
        'errors.prometheus.http-server-error',
        "Prometheus request {{path}} failed with HTTP {{status}}: server error; check Prometheus' logs.",
        figures
      );
    case 'rejected':
      return t(
        'errors.prometheus.http-rejected',
        'Prometheus request {{path}} failed with HTTP {{status}}: the request was rejected; check the data source URL and settings.',
        figures
      );
  }
}

function queryError(text: Extract<PrometheusErrorText, { code: 'prometheus-query' }>): string {
  const figures = {
    error: text.error,
    errorType: text.errorType,
    status: String(text.status),
    advice: longQueryAdvice(),
    interpolation: { escapeValue: false },
  };
  switch (text.advice) {
    case 'invalid-promql':
      return t('errors.prometheus.invalid-promql', 'The PromQL is invalid: Prometheus says "{{error}}".', figures);
    case 'gave-up':
      return t(
        'errors.prometheus.gave-up',
        'Prometheus gave up on the query ({{errorType}}: {{error}}): it is overloaded or the query is too expensive; {{advice}}.',
        figures
      );
    case 'execution':
      return t(
        'errors.prometheus.execution',
        'Prometheus could not execute the query: "{{error}}". If it mentions too many samples or points, {{advice}}.',
        figures
      );
    case 'access-refused':
      return t(
        'errors.prometheus.access-refused',
        "Prometheus refused access ({{error}}); check the data source's credentials (user, password or token).",
        figures
      );
    case 'failed':
      return t(
        'errors.prometheus.failed',
        "Prometheus failed with HTTP {{status}} ({{errorType}}: {{error}}); check Prometheus' logs.",
        figures
      );
  }
}

function grafanaProxyError(text: GrafanaProxyErrorText): string {
  const named = text.name
    ? t('errors.grafana-proxy.named', '"{{name}}" (uid {{uid}})', {
        name: text.name,
        uid: text.uid,
        interpolation: { escapeValue: false },
      })
    : t('errors.grafana-proxy.uid', 'with uid "{{uid}}"', { uid: text.uid, interpolation: { escapeValue: false } });
  const grafanaSaid = text.message
    ? t('errors.grafana-proxy.grafana-said', ' (Grafana: "{{message}}")', {
        message: text.message,
        interpolation: { escapeValue: false },
      })
    : '';
  const reselect = t(
    'errors.grafana-proxy.reselect',
    'Open Connections → Data sources → Headroom, choose the Prometheus data source again, then Save & test.'
  );
  const figures = {
    named,
    grafanaSaid,
    reselect,
    uid: text.uid,
    seconds: String(text.timeoutSeconds),
    status: String(text.status),
    messageId: text.messageId,
    message: text.message,
    interpolation: { escapeValue: false },
  };
  switch (text.failure) {
    case 'no-answer':
      return t(
        'errors.grafana-proxy.no-answer',
        "Grafana could not get an answer from Prometheus for the data source {{named}}: Prometheus is unreachable or slower than the data source's timeout ({{seconds}} s). The cause is in Grafana's server log (search for plugin.requestFailureError). Check that Prometheus is running and reachable from the Grafana server; if it is only slow, narrow the time range or raise the data source's Timeout.",
        figures
      );
    case 'missing':
      return t(
        'errors.grafana-proxy.missing',
        'Headroom reads from the Prometheus data source {{named}}, which no longer exists in Grafana (deleted, or in another organisation){{grafanaSaid}}. {{reselect}}',
        figures
      );
    case 'forbidden':
      return t(
        'errors.grafana-proxy.forbidden',
        'You have no permission to query the Prometheus data source {{named}} that Headroom reads from{{grafanaSaid}}. Ask a Grafana administrator for the Query permission on that data source.',
        figures
      );
    case 'invalid-uid':
      return t(
        'errors.grafana-proxy.invalid-uid',
        'Headroom\'s settings name the Prometheus data source by uid "{{uid}}", which is not a valid data source uid{{grafanaSaid}}. {{reselect}}',
        figures
      );
    case 'grafana':
      return t(
        'errors.grafana-proxy.grafana',
        'Grafana answered HTTP {{status}} instead of Prometheus for the data source {{named}} ({{messageId}}: "{{message}}"). The cause is in Grafana\'s server log.',
        figures
      );
    case 'no-grafana':
      return t(
        'errors.grafana-proxy.no-grafana',
        "No answer from Grafana's server for the Prometheus data source {{named}} ({{message}}). Check the connection to Grafana and reload the page; if it persists, the cause is in Grafana's server log.",
        figures
      );
  }
}

function numberFieldLabel(label: NumberField): string {
  switch (label) {
    case 'Capacity (GPUs)':
      return t('errors.query.field-capacity', 'Capacity (GPUs)');
    case 'Throughput per GPU':
      return t('errors.query.field-throughput-per-gpu', 'Throughput per GPU');
    case 'Target utilisation (%)':
      return t('errors.query.field-target-utilisation', 'Target utilisation (%)');
    case 'Cold-start lead (hours)':
      return t('errors.query.field-cold-start', 'Cold-start lead (hours)');
  }
}

function queryErrorText(text: QueryErrorText): string {
  switch (text.code) {
    case 'no-value-before-end-error':
      return t('errors.query.no-value-before-end', '{{target}} has no value before the end of the range.', {
        target: shownTargetName(text.target),
        interpolation: { escapeValue: false },
      });
    case 'number-field-error': {
      const figures = {
        label: numberFieldLabel(text.label),
        got: text.got,
        min: String(text.min),
        max: String(text.max),
        interpolation: { escapeValue: false },
      };
      return text.max === null
        ? t('errors.query.number-field-positive', '{{label}} must be a positive number, got "{{got}}".', figures)
        : t(
            'errors.query.number-field-range',
            '{{label}} must be a number from {{min}} to {{max}}, got "{{got}}".',
            figures
          );
    }
    case 'no-gpu-node-error':
      return t(
        'errors.query.no-gpu-node',
        'No GPU node in kube-state-metrics between {{from}} and {{to}}: {{selector}} has no sample. Check that kube-state-metrics is scraped and that nodes offer nvidia.com/gpu (or MIG) resources, or widen the time range.',
        {
          from: isoMilliseconds(text.fromSeconds),
          to: isoMilliseconds(text.toSeconds),
          selector: text.selector,
          interpolation: { escapeValue: false },
        }
      );
    case 'workload-days-error':
      return t(
        'errors.query.workload-days',
        'Workload days must be a number from 1 to 90 (days of GPU requests to learn from), got "{{got}}".',
        { got: text.got, interpolation: { escapeValue: false } }
      );
    case 'unknown-view-error': {
      const figures = { view: text.view, choices: orList(text.allowed), interpolation: { escapeValue: false } };
      return text.queryType === 'fragmentation'
        ? t(
            'errors.query.unknown-fragmentation-view',
            'Unknown fragmentation view "{{view}}": choose {{choices}}.',
            figures
          )
        : text.queryType === 'efficiency'
          ? t(
              'errors.query.unknown-efficiency-view',
              'Unknown efficiency view "{{view}}": choose {{choices}}.',
              figures
            )
          : t('errors.query.unknown-inventory-view', 'Unknown inventory view "{{view}}": choose {{choices}}.', figures);
    }
    case 'unknown-query-type-error':
      // The editor offers the types by their names in the person's language, so those are the choices named.
      return text.inEditor
        ? t(
            'errors.query.unknown-query-type-in-editor',
            'Unknown Headroom query type "{{queryType}}": choose {{choices}} in the query editor.',
            {
              queryType: text.queryType,
              choices: orList(text.allowed.map(editorQueryTypeName)),
              interpolation: { escapeValue: false },
            }
          )
        : t('errors.query.unknown-query-type', 'Unknown Headroom query type "{{queryType}}": choose {{choices}}.', {
            queryType: text.queryType,
            choices: orList(text.allowed),
            interpolation: { escapeValue: false },
          });
    case 'no-tensor-pods-error':
      return t(
        'errors.query.no-tensor-pods',
        'No pod held a GPU with tensor-pipe activity in this time range (with these filters).'
      );
    case 'no-gpu-pods-error':
      return t(
        'errors.query.no-gpu-pods',
        'No pod held a GPU in this time range: no DCGM series carries a pod label here (with these filters). Widen the range or the filters.'
      );
    case 'choice-error': {
      const figures = {
        allowed: text.allowed.join(listSeparator()),
        got: text.got,
        interpolation: { escapeValue: false },
      };
      return text.field === 'rows'
        ? t('errors.query.choice-rows', 'Rows must be one of {{allowed}}, got "{{got}}".', figures)
        : t('errors.query.choice-pricing', 'Pricing must be one of {{allowed}}, got "{{got}}".', figures);
    }
    case 'unknown-measure-error':
      return t('errors.query.unknown-measure', 'Unknown alert measure "{{measure}}": choose {{allowed}}.', {
        measure: text.measure,
        allowed: text.allowed.join(listSeparator()),
        interpolation: { escapeValue: false },
      });
    case 'within-days-error':
      return t(
        'errors.query.within-days',
        'Within days must be a whole number of days from 1 to {{maxDays}}, got "{{got}}".',
        { maxDays: String(text.maxDays), got: text.got, interpolation: { escapeValue: false } }
      );
    case 'no-capacity-error':
      return t(
        'errors.query.no-capacity',
        'This target has no capacity to run out of (a ratio or a queue length): choose a GPU count or a throughput target for an exhaustion alert.'
      );
    case 'monthly-budget-error':
      return t('errors.query.monthly-budget', 'Monthly budget must be a number of dollars above 0, got "{{got}}".', {
        got: text.got,
        interpolation: { escapeValue: false },
      });
    case 'no-monthly-budget-error':
      return t(
        'errors.query.no-monthly-budget',
        'No monthly budget to measure the projected spend against: enter one in the query or in the app configuration.'
      );
  }
}
