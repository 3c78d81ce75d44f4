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

  // The tests below follow grafana-plugin-sdk-go v0.300.0 backend/http_settings.go (parseHTTPSettings,
  // HTTPClientOptions), backend/common.go (DataSourceInstanceSettings.HTTPClientOptions) and
  // backend/httpclient/http_client.go (DefaultMiddlewares, GetTLSConfig): Grafana's own Prometheus data source
  // (pkg/promlib/client/transport.go) builds its HTTP client from exactly these.

  test('custom headers are read from httpHeaderName1 upwards until a number is missing, as the SDK does', () => {
    const connection = prometheusConnection(
      settings({
        json: { httpHeaderName1: 'X-One', httpHeaderName2: 'X-Two', httpHeaderName4: 'X-Four' },
        // X-Two has no stored value: the SDK adds no header for it. X-Four follows a gap: never read.
        decryptedSecureJsonData: { httpHeaderValue1: 'one', httpHeaderValue4: 'four' },
      })
    );
    expect(connection.headers).toEqual({ 'X-One': 'one' });
    expect(connection.secretHeaderNames).toEqual(['X-One']);
  });

  test('a custom Authorization header wins over basic authentication, whatever its case (SDK middleware order)', () => {
    // DefaultMiddlewares: BasicAuthenticationMiddleware runs before CustomHeadersMiddleware, which deletes and
    // re-adds the header by its canonical name.
    const connection = prometheusConnection(
      settings({
        basicAuthEnabled: true,
        basicAuthUser: 'u',
        json: { httpHeaderName1: 'authorization' },
        decryptedSecureJsonData: { basicAuthPassword: 'p', httpHeaderValue1: 'Bearer from-header' },
      })
    );
    expect(connection.headers).toEqual({ authorization: 'Bearer from-header' });
  });

  test("basic authentication off but the instance's user set: user and secure password, as the SDK does", () => {
    const connection = prometheusConnection(
      settings({ user: 'legacy', decryptedSecureJsonData: { password: 'pw', bearerToken: 't0k' } })
    );
    // base64("legacy:pw") = bGVnYWN5OnB3
    expect(connection.headers).toEqual({ Authorization: 'Basic bGVnYWN5OnB3' });
    expect(connection.secrets).toEqual(expect.arrayContaining(['legacy:pw', 'pw']));
  });

  test('TLS secrets and the server name are read when either certificate switch is on, as the SDK does', () => {
    const secure = { tlsCACert: 'CA', tlsClientCert: 'CERT', tlsClientKey: 'KEY' };
    const caOnly = prometheusConnection(
      settings({ json: { tlsAuthWithCACert: true, serverName: 'prom.test' }, decryptedSecureJsonData: secure })
    );
    expect(caOnly.tls).toEqual({
      caCert: 'CA',
      clientCert: 'CERT',
      clientKey: 'KEY',
      skipVerify: false,
      serverName: 'prom.test',
    });
    // Skip-verify alone, or no switch: no certificate and no server name (parseHTTPSettings reads them only
    // under tlsAuth || tlsAuthWithCACert).
    const skipOnly = prometheusConnection(
      settings({ json: { tlsSkipVerify: true, serverName: 'prom.test' }, decryptedSecureJsonData: secure })
    );
    expect(skipOnly.tls).toEqual({ skipVerify: true });
    const none = prometheusConnection(settings({ json: { serverName: 'prom.test' }, decryptedSecureJsonData: secure }));
    expect(none.tls).toEqual({ skipVerify: false });
    // A client certificate without its key is not presented (GetTLSConfig needs both).
    const certOnly = prometheusConnection(
      settings({ json: { tlsAuth: true }, decryptedSecureJsonData: { tlsClientCert: 'CERT' } })
    );
    expect(certOnly.tls).toEqual({ skipVerify: false });
  });

  test('timeout 0 (Grafana: no limit) keeps the default rather than failing every call', () => {
    expect(prometheusConnection(settings({ json: { timeout: 0 } })).timeoutMs).toBe(30_000);
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
