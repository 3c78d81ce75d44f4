/** @jest-environment node */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGrafanaFetchTransport } from '../alerting/grafanaFetchTransport';
import { DATASOURCE_IAM_PERMISSIONS, PLUGIN_ID } from '../constants';
import { GrafanaDouble } from '../../tests/grafana-double/server';
import { appSettingsReader, type ReaderContext } from './appSettingsReader';

const TOKEN = 'glsa_datasourceManagedToken_0123abcd';
const SAVED = {
  defaultDatasourceUid: 'headroom',
  monthlyBudget: 25_000,
  budgetTimeZone: 'Europe/Berlin',
  gpuPrices: [
    { gpuModel: 'NVIDIA H100 80GB HBM3', onDemandPerGpuHour: 2.4, reservedPerGpuHour: 1.6, source: 'contract' },
  ],
  businessCalendar: [{ name: 'launch', startSeconds: 1_700_000_000, endSeconds: 1_700_086_400, effect: 1.5 }],
};

/** The managed account of the data source: exactly the `iam` block the archive declares, no basic role. */
const MANAGED_ACCOUNT = {
  custom: Object.fromEntries(DATASOURCE_IAM_PERMISSIONS.map((permission) => [permission.action, [permission.scope]])),
};

let grafana: GrafanaDouble;
let clockMs: number;
let requests: number;

function reader(env: Record<string, string> = {}) {
  return appSettingsReader({
    env,
    nowMs: () => clockMs,
    transport: (url, token) => {
      const transport = createGrafanaFetchTransport(url, token);
      return (request) => {
        requests++;
        return transport(request);
      };
    },
  });
}

/** A QueryData call's plugin context as Grafana sends it to a data source with a managed account. */
const call = (orgId: number | string = 1): ReaderContext => ({
  orgId,
  grafanaConfig: { GF_APP_URL: `${grafana.url}/`, GF_PLUGIN_APP_CLIENT_SECRET: TOKEN },
});

beforeEach(async () => {
  grafana = new GrafanaDouble({ token: TOKEN, apps: { [PLUGIN_ID]: SAVED } });
  grafana.role = MANAGED_ACCOUNT;
  await grafana.start();
  clockMs = 1_700_000_000_000;
  requests = 0;
});
afterEach(() => grafana.stop());

