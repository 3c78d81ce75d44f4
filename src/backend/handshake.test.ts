import { checkHandshake, handshakeLine, NOT_A_PROGRAM_MESSAGE, unixHandshakeLine } from './handshake';

/** What go-plugin's server.go does with the same environment (docs/grafana-compatibility.md, "Backend"). */
describe('checkHandshake', () => {
  const grafana = { grafana_plugin_type: 'datasource', PLUGIN_PROTOCOL_VERSIONS: '2' };

  test("without the magic cookie: refused with go-plugin's own words", () => {
    expect(checkHandshake({})).toEqual({ ok: false, message: NOT_A_PROGRAM_MESSAGE });
    expect(checkHandshake({ ...grafana, grafana_plugin_type: 'app' })).toEqual({
      ok: false,
      message: NOT_A_PROGRAM_MESSAGE,
    });
  });

  test('protocol 2 among the offered versions is accepted; a list without 2 is refused', () => {
    expect(checkHandshake({ ...grafana, PLUGIN_PROTOCOL_VERSIONS: '1,2' }).ok).toBe(true);
    const refused = checkHandshake({ ...grafana, PLUGIN_PROTOCOL_VERSIONS: '1,3' });
    expect(refused).toEqual({ ok: false, message: expect.stringContaining('offered 1,3') });
  });

  test('no version list (an old client) is accepted', () => {
    expect(checkHandshake({ grafana_plugin_type: 'datasource' }).ok).toBe(true);
  });

  test('ports: unset means 0..0 (any free port); the range is read as given; min above max is refused', () => {
    expect(checkHandshake(grafana)).toEqual({ ok: true, ports: { minPort: 0, maxPort: 0 } });
    expect(checkHandshake({ ...grafana, PLUGIN_MIN_PORT: '10000', PLUGIN_MAX_PORT: '25000' })).toEqual({
      ok: true,
      ports: { minPort: 10000, maxPort: 25000 },
    });
    expect(checkHandshake({ ...grafana, PLUGIN_MIN_PORT: '3', PLUGIN_MAX_PORT: '2' })).toEqual({
      ok: false,
      message: 'PLUGIN_MIN_PORT value of 3 is greater than PLUGIN_MAX_PORT value of 2\n',
    });
    expect(checkHandshake({ ...grafana, PLUGIN_MIN_PORT: 'x' })).toEqual({
      ok: false,
      message: 'PLUGIN_MIN_PORT is not a port number: "x"\n',
    });
  });
});

test('PLUGIN_UNIX_SOCKET_DIR (go-plugin client with a runner, e.g. Grafana container mode) is passed on', () => {
  const env = { grafana_plugin_type: 'datasource', PLUGIN_UNIX_SOCKET_DIR: '/tmp/go-plugin-container' };
  expect(checkHandshake(env)).toEqual({
    ok: true,
    ports: { minPort: 0, maxPort: 0 },
    socketDir: '/tmp/go-plugin-container',
  });
});

test('unixHandshakeLine: the network is unix and the address the socket path', () => {
  expect(unixHandshakeLine('/tmp/go-plugin-container/plugin42')).toBe(
    '1|2|unix|/tmp/go-plugin-container/plugin42|grpc\n'
  );
});

test('handshakeLine: core protocol 1, plugin protocol 2, TCP on loopback, gRPC, one line', () => {
  expect(handshakeLine(12345)).toBe('1|2|tcp|127.0.0.1:12345|grpc\n');
});
