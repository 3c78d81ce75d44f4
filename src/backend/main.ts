/**
 * The Headroom data source's backend process, started by Grafana (go-plugin): checks the handshake, serves gRPC
 * on 127.0.0.1 and prints the one line that tells Grafana where. stdout carries only that line; logs go to stderr
 * in hclog's JSON form, which Grafana reads into its own log at their level (pluginLog.ts).
 */
import { checkHandshake, handshakeLine, NOT_A_PROGRAM_MESSAGE, unixHandshakeLine } from './handshake';
import { pluginLogLine } from './pluginLog';
import { createServer, listen, listenUnix } from './server';

async function main(): Promise<void> {
  const check = checkHandshake(process.env);
  if (!check.ok) {
    // Run by hand (no cookie): go-plugin's plain words for a person. Started by Grafana: an error in its log.
    const byGrafana = check.message !== NOT_A_PROGRAM_MESSAGE;
    process.stderr.write(byGrafana ? pluginLogLine('error', check.message.trim(), new Date()) : check.message);
    process.exit(1);
  }
  const server = createServer({
    onShutdown: () => server.tryShutdown(() => process.exit(0)),
  });
  // TCP on loopback serves Grafana's usual process mode; a socket folder means a runner (container mode) that can
  // reach only a Unix socket inside it.
  process.stdout.write(
    check.socketDir
      ? unixHandshakeLine(await listenUnix(server, check.socketDir))
      : handshakeLine(await listen(server, check.ports.minPort, check.ports.maxPort))
  );
  // Grafana stops a plugin by the controller, else by a signal: either way, finish the calls in flight.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => server.tryShutdown(() => process.exit(0)));
  }
}

main().catch((error: unknown) => {
  const reason = error instanceof Error ? error.message : String(error);
  process.stderr.write(pluginLogLine('error', `headroom backend: ${reason}`, new Date()));
  process.exit(1);
});
