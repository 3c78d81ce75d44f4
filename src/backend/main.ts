/**
 * The Headroom data source's backend process, started by Grafana (go-plugin): checks the handshake, serves gRPC
 * on 127.0.0.1 and prints the one line that tells Grafana where. stdout carries only that line; logs go to stderr,
 * which Grafana reads into its own log.
 */
import { checkHandshake, handshakeLine } from './handshake';
import { createServer, listen } from './server';

async function main(): Promise<void> {
  const check = checkHandshake(process.env);
  if (!check.ok) {
    process.stderr.write(check.message);
    process.exit(1);
  }
  const server = createServer({
    onShutdown: () => server.tryShutdown(() => process.exit(0)),
  });
  const port = await listen(server, check.ports.minPort, check.ports.maxPort);
  process.stdout.write(handshakeLine(port));
  // Grafana stops a plugin by the controller, else by a signal: either way, finish the calls in flight.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => server.tryShutdown(() => process.exit(0)));
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`headroom backend: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
