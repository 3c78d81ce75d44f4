/** @jest-environment node */
import { prometheusConnection, SettingsError, type InstanceSettingsMessage } from './settings';

function settings(overrides: Partial<InstanceSettingsMessage> & { json?: object }): InstanceSettingsMessage {
  const { json, ...rest } = overrides;
  return {
    url: 'http://prometheus:9090',
    basicAuthEnabled: false,
    basicAuthUser: '',
    jsonData: Buffer.from(json === undefined ? '' : JSON.stringify(json)),
    decryptedSecureJsonData: {},
    ...rest,
  };
}

describe('prometheusConnection', () => {
  test('no settings or no URL: says where to set the URL', () => {
    expect(() => prometheusConnection(undefined)).toThrow(SettingsError);
    expect(() => prometheusConnection(settings({ url: ' ' }))).toThrow(/set the URL in the data source settings/);
  });

  test('basic authentication: user and password as Grafana keeps them; both are secrets', () => {
    const connection = prometheusConnection(
      settings({ basicAuthEnabled: true, basicAuthUser: 'u', decryptedSecureJsonData: { basicAuthPassword: 'p' } })
    );
    // base64("u:p") = dTpw
    expect(connection.headers).toEqual({ Authorization: 'Basic dTpw' });
    expect(connection.secrets).toEqual(expect.arrayContaining(['u:p', 'p']));
  });

  test('bearer token when basic authentication is off', () => {
    const connection = prometheusConnection(settings({ decryptedSecureJsonData: { bearerToken: 't0k' } }));
    expect(connection.headers).toEqual({ Authorization: 'Bearer t0k' });
    expect(connection.secrets).toEqual(['t0k']);
  });

  test('user information in the URL becomes basic authentication and leaves the printed URL', () => {
    const connection = prometheusConnection(settings({ url: 'http://u:p@prometheus:9090/' }));
    expect(connection.url).toBe('http://prometheus:9090');
    expect(connection.headers).toEqual({ Authorization: 'Basic dTpw' });
  });

  test('custom headers: names from jsonData, values from the secrets; the values are secrets too', () => {
    const connection = prometheusConnection(
      settings({
        json: { httpHeaderName1: 'X-Scope-OrgID', httpHeaderName2: ' ' },
        decryptedSecureJsonData: { httpHeaderValue1: 'tenant-1' },
      })
    );
    expect(connection.headers).toEqual({ 'X-Scope-OrgID': 'tenant-1' });
    expect(connection.secretHeaderNames).toEqual(['X-Scope-OrgID']);
    expect(connection.secrets).toEqual(['tenant-1']);
  });

  test('timeout in seconds as Grafana names it, default 30 s; a bad one is refused', () => {
    expect(prometheusConnection(settings({})).timeoutMs).toBe(30_000);
    expect(prometheusConnection(settings({ json: { timeout: '5' } })).timeoutMs).toBe(5_000);
    expect(() => prometheusConnection(settings({ json: { timeout: 'soon' } }))).toThrow(/not a number of seconds/);
  });

  test('jsonData that is not a JSON object says so', () => {
    expect(() => prometheusConnection({ ...settings({}), jsonData: Buffer.from('{oops') })).toThrow(
      /settings \(jsonData\) are not JSON/
    );
    expect(() => prometheusConnection({ ...settings({}), jsonData: Buffer.from('[1]') })).toThrow(/not a JSON object/);
  });

  test('metric overrides ride along', () => {
    const connection = prometheusConnection(settings({ json: { metricOverrides: { Hostname: 'node' } } }));
    expect(connection.metricOverrides).toEqual({ Hostname: 'node' });
  });
});
