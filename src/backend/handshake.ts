/**
 * go-plugin's side of starting a plugin, as hashicorp/go-plugin's server.go does it (docs/grafana-compatibility.md,
 * "Backend"): the client (Grafana) sets a magic cookie and the protocol versions it speaks in the environment, and a
 * range of ports; the plugin listens on 127.0.0.1 and answers one line on stdout,
 * `<core protocol>|<app protocol>|tcp|127.0.0.1:<port>|grpc`.
 */

/** Grafana's handshake (grafana-plugin-sdk-go backend/grpcplugin): the cookie for data sources and apps alike. */
export const MAGIC_COOKIE_KEY = 'grafana_plugin_type';
export const MAGIC_COOKIE_VALUE = 'datasource';
/** go-plugin's own protocol version (the line's first number) and Grafana's plugin protocol (the second). */
export const CORE_PROTOCOL_VERSION = 1;
export const PLUGIN_PROTOCOL_VERSION = 2;

/** go-plugin's words, so a person who runs the executable by hand reads what every go-plugin plugin says. */
export const NOT_A_PROGRAM_MESSAGE =
  'This binary is a plugin. These are not meant to be executed directly.\n' +
  'Please execute the program that consumes these plugins, which will\n' +
  'load any plugins automatically\n';

export type Environment = Readonly<Record<string, string | undefined>>;

export interface PortRange {
  minPort: number;
  maxPort: number;
}

/**
 * `socketDir`: PLUGIN_UNIX_SOCKET_DIR, set by go-plugin's client when it runs the plugin through a runner (Grafana's
 * container mode on Linux); the client then only accepts a Unix socket inside that folder.
 */
export type HandshakeCheck = { ok: true; ports: PortRange; socketDir?: string } | { ok: false; message: string };

/** Ports as go-plugin reads them: unset means 0, and 0..0 means "any free port". */
function portRange(env: Environment): PortRange | string {
  const read = (name: string): number | string => {
    const text = env[name];
    if (text === undefined || text === '') {
      return 0;
    }
    const port = Number(text);
    return Number.isInteger(port) && port >= 0 && port <= 65535 ? port : `${name} is not a port number: "${text}"\n`;
  };
  const minPort = read('PLUGIN_MIN_PORT');
  const maxPort = read('PLUGIN_MAX_PORT');
  if (typeof minPort === 'string' || typeof maxPort === 'string') {
    return typeof minPort === 'string' ? minPort : (maxPort as string);
  }
  if (minPort > maxPort) {
    return `PLUGIN_MIN_PORT value of ${minPort} is greater than PLUGIN_MAX_PORT value of ${maxPort}\n`;
  }
  return { minPort, maxPort };
}

/** Whether this process was started by Grafana, speaking a protocol version it serves, with usable ports. */
export function checkHandshake(env: Environment): HandshakeCheck {
  if (env[MAGIC_COOKIE_KEY] !== MAGIC_COOKIE_VALUE) {
    return { ok: false, message: NOT_A_PROGRAM_MESSAGE };
  }
  const offered = env.PLUGIN_PROTOCOL_VERSIONS;
  // A client that sends no list is an old go-plugin client: it expects the handshake's version, which is ours.
  if (offered !== undefined && offered !== '') {
    const versions = offered.split(',').map((text) => Number(text.trim()));
    if (!versions.includes(PLUGIN_PROTOCOL_VERSION)) {
      return {
        ok: false,
        message:
          `This plugin speaks Grafana's plugin protocol version ${PLUGIN_PROTOCOL_VERSION}; ` +
          `the client offered ${offered}. Use a Grafana version that supports backend plugins of protocol ${PLUGIN_PROTOCOL_VERSION}.\n`,
      };
    }
  }
  const ports = portRange(env);
  if (typeof ports === 'string') {
    return { ok: false, message: ports };
  }
  const socketDir = env.PLUGIN_UNIX_SOCKET_DIR;
  return socketDir ? { ok: true, ports, socketDir } : { ok: true, ports };
}

/** The one line go-plugin's client reads from stdout: no automatic mTLS, so no certificate field. */
export function handshakeLine(port: number): string {
  return `${CORE_PROTOCOL_VERSION}|${PLUGIN_PROTOCOL_VERSION}|tcp|127.0.0.1:${port}|grpc\n`;
}

/** The same line for a Unix socket, as go-plugin's own servers print it on Linux and macOS. */
export function unixHandshakeLine(socketPath: string): string {
  return `${CORE_PROTOCOL_VERSION}|${PLUGIN_PROTOCOL_VERSION}|unix|${socketPath}|grpc\n`;
}
