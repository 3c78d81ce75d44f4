/**
 * The settings page's "Save & test": asks the configured Prometheus the cheapest query there is (`1`), so the
 * answer says whether the URL, the authentication and the network work, in the words of the Prometheus client's
 * errors (unreachable, timeout, 401/403 with advice, not Prometheus' API). Credentials never reach the message.
 */
import { errorMessage } from '../prometheus/redact';
import { prometheusAccess } from './prometheusAccess';
import { prometheusConnection, type InstanceSettingsMessage, type PrometheusConnection } from './settings';

export interface CheckHealthResult {
  status: 'OK' | 'ERROR';
  message: string;
}

export async function checkHealth(
  settings: InstanceSettingsMessage | null | undefined,
  nowSeconds: number
): Promise<CheckHealthResult> {
  let connection: PrometheusConnection | undefined;
  try {
    connection = prometheusConnection(settings);
    await prometheusAccess(connection).client.queryInstant('1', nowSeconds);
    return { status: 'OK', message: `Prometheus at ${connection.url} answers queries.` };
  } catch (error) {
    return {
      status: 'ERROR',
      message: errorMessage(error, connection?.secrets ?? [], connection?.secretHeaderNames ?? []),
    };
  }
}
