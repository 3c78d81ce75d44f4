/**
 * What Grafana's evaluator says about alert rules now: the Prometheus-compatible rules endpoint Grafana's own alert
 * list reads (`GET /api/prometheus/grafana/api/v1/rules`, `RouteGetGrafanaRuleStatuses` in Grafana's API
 * definitions, prom.go). The provisioning API only returns what a rule is, not whether it fires.
 */

/** A rule's state as Grafana reports it: 'inactive' (Normal), 'pending', 'firing', or 'recovering' (Grafana 12). */
export type RuleEvaluationState = 'inactive' | 'pending' | 'firing' | 'recovering';
/** 'ok' (also before the first evaluation), 'error', 'nodata' or 'unknown'. */
export type RuleHealth = 'ok' | 'unknown' | 'error' | 'nodata';

export interface RuleEvaluation {
  uid: string;
  state: RuleEvaluationState | string;
  health: RuleHealth | string;
  /** Grafana's message when the last evaluation failed. */
  lastError?: string;
  /** When the rule was last evaluated; absent before its first evaluation (Grafana sends year 1). */
  lastEvaluationMs?: number;
  /** Since when the rule has been in its state (firing, pending, recovering): the rule's own `activeAt` where Grafana
   * sends it, else its earliest instance in that state. */
  activeSinceMs?: number;
}

export const RULE_STATES_PATH = '/api/prometheus/grafana/api/v1/rules';

interface PrometheusStyleRule {
  uid?: unknown;
  /** The rule's folder (prom.go AlertingRule.FolderUID); its group carries it too. */
  folderUid?: unknown;
  name?: unknown;
  state?: unknown;
  health?: unknown;
  lastError?: unknown;
  lastEvaluation?: unknown;
  /** Grafana 12: when the earliest instance in the rule's state became active. */
  activeAt?: unknown;
  alerts?: Array<{ state?: unknown; activeAt?: unknown }>;
}

/** The instance states behind a rule state: a firing rule's start is its earliest Alerting instance's. */
const INSTANCE_STATE_OF: Record<string, RegExp> = {
  firing: /^Alerting/,
  pending: /^Pending/,
  recovering: /^Recovering/,
};

/** Grafana writes an unset time as 0001-01-01; such dates (and unparsable ones) mean "never". */
function timeMs(text: unknown): number | undefined {
  const ms = typeof text === 'string' ? Date.parse(text) : NaN;
  return Number.isFinite(ms) && ms > 0 ? ms : undefined;
}

/**
 * The rules' evaluations by UID, from the endpoint's answer `{status, data: {groups: [{rules: [...]}]}}`. A rule
 * without a UID (Grafana before 11 did not send it) is left out; an answer of another shape is an error, not an
 * empty list, so the page never shows "normal" for rules it knows nothing about. With `folderUid`, only that folder's
 * rules: Grafana answers a `folder_uid` it does not know (a deleted folder, say) with every folder the caller may read
 * (api_prometheus.go, PrepareRuleGroupStatusesV2), so its filter cannot be relied on.
 */
export function parseRuleEvaluations(body: unknown, folderUid?: string): Map<string, RuleEvaluation> {
  const groups = (body as { data?: { groups?: unknown } } | undefined)?.data?.groups;
  if ((body as { status?: unknown } | undefined)?.status !== 'success' || !Array.isArray(groups)) {
    throw new Error(
      `Grafana's rule states came in an unexpected shape (expected {status: "success", data: {groups}}).`
    );
  }
  const evaluations = new Map<string, RuleEvaluation>();
  for (const group of groups as Array<{ folderUid?: unknown; rules?: PrometheusStyleRule[] }>) {
    for (const rule of Array.isArray(group.rules) ? group.rules : []) {
      if (typeof rule.uid !== 'string' || rule.uid === '') {
        continue;
      }
      if (folderUid !== undefined && (rule.folderUid ?? group.folderUid) !== folderUid) {
        continue;
      }
      const state = typeof rule.state === 'string' ? rule.state : 'unknown';
      const instanceState = INSTANCE_STATE_OF[state];
      const active = (Array.isArray(rule.alerts) ? rule.alerts : [])
        .filter(
          (alert) => instanceState !== undefined && typeof alert.state === 'string' && instanceState.test(alert.state)
        )
        .map((alert) => timeMs(alert.activeAt))
        .filter((ms): ms is number => ms !== undefined);
      const ruleActiveMs = instanceState ? timeMs(rule.activeAt) : undefined;
      evaluations.set(rule.uid, {
        uid: rule.uid,
        state,
        health: typeof rule.health === 'string' ? rule.health : 'unknown',
        lastError: typeof rule.lastError === 'string' && rule.lastError !== '' ? rule.lastError : undefined,
        lastEvaluationMs: timeMs(rule.lastEvaluation),
        activeSinceMs: ruleActiveMs ?? (active.length > 0 ? Math.min(...active) : undefined),
      });
    }
  }
  return evaluations;
}
