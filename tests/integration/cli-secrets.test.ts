/**
 * The command line never prints a credential, and says what answered when something other than Grafana does. A real
 * HTTP server stands where Grafana (and Prometheus) would be and behaves like what people put in front of them: a
 * misconfigured proxy that echoes the request's headers into its error page, a sign-in page, a redirect to /login,
 * JSON of another API. Its behaviour is chosen by the first path segment of the URL the CLI is given.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { grafanaRulesForBand } from '../../src/alerting/grafanaRule';
import { runHeadroom } from '../kit/cli';

/** Opaque on purpose: nothing about its shape says it is a token, so only knowing it can redact it. */
const TOKEN = 'opaque-T0ken-7Hq2xZ';
const PASSWORD = 'hunter2-Pw-93';
/** What a Basic authorization header carries for ops:hunter2-Pw-93: base64 of the pair, worked out separately. */
const BASIC = Buffer.from(`ops:${PASSWORD}`).toString('base64');
const LOGIN_PAGE = '<!DOCTYPE html><html><head><title>Grafana</title></head><body><form>Sign in</form></body></html>';

/** One rule Headroom manages, so that `recalibrate` goes on to read its series from Prometheus. */
const MANAGED_RULES = grafanaRulesForBand(
  { selector: 'gpu_util{gpu="0"}', datasourceUid: 'prom-uid', folderUID: 'headroom', ruleGroup: 'gpu' },
  {
    band: { mode: 'flat', calibratedAtSeconds: 1_700_000_000, upper: [80] },
    method: 'median-mad',
    trainingStartSeconds: 1_699_000_000,
    trainingEndSeconds: 1_699_999_700,
    expectedStartsPerWeek: 1,
    stepSeconds: 300,
  },
  { forSeconds: 300, keepFiringForSeconds: 0 }
);

/** The request's headers, one per line, Authorization first (an excerpt of the answer still holds it). */
function headersAsText(req: IncomingMessage): string {
  return Object.entries(req.headers)
    .sort(([a], [b]) => Number(b === 'authorization') - Number(a === 'authorization'))
    .map(([name, value]) => `${name}: ${String(value)}`)
    .join('\n');
}

function answer(req: IncomingMessage, res: ServerResponse): void {
  const [, mode, ...rest] = (req.url ?? '/').split('/');
  const path = `/${rest.join('/')}`;
  const send = (status: number, type: string, body: string, extra: Record<string, string> = {}) => {
    res.writeHead(status, { 'Content-Type': type, ...extra });
    res.end(body);
  };
  switch (mode) {
    case 'echo-text': // nginx-style error page that lists the request
      return send(502, 'text/plain', `Bad gateway. Your request:\n${headersAsText(req)}\n${req.method} ${req.url}`);
    case 'echo-json': // a JSON error that quotes the request, in its message and as an object
      return send(
        500,
        'application/json',
        JSON.stringify({ message: `failed: ${headersAsText(req)}`, request: req.headers })
      );
    case 'managed': // Grafana's rule list, then an echoing proxy in front of Prometheus
      return path.startsWith('/api/v1/provisioning/alert-rules')
        ? send(200, 'application/json', JSON.stringify(MANAGED_RULES))
        : send(502, 'text/plain', `upstream refused:\n${headersAsText(req)}`);
    case 'login-page':
      return send(200, 'text/html; charset=utf-8', LOGIN_PAGE);
    case 'to-login':
      return send(302, 'text/html', '<a href="/login">Found</a>.', { Location: '/login' });
    case 'other-json':
      return send(200, 'application/json', JSON.stringify({ status: 'success', data: [] }));
    default:
      return send(404, 'text/plain', 'no such mode');
  }
}

/** The CLI with the token in its environment, its output read as a whole. */
async function headroom(args: string[]) {
  const { code, stdout, stderr } = await runHeadroom(args, { env: { HEADROOM_GRAFANA_TOKEN: TOKEN } });
  return { status: code, output: stdout + stderr, stdout, stderr };
}

const COMMANDS: Record<string, (grafanaUrl: string) => string[]> = {
  recalibrate: (url) => ['recalibrate', '--grafana-url', url, '--at', '1700000000'],
  'rules templates': (url) => ['rules', 'templates', '--prometheus-uid', 'prom-uid', '--grafana-url', url],
};

let server: Server;
let base: string;
let withCredentials: (mode: string) => string;

beforeAll(async () => {
  server = createServer(answer);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  base = `http://127.0.0.1:${port}`;
  withCredentials = (mode) => `http://ops:${PASSWORD}@127.0.0.1:${port}/${mode}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

function expectNoCredential(output: string): void {
  for (const secret of [TOKEN, PASSWORD, BASIC, encodeURIComponent(PASSWORD)]) {
    expect(output).not.toContain(secret);
  }
}

describe.each(Object.keys(COMMANDS))('headroom %s', (name) => {
  const args = COMMANDS[name];

  it.each(['echo-text', 'echo-json'])(
    'prints the answer of a proxy that echoes the headers (%s) without the token, exit code 1',
    async (mode) => {
      const run = await headroom(args(`${base}/${mode}`));
      expect(run.status).toBe(1);
      expect(run.stderr).toContain(`headroom ${name}: Listing alert rules: `);
      expect(run.stderr).toMatch(/authorization: \[redacted\]/i);
      expectNoCredential(run.output);
    }
  );

  it('refuses a Grafana URL carrying a user and password, naming it without them, exit code 2', async () => {
    const run = await headroom(args(withCredentials('echo-text')));
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`--grafana-url ${base}/echo-text carries a user name or password, which is not sent.`);
    expectNoCredential(run.output);
  });

  it.each([
    ['login-page', 200, 'an HTML page (a sign-in page'],
    ['to-login', 302, 'a redirect to BASE/login'],
    ['other-json', 200, 'JSON that is not a list of alert rules ({"status":"success","data":[]})'],
  ])(
    'says what answered instead of Grafana (%s), naming the URL and the status, exit code 1',
    async (mode, status, what) => {
      const run = await headroom(args(`${base}/${mode}`));
      expect(run.status).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain(
        `headroom ${name}: Listing alert rules: ${base}/${mode}/api/v1/provisioning/alert-rules answered ${status} with ` +
          what.replace('BASE', base)
      );
      expect(run.stderr).not.toContain('is not a function');
      expectNoCredential(run.output);
    }
  );
});

describe('headroom recalibrate --prometheus with basic authentication', () => {
  it("sends the credentials as a header and prints an echoing proxy's answer without them", async () => {
    const run = await headroom([
      ...COMMANDS.recalibrate(`${base}/managed`),
      '--prometheus',
      withCredentials('managed'),
    ]);
    // The series could not be read: its rules are left as they are, and the run fails.
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      `headroom recalibrate: gpu_util{gpu="0"}: Prometheus request /api/v1/query_range failed with HTTP 502`
    );
    expect(run.stderr).toMatch(/authorization: \[redacted\]/i);
    expectNoCredential(run.output);
  });
});
