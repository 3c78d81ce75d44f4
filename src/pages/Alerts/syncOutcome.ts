/** What the page says after a write, and what it adds to Grafana's refusals for a person signed in to Grafana. */
import { GrafanaForbiddenError, GrafanaUnauthorizedError, type ApplyResult } from '../../alerting/grafanaClient';
import { errorMessage } from '../../prometheus/redact';
import { GRANULAR_WRITE_ACTIONS, PROVISIONING_WRITE_ACTIONS } from './alertPermissions';

/** "Wrote 2 rules to Grafana: 1 created, 1 updated." plus what was left alone. */
export function describeApplyResult(result: ApplyResult): string {
  const counts = (['create', 'update', 'delete'] as const)
    .map((kind) => [kind, result.applied.filter((a) => a.kind === kind).length] as const)
    .filter(([, count]) => count > 0)
    .map(([kind, count]) => `${count} ${kind === 'create' ? 'created' : kind === 'update' ? 'updated' : 'deleted'}`);
  const parts = [
    counts.length > 0
      ? `Wrote ${result.applied.length} rule${result.applied.length === 1 ? '' : 's'} to Grafana: ${counts.join(', ')}.`
      : 'Nothing written: Grafana already holds these rules.',
  ];
  if (result.awaitingConfirmation.length > 0) {
    parts.push(`Left ${result.awaitingConfirmation.length} rule(s) a person edited as they are.`);
  }
  if (result.folderRecreated) {
    parts.push(
      `Someone deleted the Headroom folder during the write, and Grafana deleted its rules with it: Headroom ` +
        `recreated the folder and restored ${result.folderRecreated.restoredRules} rule(s).`
    );
  }
  return parts.join(' ');
}

/**
 * Grafana's refusal as the client words it (the same text as the CLI's), followed by what it means for a person
 * using the app rather than a service-account token.
 */
export function describeWriteError(error: unknown): string {
  const message = errorMessage(error);
  if (error instanceof GrafanaForbiddenError) {
    return (
      `${message} In the app this is your own Grafana user: it needs ${GRANULAR_WRITE_ACTIONS.join(', ')} on the ` +
      `Headroom folder (the Editor role has them), or ${PROVISIONING_WRITE_ACTIONS.join(' or ')}.`
    );
  }
  if (error instanceof GrafanaUnauthorizedError) {
    return `${message} In the app this means your Grafana session ended: sign in again and retry.`;
  }
  return message;
}