describe("the app's settings read by the data source's backend", () => {
  test("the managed account's one permission opens the app's settings, as Grafana checks it; the token only in the header", async () => {
    const reading = await reader()(call());
    expect(reading).toEqual({
      settings: {
        gpuPrices: SAVED.gpuPrices,
        businessCalendar: SAVED.businessCalendar,
        monthlyBudget: 25_000,
        budgetTimeZone: 'Europe/Berlin',
      },
    });
    const [request] = grafana.requests;
    expect(request).toMatchObject({ method: 'GET', path: `/api/plugins/${PLUGIN_ID}/settings` });
    expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  test("an account without plugins.app:access on the app gets Grafana's 403, and the answer says so without the token", async () => {
    grafana.role = { custom: { 'alert.rules:read': ['folders:*'] } };
    const reading = await reader()(call());
    expect(reading).toEqual({ unread: { code: 'app-settings-unread', reason: 'refused', status: 403 } });
    expect(JSON.stringify(reading)).not.toContain(TOKEN);
    // Grafana's body for it: response.Error(403, "Access Denied", nil) writes the message alone.
    const answer = await fetch(`${grafana.url}/api/plugins/${PLUGIN_ID}/settings`, {
      headers: { Authorization: `Bearer ${TOKEN}` },
    });
    expect({ status: answer.status, body: await answer.json() }).toEqual({
      status: 403,
      body: { message: 'Access Denied' },
    });
  });

  test('a token Grafana no longer knows is 401; an app not installed is 404', async () => {
    grafana.expireToken();
    expect(await reader()(call())).toEqual({ unread: { code: 'app-settings-unread', reason: 'refused', status: 401 } });
    await grafana.stop();
    grafana = new GrafanaDouble({ token: TOKEN, apps: {} });
    grafana.role = MANAGED_ACCOUNT;
    await grafana.start();
    expect(await reader()(call())).toEqual({ unread: { code: 'app-settings-unread', reason: 'refused', status: 404 } });
  });

  test('one request a minute, shared by the calls of that minute; a saved change applies after it', async () => {
    const read = reader();
    await Promise.all([read(call()), read(call()), read(call())]);
    clockMs += 59_000;
    await read(call());
    expect(requests).toBe(1);
    grafana.role = { custom: {} };
    clockMs += 1_000;
    expect(await read(call())).toMatchObject({ unread: { reason: 'refused', status: 403 } });
    expect(requests).toBe(2);
  });

  test("the process' environment stands in for the call's configuration, as Grafana sets both", async () => {
    const env = { GF_APP_URL: grafana.url, GF_PLUGIN_APP_CLIENT_SECRET: TOKEN };
    expect(await reader(env)({ orgId: 1 })).toMatchObject({ settings: { monthlyBudget: 25_000 } });
  });

  test('without a managed account, another organisation or an answer, nothing is read and the reason is kept', async () => {
    expect(await reader()({ orgId: 1, grafanaConfig: { GF_APP_URL: grafana.url } })).toEqual({
      unread: { code: 'app-settings-unread', reason: 'no-account' },
    });
    // Grafana makes the managed account in its default organisation, 1 unless auto_assign_org_id says otherwise;
    // its settings are not another organisation's.
    expect(await reader()(call(2))).toEqual({
      unread: { code: 'app-settings-unread', reason: 'other-organisation', orgId: '2', accountOrgId: '1' },
    });
    // Without an account the advice is to turn managed accounts on, from whichever organisation.
    expect(await reader()({ orgId: 2, grafanaConfig: { GF_APP_URL: grafana.url } })).toEqual({
      unread: { code: 'app-settings-unread', reason: 'no-account' },
    });
    expect(requests).toBe(0);
    const url = grafana.url;
    await grafana.stop();
    const gone = { orgId: 1, grafanaConfig: { GF_APP_URL: url, GF_PLUGIN_APP_CLIENT_SECRET: TOKEN } };
    expect(await reader()(gone)).toEqual({ unread: { code: 'app-settings-unread', reason: 'unreachable' } });
  });

  test("the account's organisation as the person configured it (managed_account_org_id, Grafana's auto_assign_org_id)", async () => {
    const inOrgTwo = reader({ GF_PLUGIN_MANAGED_ACCOUNT_ORG_ID: '2' });
    expect(await inOrgTwo(call(2))).toMatchObject({ settings: { monthlyBudget: 25_000 } });
    expect(await inOrgTwo(call(1))).toEqual({
      unread: { code: 'app-settings-unread', reason: 'other-organisation', orgId: '1', accountOrgId: '2' },
    });
    expect(requests).toBe(1);
  });

  test.each(['two', '0', '-1', '1.5', '1e3', '0x2'])(
    'managed_account_org_id = %s names no organisation: said with the value, nothing read, never organisation 1',
    async (value) => {
      expect(await reader({ GF_PLUGIN_MANAGED_ACCOUNT_ORG_ID: value })(call(1))).toEqual({
        unread: { code: 'app-settings-unread', reason: 'bad-account-org', value },
      });
      expect(requests).toBe(0);
    }
  );

  test('managed_account_org_id with spaces or a leading zero is the organisation it writes; unset or blank is 1', async () => {
    expect(await reader({ GF_PLUGIN_MANAGED_ACCOUNT_ORG_ID: ' 02 ' })(call(2))).toMatchObject({
      settings: { monthlyBudget: 25_000 },
    });
    expect(await reader({ GF_PLUGIN_MANAGED_ACCOUNT_ORG_ID: '  ' })(call(2))).toEqual({
      unread: { code: 'app-settings-unread', reason: 'other-organisation', orgId: '2', accountOrgId: '1' },
    });
  });

  /** What the reader makes of one answer of something standing at Grafana's root URL. */
  async function readingBehind(status: number, headers: Record<string, string>, body: string) {
    const proxy = createServer((_request, response) => response.writeHead(status, headers).end(body));
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    try {
      return await reader()({ orgId: 1, grafanaConfig: { GF_APP_URL: url, GF_PLUGIN_APP_CLIENT_SECRET: TOKEN } });
    } finally {
      await new Promise((resolve) => proxy.close(resolve));
    }
  }

  test.each([
    ['a redirect to a login page', 302, { location: '/login' }, ''],
    ['a login page', 200, { 'content-type': 'text/html' }, '<!doctype html><title>Sign in</title>'],
  ])('%s at the root URL is not a refusal of the permission', async (_name, status, headers, body) => {
    expect(await readingBehind(status, headers, body)).toEqual({
      unread: { code: 'app-settings-unread', reason: 'not-grafana' },
    });
  });

  // Grafana answers this path with 200, 401, 403, 404 or 500 only; these are the proxy's, with the bodies nginx,
  // Envoy and a load balancer write while Grafana restarts: neither a wrong address nor a refused permission.
  test.each([
    [502, { 'content-type': 'text/html' }, '<html><head><title>502 Bad Gateway</title></head></html>'],
    [503, { 'content-type': 'text/plain' }, 'no healthy upstream'],
    [504, {}, ''],
  ])(
    'a proxy answering %i in front of Grafana says Grafana is unavailable, with the status',
    async (status, headers, body) => {
      expect(await readingBehind(status, headers, body)).toEqual({
        unread: { code: 'app-settings-unread', reason: 'grafana-unavailable', status },
      });
    }
  );

  test('settings Grafana holds that the configuration page would refuse are an error, not a silent default', async () => {
    await grafana.stop();
    grafana = new GrafanaDouble({ token: TOKEN, apps: { [PLUGIN_ID]: { monthlyBudget: -5 } } });
    grafana.role = MANAGED_ACCOUNT;
    await grafana.start();
    await expect(reader()(call())).rejects.toThrow(
      /The app's settings read from Grafana cannot be used: The monthly budget must be a positive number/
    );
  });
});
