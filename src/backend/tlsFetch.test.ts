/** @jest-environment node */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type ServerOptions } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { callResource } from './callResource';
import { checkHealth } from './checkHealth';
import { prometheusConnection, type InstanceSettingsMessage } from './settings';

/**
 * Real TLS: a CA made with openssl signs a server certificate (127.0.0.1 and prometheus.test) and a client
 * certificate; HTTPS servers stand for Prometheus, one of them asking for a client certificate.
 */
const dir = mkdtempSync(join(tmpdir(), 'headroom-tls-'));
/** One openssl command, its words separated by single spaces (no word here holds a space). */
function openssl(command: string) {
  execFileSync('openssl', command.split(' '), { cwd: dir, stdio: 'ignore' });
}
const EC_KEY = '-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes';
function signed(name: string, extensions: string) {
  writeFileSync(join(dir, `${name}.ext`), extensions);
  openssl(`req ${EC_KEY} -keyout ${name}.key -out ${name}.csr -subj /CN=${name}`);
  openssl(
    `x509 -req -in ${name}.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 1 -out ${name}.crt -extfile ${name}.ext`
  );
}
openssl(`req -x509 ${EC_KEY} -keyout ca.key -out ca.crt -days 1 -subj /CN=headroom-test-ca`);
signed('server', 'subjectAltName=IP:127.0.0.1,DNS:prometheus.test\n');
signed('client', 'extendedKeyUsage=clientAuth\n');
const pem = (file: string) => readFileSync(join(dir, file), 'utf8');

const PROMETHEUS_ANSWER = JSON.stringify({ status: 'success', data: { resultType: 'scalar', result: [1, '1'] } });

async function start(options: ServerOptions): Promise<{ server: Server; url: string }> {
  const server = createServer(options, (_request, response) => {
    response.writeHead(200, { 'Content-Type': 'application/json' });
    response.end(PROMETHEUS_ANSWER);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `https://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

let plain: { server: Server; url: string };
let mutual: { server: Server; url: string };

beforeAll(async () => {
  plain = await start({ key: pem('server.key'), cert: pem('server.crt') });
  mutual = await start({
    key: pem('server.key'),
    cert: pem('server.crt'),
    ca: pem('ca.crt'),
    requestCert: true,
    rejectUnauthorized: true,
  });
});

afterAll(async () => {
  await Promise.all([plain, mutual].map(({ server }) => new Promise((resolve) => server.close(resolve))));
  rmSync(dir, { recursive: true, force: true });
});

function settings(url: string, jsonData: object, secure: Record<string, string> = {}): InstanceSettingsMessage {
  return {
    url,
    basicAuthEnabled: false,
    basicAuthUser: '',
    jsonData: Buffer.from(JSON.stringify({ timeout: 5, ...jsonData })),
    decryptedSecureJsonData: secure,
  };
}

const NOW = 1_700_000_000;
const withCa = { tlsAuthWithCACert: true };

describe('TLS settings', () => {
  test('a certificate of an unknown CA: ERROR that names TLS and the settings to check', async () => {
    const result = await checkHealth(settings(plain.url, {}), NOW);
    expect(result.status).toBe('ERROR');
    expect(result.message).toContain(`Cannot reach Prometheus at ${plain.url} (TLS: `);
    expect(result.message).toContain("check the data source's TLS settings");
  });

  test('the CA certificate makes it trusted; the switch off leaves it unused, as in Grafana', async () => {
    expect((await checkHealth(settings(plain.url, withCa, { tlsCACert: pem('ca.crt') }), NOW)).status).toBe('OK');
    const switchedOff = settings(plain.url, { tlsAuthWithCACert: false }, { tlsCACert: pem('ca.crt') });
    expect((await checkHealth(switchedOff, NOW)).status).toBe('ERROR');
  });

  test('skip verify accepts the unknown CA', async () => {
    expect((await checkHealth(settings(plain.url, { tlsSkipVerify: true }), NOW)).status).toBe('OK');
  });

  test('the server name is the one the certificate is checked against', async () => {
    const named = (serverName: string) => settings(plain.url, { ...withCa, serverName }, { tlsCACert: pem('ca.crt') });
    expect((await checkHealth(named('prometheus.test'), NOW)).status).toBe('OK');
    const wrong = await checkHealth(named('other.test'), NOW);
    expect(wrong.status).toBe('ERROR');
    expect(wrong.message).toContain('ERR_TLS_CERT_ALTNAME_INVALID');
  });

  test('a server asking for a client certificate: ERROR without one, OK with the client certificate and key', async () => {
    const ca = { tlsCACert: pem('ca.crt') };
    expect((await checkHealth(settings(mutual.url, withCa, ca), NOW)).status).toBe('ERROR');
    const client = { ...ca, tlsClientCert: pem('client.crt'), tlsClientKey: pem('client.key') };
    expect((await checkHealth(settings(mutual.url, { ...withCa, tlsAuth: true }, client), NOW)).status).toBe('OK');
  });

  test('the resource proxy uses the same TLS settings', async () => {
    const connection = prometheusConnection(settings(plain.url, withCa, { tlsCACert: pem('ca.crt') }));
    const answer = await callResource(connection, {
      path: 'api/v1/query',
      method: 'GET',
      url: '/resources/api/v1/query?query=1',
      headers: {},
      body: new Uint8Array(),
    });
    expect(answer.code).toBe(200);
    expect(Buffer.from(answer.body).toString()).toBe(PROMETHEUS_ANSWER);
  });
});
