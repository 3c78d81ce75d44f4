import { InvalidBaseUrlError, parseBaseUrl } from './baseUrl';
import { PrometheusHttpError } from './errors';
import { errorMessage, redactCredentials, redactedFigures, urlForDisplay } from './redact';

// Expected strings are written out by hand: what a person should see once each credential is gone.
describe('redactCredentials', () => {
  it('removes the credential of every authorization header form a proxy may echo', () => {
    const echoed = [
      'GET /api/v1/provisioning/alert-rules',
      'authorization: Bearer glsa_abc_123',
      'Proxy-Authorization: Basic dXNlcjpwYXNz',
      'x-api-key: k-123456',
      'cookie: grafana_session=0123abcd; other=zz',
      'user-agent: node',
    ].join('\n');
    expect(redactCredentials(echoed)).toBe(
      [
        'GET /api/v1/provisioning/alert-rules',
        'authorization: [redacted]',
        'Proxy-Authorization: [redacted]',
        'x-api-key: [redacted]',
        'cookie: [redacted]',
        'user-agent: node',
      ].join('\n')
    );
  });

  it('removes them from JSON echoes of the headers', () => {
    const echoed = JSON.stringify({
      headers: { authorization: 'Bearer xyz987', cookie: ['a=1', 'b=2'], host: 'grafana:3000' },
    });
    expect(redactCredentials(echoed)).toBe(
      '{"headers":{"authorization":"[redacted]","cookie":"[redacted]","host":"grafana:3000"}}'
    );
  });

  it('removes a bearer or basic credential, a Grafana token and a session cookie anywhere in prose', () => {
    expect(redactCredentials('upstream said Bearer abc.def.ghi and Basic dXNlcjpwYXNz. Token glsa_Zz_09 expired')).toBe(
      'upstream said Bearer [redacted] and Basic [redacted] Token [redacted] expired'
    );
    expect(redactCredentials('set grafana_session=f00d; Path=/')).toBe('set grafana_session=[redacted]; Path=/');
  });

  it('removes user information from URLs', () => {
    expect(redactCredentials('Cannot reach http://admin:s3cret@prom:9090/api/v1/query (refused)')).toBe(
      'Cannot reach http://[redacted]@prom:9090/api/v1/query (refused)'
    );
  });

  it('removes the secrets it is given, also URL-encoded and base64-encoded', () => {
    // "p@ss word!" URL-encoded is p%40ss%20word!; "ops:p@ss word!" in base64 is b3BzOnBAc3Mgd29yZCE=.
    const text = 'raw p@ss word! / encoded p%40ss%20word! / basic b3BzOnBAc3Mgd29yZCE= / tok-7f3a in a sentence';
    expect(redactCredentials(text, ['p@ss word!', 'ops:p@ss word!', 'tok-7f3a', undefined])).toBe(
      'raw [redacted] / encoded [redacted] / basic [redacted] / [redacted] in a sentence'
    );
  });

  it("leaves Headroom's own advice alone, and changes nothing more when applied twice", () => {
    const advice = [
      'The token was refused: check HEADROOM_GRAFANA_TOKEN holds a valid, unexpired service-account token.',
      "access denied; check the data source's credentials (user, password or token) and its permissions.",
      'The PromQL is invalid: Prometheus says "parse error". Query: sum(DCGM_FI_DEV_GPU_UTIL{Hostname="n1"})',
    ];
    for (const text of advice) {
      expect(redactCredentials(text)).toBe(text);
    }
    const once = redactCredentials('authorization: Bearer glsa_x_1, Basic abc, http://u:p@h/ cookie: a=b; c=d');
    expect(once).toBe('authorization: [redacted], Basic [redacted], http://[redacted]@h/ cookie: [redacted]');
    expect(redactCredentials(once)).toBe(once);
  });

  it('removes the values of the custom headers it is told are secret, however a proxy echoes them', () => {
    // A Prometheus data source's custom headers: Grafana keeps the values secret, the browser knows only the names.
    const names = ['X-Scope-OrgID', 'X-Sumo-Key', 'X-Custom-Auth'];
    const echoed = [
      'X-Scope-OrgID: tenant-a',
      'x-sumo-key=Sk.123',
      '{"X-Custom-Auth":["Token abc"]}',
      'map[Accept:[*/*] X-Custom-Auth:[s3cr3t]]',
      'Not-X-Custom-Auth: visible',
    ].join('\n');
    const expected = [
      'X-Scope-OrgID: [redacted]',
      'x-sumo-key=[redacted]',
      '{"X-Custom-Auth":"[redacted]"}',
      'map[Accept:[*/*] X-Custom-Auth:[redacted]',
      'Not-X-Custom-Auth: visible',
    ].join('\n');
    expect(redactCredentials(echoed, [], names)).toBe(expected);
    expect(redactCredentials(expected, [], names)).toBe(expected);
    expect(errorMessage(new Error('echo: X-Custom-Auth: Bearer abc.def'), [], names)).toBe(
      'echo: X-Custom-Auth: [redacted]'
    );
    // Names are matched literally: a dot is not "any character".
    expect(redactCredentials('X-AbC: keep', [], ['X.AbC'])).toBe('X-AbC: keep');
  });

  it('gives the redacted message of anything thrown', () => {
    expect(errorMessage(new Error('failed with Authorization: Bearer t0k3n'))).toBe(
      'failed with Authorization: [redacted]'
    );
    expect(errorMessage('plain secret-42 text', ['secret-42'])).toBe('plain [redacted] text');
  });
});

