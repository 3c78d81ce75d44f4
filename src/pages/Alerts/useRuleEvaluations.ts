import { useEffect, useState } from 'react';
import type { GrafanaProvisioningClient } from '../../alerting/grafanaClient';
import type { RuleEvaluation } from '../../alerting/ruleStates';
import { HEADROOM_FOLDER } from './alertRules';
import { messageOf } from './useKeyedAsync';

/** Grafana evaluates a Headroom rule group every minute; reading its states more often would show nothing new. */
export const RULE_STATE_REFRESH_MS = 60_000;

export interface RuleEvaluations {
  /** The last answer; kept while the next one loads, so the column does not blink. */
  byUid?: Map<string, RuleEvaluation>;
  error?: string;
}

/**
 * Grafana's alert state of Headroom's rules, read now and every minute while `key` stays (it changes when the
 * rules were re-listed, which reads them again at once); undefined key: not yet.
 */
export function useRuleEvaluations(grafana: GrafanaProvisioningClient, key: string | undefined): RuleEvaluations {
  const [evaluations, setEvaluations] = useState<RuleEvaluations>({});
  useEffect(() => {
    if (key === undefined) {
      return;
    }
    let current = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // The next read is scheduled once this one has settled, so a slow answer never lands after a newer one.
    const read = () =>
      grafana
        .ruleEvaluations(HEADROOM_FOLDER.uid)
        .then(
          (byUid) => current && setEvaluations({ byUid }),
          (error: unknown) =>
            current && setEvaluations((previous) => ({ byUid: previous.byUid, error: messageOf(error) }))
        )
        .finally(() => {
          if (current) {
            timer = setTimeout(read, RULE_STATE_REFRESH_MS);
          }
        });
    void read();
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [grafana, key]);
  return evaluations;
}
