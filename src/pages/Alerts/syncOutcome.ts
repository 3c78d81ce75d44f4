/** What the page says after a write, and what it adds to Grafana's refusals for a person signed in to Grafana. */
import { t } from '@grafana/i18n';
import { GrafanaForbiddenError, GrafanaUnauthorizedError, type ApplyResult } from '../../alerting/grafanaClient';
import { errorMessage } from '../../prometheus/redact';
import { GRANULAR_WRITE_ACTIONS, provisioningActionsText } from './alertPermissions';

/** "Wrote 2 rules to Grafana: 1 created, 1 updated." plus what was left alone. */
export function describeApplyResult(result: ApplyResult): string {
  const counted = (kind: 'create' | 'update' | 'delete') => result.applied.filter((a) => a.kind === kind).length;
  const counts = [
    counted('create') > 0 && t('alerts.outcome.created', '{{rules}} created', { rules: counted('create') }),
    counted('update') > 0 && t('alerts.outcome.updated', '{{rules}} updated', { rules: counted('update') }),
    counted('delete') > 0 && t('alerts.outcome.deleted', '{{rules}} deleted', { rules: counted('delete') }),
  ].filter((part): part is string => typeof part === 'string');
  const written = result.applied.length;
  const parts = [
    counts.length === 0
      ? t('alerts.outcome.nothing', 'Nothing written: Grafana already holds these rules.')
      : written === 1
        ? t('alerts.outcome.wrote-one', 'Wrote 1 rule to Grafana: {{counts}}.', { counts: counts.join(', ') })
        : t('alerts.outcome.wrote', 'Wrote {{rules}} rules to Grafana: {{counts}}.', {
            rules: written,
            counts: counts.join(', '),
          }),
  ];
  if (result.awaitingConfirmation.length > 0) {
    parts.push(
      t('alerts.outcome.left-edited', 'Left {{rules}} rule(s) a person edited as they are.', {
        rules: result.awaitingConfirmation.length,
      })
    );
  }
  if (result.folderRecreated) {
    parts.push(
      t(
        'alerts.outcome.folder-recreated',
        'Someone deleted the Headroom folder during the write, and Grafana deleted its rules with it: Headroom recreated the folder and restored {{rules}} rule(s).',
        { rules: result.folderRecreated.restoredRules }
      )
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
    return t(
      'alerts.outcome.forbidden',
      '{{message}} In the app this is your own Grafana user: it needs {{granular}} on the Headroom folder (the Editor role has them), or {{provisioning}}.',
      {
        message,
        granular: GRANULAR_WRITE_ACTIONS.join(', '),
        provisioning: provisioningActionsText(),
        interpolation: { escapeValue: false },
      }
    );
  }
  if (error instanceof GrafanaUnauthorizedError) {
    return t(
      'alerts.outcome.unauthorized',
      '{{message}} In the app this means your Grafana session ended: sign in again and retry.',
      { message, interpolation: { escapeValue: false } }
    );
  }
  return message;
}
