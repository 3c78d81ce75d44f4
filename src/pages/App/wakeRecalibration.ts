import { getBackendSrv } from '@grafana/runtime';
import { RECALIBRATION_TOKEN_KEY } from '../../constants';

/**
 * Grafana calls an app's backend only when something asks it to, and the app's settings (the stored recalibration
 * token among them) reach the backend only with such a call: a Grafana that restarted would not recalibrate until
 * someone happened to call the app. Opening any Headroom page asks for the app's health once, which hands the backend
 * its settings (docs/architecture.md, "Recalibration inside Grafana"). Only when a token is stored: without one there
 * is nothing to start, and a development build has no backend to answer.
 */
export function wakeRecalibration(appId: string, secureJsonFields: Record<string, boolean> | undefined): void {
  if (!secureJsonFields?.[RECALIBRATION_TOKEN_KEY]) {
    return;
  }
  getBackendSrv()
    .fetch({ url: `api/plugins/${appId}/health`, showErrorAlert: false, showSuccessAlert: false })
    .subscribe({ error: () => undefined });
}
