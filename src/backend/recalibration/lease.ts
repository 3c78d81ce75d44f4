/**
 * Which Grafana replica recalibrates a period. Each replica runs its own backend process, and they share nothing but
 * Grafana's database; the one write Grafana makes atomic is creating a rule with a given UID (the alert_rule table's
 * unique (org_id, uid) key: a second create answers 409). So the run due at one time is claimed by creating a paused
 * rule whose UID names that time: the replica whose create succeeds recalibrates, the others stand back, and the
 * holder deletes the rule when done. A holder that dies leaves its lease behind; the next period's holder deletes it.
 */
import { GrafanaConflictError, type GrafanaProvisioningClient } from '../../alerting/grafanaClient';
import type { ProvisionedAlertRule } from '../../alerting/grafanaRule';

const LEASE_UID_PREFIX = 'headroom-recal-lease-';
/** The lease's own group, so that no group a person or Headroom uses changes its evaluation interval. */
const LEASE_GROUP = 'headroom-recalibration-lease';
/** Annotation naming the process that holds the lease, for a person who finds one left behind. */
export const LEASE_HOLDER_ANNOTATION = 'headroom_lease_holder';

/** `headroom-recal-lease-<due seconds>`: 31 characters for any date before 2286, inside Grafana's 40. */
export function leaseUid(dueSeconds: number): string {
  return `${LEASE_UID_PREFIX}${Math.trunc(dueSeconds)}`;
}

export function isLease(rule: ProvisionedAlertRule): boolean {
  return rule.uid.startsWith(LEASE_UID_PREFIX);
}

/**
 * The lease as a rule Grafana accepts and never evaluates: paused, one instant query of the data source the
 * recalibrated rules use (Grafana refuses a rule without a query it may run), no labels, so nothing routes it.
 */
export function leaseRule(
  dueSeconds: number,
  folderUid: string,
  datasourceUid: string,
  holder: string
): ProvisionedAlertRule {
  const due = new Date(dueSeconds * 1000).toISOString();
  return {
    uid: leaseUid(dueSeconds),
    folderUID: folderUid,
    ruleGroup: LEASE_GROUP,
    title: `Headroom recalibration of ${due} in progress`,
    condition: 'A',
    data: [
      {
        refId: 'A',
        relativeTimeRange: { from: 600, to: 0 },
        datasourceUid,
        model: { refId: 'A', expr: 'vector(0)', instant: true },
      },
    ],
    noDataState: 'OK',
    execErrState: 'OK',
    for: '0s',
    isPaused: true,
    annotations: {
      description:
        'Held by the Headroom backend that recalibrates the rules due at this time, so that other Grafana replicas ' +
        'do not write them twice. Deleted when the run ends; one left behind is deleted by the next run.',
      [LEASE_HOLDER_ANNOTATION]: holder,
    },
  };
}

/** True when this process now holds the lease; false when another replica created it first (Grafana's 409). */
export async function claimLease(client: GrafanaProvisioningClient, lease: ProvisionedAlertRule): Promise<boolean> {
  try {
    await client.createRule(lease);
    return true;
  } catch (error) {
    if (error instanceof GrafanaConflictError) {
      return false;
    }
    throw error;
  }
}

/**
 * Leases of earlier due times: their holders are gone (a run ends long before the next one is due). A later one is
 * live: a replica whose clock is ahead, or with a shorter cadence saved, already runs that period.
 */
export function staleLeases(rules: readonly ProvisionedAlertRule[], dueSeconds: number): ProvisionedAlertRule[] {
  return rules.filter((rule) => {
    if (!isLease(rule)) {
      return false;
    }
    const leaseDueSeconds = Number(rule.uid.slice(LEASE_UID_PREFIX.length));
    return Number.isInteger(leaseDueSeconds) && leaseDueSeconds < Math.trunc(dueSeconds);
  });
}
