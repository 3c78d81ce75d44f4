/**
 * What Grafana's evaluator says about alert rules now: the Prometheus-compatible rules endpoint Grafana's own alert
 * list reads (`GET /api/prometheus/grafana/api/v1/rules`, `RouteGetGrafanaRuleStatuses` in Grafana's API
 * definitions, prom.go). The provisioning API only returns what a rule is, not whether it fires.
 */

/** A rule's state as Grafana reports it: 'inactive' (Normal), 'pending', 'firing', or 'recovering' (Grafana 12). */
export type RuleEvaluationState = 'inactive' | 'pending' | 'firing' | 'recovering';
/** 'ok', 'unknown' (not evaluated yet), 'error', or 'nodata'. */
export type RuleHealth = 'ok' | 'unknown' | 'error' | 'nodata';

export interface RuleEvaluation {
  uid: string;
  state: RuleEvaluationState | string;
  health: RuleHealth | string;
  /** Grafana's message when the last evaluation failed. */
  lastError?: string;
  /** When the rule was last evaluated; absent before its first evaluation (Grafana sends year 1). */
  lastEvaluationMs?: number;
  /** Since when the longest-active instance has been pending or firing. */
  activeSinceMs?: number;
}

export const RULE_STATES_PATH = '/api/prometheus/grafana/api/v1/rules';

interface PrometheusStyleRule {
  uid?: unknown;
  name?: unknown;
  state?: unknown;
  health?: unknown;
  lastError?: unknown;
  lastEvaluation?: unknown;
  alerts?: Array<{ state?: unknown; activeAt?: unknown }>;
}

/** Grafana writes an unset time as 0001-01-01; such dates (and unparsable ones) mean "never". */
function timeMs(text: unknown): number | undefined {
  const ms = typeof text === 'string' ? Date.parse(text) : NaN;
  return Number.isFinite(ms) && ms > 0 ? ms : undefined;
}

/**
 * The rules' evaluations by UID, from the endpoint's answer `{status, data: {groups: [{rules: [...]}]}}`. A rule
 * without a UID (Grafana before 11 did not send it) is left out; an answer of another shape is an error, not an
 * empty list, so the page never shows "normal" for rules it knows nothing about.
 */
export function parseRuleEvaluations(body: unknown): Map<string, RuleEvaluation> {
  const groups = (body as { data?: { groups?: unknown } } | undefined)?.data?.groups;
  if ((body as { status?: unknown } | undefined)?.status !== 'success' || !Array.isArray(groups)) {
    throw new Error(
      `Grafana's rule states came in an unexpected shape (expected {status: "success", data: {groups}}).`
    );
  }
  const evaluations = new Map<string, RuleEvaluation>();
  for (const group of groups as Array<{ rules?: PrometheusStyleRule[] }>) {
    for (const rule of Array.isArray(group.rules) ? group.rules : []) {
      if (typeof rule.uid !== 'string' || rule.uid === '') {
        continue;
      }
      const active = (Array.isArray(rule.alerts) ? rule.alerts : [])
        .filter((alert) => typeof alert.state === 'string' && /^(Alerting|Pending)/.test(alert.state))
        .map((alert) => timeMs(alert.activeAt))
        .filter((ms): ms is number => ms !== undefined);
      evaluations.set(rule.uid, {
        uid: rule.uid,
        state: typeof rule.state === 'string' ? rule.state : 'unknown',
        health: typeof rule.health === 'string' ? rule.health : 'unknown',
        lastError: typeof rule.lastError === 'string' && rule.lastError !== '' ? rule.lastError : undefined,
        lastEvaluationMs: timeMs(rule.lastEvaluation),
        activeSinceMs: active.length > 0 ? Math.min(...active) : undefined,
      });
    }
  }
  return evaluations;
}
