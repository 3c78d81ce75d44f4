import { setBackendSrv, type BackendSrv, type BackendSrvRequest, type FetchResponse } from '@grafana/runtime';
import { NEVER, Observable, of, throwError } from 'rxjs';

import { createGrafanaProvisioningClient, GrafanaForbiddenError } from '../../alerting/grafanaClient';
import { createBackendSrvTransport, GrafanaApiUnreachableError } from './grafanaBackendTransport';

/** Grafana's backend service: an Observable of the response for 2xx, an error with `status` and `data` otherwise. */
function useBackend(fetch: (options: BackendSrvRequest) => Observable<FetchResponse<unknown>>): BackendSrvRequest[] {
  const seen: BackendSrvRequest[] = [];
  setBackendSrv({
    fetch: (options: BackendSrvRequest) => {
      seen.push(options);
      return fetch(options);
    },
  } as unknown as BackendSrv);
  return seen;
}

const ok = (options: BackendSrvRequest, data: unknown, status = 200) =>
  ({ data, status, statusText: 'OK', ok: true, headers: new Headers(), config: options }) as FetchResponse<unknown>;

describe('createBackendSrvTransport', () => {
  it('sends a relative /api request with method, headers and body, and no error toast (it bypasses redaction)', async () => {
    const seen = useBackend((options) => of(ok(options, { uid: 'r1' }, 201)));
    const response = await createBackendSrvTransport()({
      method: 'POST',
      path: '/api/v1/provisioning/alert-rules',
      headers: { 'X-Disable-Provenance': 'true' },
      body: { uid: 'r1' },
      timeoutMs: 1000,
    });
    expect(response).toEqual({ status: 201, body: { uid: 'r1' } });
    expect(seen[0]).toMatchObject({
      url: '/api/v1/provisioning/alert-rules',
      method: 'POST',
      headers: { 'X-Disable-Provenance': 'true' },
      data: { uid: 'r1' },
      // Grafana's toast would show the answer's body unredacted (backend_srv.ts showErrorAlert).
      showErrorAlert: false,
    });
  });

  it('resolves non-2xx answers, so the client words 403 exactly as it does for the CLI', async () => {
    useBackend((options) =>
      throwError(() => ({
        status: 403,
        statusText: 'Forbidden',
        data: { message: 'permissions missing' },
        config: options,
      }))
    );
    const client = createGrafanaProvisioningClient(createBackendSrvTransport());
    const failure = client.listRules();
    await expect(failure).rejects.toBeInstanceOf(GrafanaForbiddenError);
    await expect(failure).rejects.toThrow(
      'Listing alert rules: Grafana answered 403 "permissions missing". The service account may not do this: give ' +
        'it the Editor role (alert.rules:create, alert.rules:write, alert.rules:delete and ' +
        'alert.provisioning.provenance:write, and folders:create for a new folder), or a role with ' +
        'alert.rules.provisioning:write.'
    );
  });

  it('rejects with an unreachable error when no answer comes in time', async () => {
    useBackend(() => NEVER);
    const answer = createBackendSrvTransport()({ method: 'GET', path: '/api/folders/headroom', timeoutMs: 20 });
    await expect(answer).rejects.toBeInstanceOf(GrafanaApiUnreachableError);
    await expect(answer).rejects.toThrow(/\/api\/folders\/headroom \(no answer within 0.02 s\)/);
  });

  it('rejects with the network failure when the request failed without a status', async () => {
    useBackend(() => throwError(() => new TypeError('Failed to fetch')));
    await expect(
      createBackendSrvTransport()({ method: 'GET', path: '/api/v1/provisioning/alert-rules', timeoutMs: 1000 })
    ).rejects.toThrow(/\(Failed to fetch\)/);
  });
});