describe('Prometheus errors', () => {
  it("never show the data source's basic auth that a proxy before Prometheus echoes (what a panel shows)", () => {
    // Grafana's data source proxy adds the data source's credentials; base64("grafana:ds-pass") = Z3JhZmFuYTpkcy1wYXNz.
    const error = new PrometheusHttpError(
      502,
      '/api/v1/query_range',
      'upstream: Authorization: Basic Z3JhZmFuYTpkcy1wYXNz'
    );
    expect(error.message).toContain('Answer: upstream: Authorization: [redacted]');
    expect(error.message).not.toContain('Z3JhZmFuYTpkcy1wYXNz');
  });
});

describe('urlForDisplay and parseBaseUrl', () => {
  it('names a URL without its user information', () => {
    expect(urlForDisplay('http://admin:pw@grafana.example:3000/sub/')).toBe('http://grafana.example:3000/sub/');
  });

  it('turns user information into a Basic authorization header, and names it as secrets', () => {
    // base64("ops:p@ss") = b3BzOnBAc3M=
    expect(parseBaseUrl('https://ops:p%40ss@prom.example/', { server: 'Prometheus', example: 'x' })).toEqual({
      base: 'https://prom.example',
      authorization: 'Basic b3BzOnBAc3M=',
      secrets: ['ops:p@ss', 'p@ss', 'p%40ss'],
    });
    expect(parseBaseUrl('http://localhost:9090', { server: 'Prometheus', example: 'x' })).toEqual({
      base: 'http://localhost:9090',
      secrets: [],
    });
  });

  it('refuses what is not an http URL, and user information where it is not taken, without printing it', () => {
    const rules = { server: 'Grafana', flag: '--grafana-url', example: 'http://localhost:3000' };
    expect(() => parseBaseUrl('localhost:3000', rules)).toThrow(InvalidBaseUrlError);
    expect(() => parseBaseUrl('not a url', rules)).toThrow(
      '--grafana-url "not a url" is not a URL: give the Grafana address, e.g. http://localhost:3000.'
    );
    expect(() => parseBaseUrl('ftp://host', rules)).toThrow('must start with http:// or https://');
    let message = '';
    try {
      parseBaseUrl('http://admin:hunter22@grafana:3000', { ...rules, refuseUserInfo: 'Use the token.' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe(
      '--grafana-url http://grafana:3000 carries a user name or password, which is not sent. Use the token.'
    );
  });
});

describe('redactedFigures', () => {
  it('redacts every text among the figures, in lists and nested objects, and keeps the code and numbers', () => {
    const figures = redactedFigures({
      code: 'proxy-error',
      status: 401,
      body: 'Authorization: Bearer glsa_abcdefghijklmnop',
      headers: ['Cookie: grafana_session=0123456789abcdef'],
      detail: { echoed: { header: 'Authorization: Basic dXNlcjpodW50ZXIy' } },
    });
    expect(figures.code).toBe('proxy-error');
    expect(figures.status).toBe(401);
    const text = JSON.stringify(figures);
    expect(text).not.toContain('glsa_abcdefghijklmnop');
    expect(text).not.toContain('0123456789abcdef');
    expect(text).not.toContain('dXNlcjpodW50ZXIy');
  });
});
