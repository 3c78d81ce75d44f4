import { isFetchError } from '@grafana/runtime';

import { errorMessage, redactCredentials } from '../prometheus/redact';

/**
 * Why a call to Grafana's API failed, in Grafana's words: BackendSrv rejects with a FetchError (not an Error) whose `data.message` is
 * Grafana's reason, such as a missing permission.
 */
export function grafanaFailureMessage(error: unknown): string {
  if (isFetchError(error)) {
    const message: unknown = (error.data as { message?: unknown } | undefined)?.message;
    const reason = typeof message === 'string' && message.trim() !== '' ? message : error.statusText;
    if (error.status > 0) {
      return redactCredentials(`Grafana answered ${error.status}${reason ? `: ${reason}` : ''}`);
    }
    return redactCredentials(`Grafana did not answer${reason ? ` (${reason})` : ''}; reload the page and try again.`);
  }
  return errorMessage(error);
}
