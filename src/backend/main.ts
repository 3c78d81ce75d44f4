/**
 * The Headroom data source's backend process, started by Grafana (go-plugin): checks the handshake, serves gRPC
 * on 127.0.0.1 and prints the one line that tells Grafana where. stdout carries only that line; logs go to stderr
 * in hclog's JSON form, which Grafana reads into its own log at their level (pluginLog.ts).
 */
import { appSettingsReader } from './appSettingsReader';
import { checkHandshake, handshakeLine, NOT_A_PROGRAM_MESSAGE, unixHandshakeLine } from './handshake';
import { pluginLogLine } from './pluginLog';
import { Recalibrator } from './recalibration/recalibrator';
import { startsRecalibrationAtBoot } from './recalibration/recalibrationSettings';
import { createServer, listen, listenUnix } from './server';

async function main(): Promise<void> {
  const check = checkHandshake(process.env);
  if (!check.ok) {
    // Run by hand (no cookie): go-plugin's plain words for a person. Started by Grafana: an error in its log.
    const byGrafana = check.message !== NOT_A_PROGRAM_MESSAGE;
    process.stderr.write(byGrafana ? pluginLogLine('error', check.message.trim(), new Date()) : check.message);
    process.exit(1);
  }
  // Recalibration runs in the app's backend: Grafana sends the app's settings with the calls to the app, and gives
  // the process a token at start when it manages a service account for the plugin (docs/architecture.md, "Recalibration inside Grafana").
  const recalibrator = new Recalibrator({
    env: process.env,
    log: (level, message, fields) => process.stderr.write(pluginLogLine(level, message, new Date(), fields)),
    tickMs: Number(process.env.HEADROOM_RECALIBRATION_TICK_MS) || undefined,
  });
  if (startsRecalibrationAtBoot(process.env)) {
    recalibrator.start();
  }
  const server = createServer({
    onShutdown: () => server.tryShutdown(() => process.exit(0)),
    recalibrator,
    readAppSettings: appSettingsReader({ env: process.env }),
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
