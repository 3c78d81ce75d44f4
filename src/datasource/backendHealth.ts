/**
 * Headroom's backend health check (src/backend/checkHealth.ts) through Grafana's health route,
 * `GET /api/datasources/uid/<uid>/health`: Grafana answers 200 `{status: "OK", message}` when the check passed and
 * 400 `{status: "ERROR", message}` when it did not (pkg/api/datasources.go checkDatasourceHealth,
 * docs/grafana-compatibility.md "Headroom's own backend"). The message already has every credential redacted.
 */
import { getBackendSrv, isFetchError } from '@grafana/runtime';
import { lastValueFrom } from 'rxjs';

export interface BackendHealth {
  ok: boolean;
  message: string;
}

function healthMessage(data: unknown): string | undefined {
  const message = (data as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : undefined;
}

export async function backendHealth(uid: string): Promise<BackendHealth> {
  try {
    const response = await lastValueFrom(
      getBackendSrv().fetch<unknown>({
        url: `/api/datasources/uid/${encodeURIComponent(uid)}/health`,
        method: 'GET',
        showErrorAlert: false,
      })
    );
    return { ok: true, message: healthMessage(response.data) ?? '' };
  } catch (error) {
    if (isFetchError(error) && error.status > 0) {
      const said = healthMessage(error.data) ?? `HTTP ${error.status}`;
      return {
        ok: false,
        message: error.status === 400 ? said : `Grafana could not run Headroom's health check (${said}).`,
      };
    }
    throw error;
  }
}
