/**
 * A live `/metrics` endpoint (Prometheus text format 0.0.4) that continues the simulated fleet in real time:
 * the simulation starts where a history of the same length written today starts, and each scrape advances it
 * to the wall clock, so a history file and this endpoint describe the same fleet.
 */
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { ExpositionOptions, FamilyContext, METRIC_FAMILIES, buildSlotPods } from './families';
import { FleetSpec } from './fleetSpec';
import { formatValue } from './openMetricsFormat';
import { FleetSimulation, TICK_SECONDS } from './simulation';
import { expositionOptions } from './history';
import { simulationStartSeconds } from './window';

export interface LiveServerOptions {
  port: number;
  host?: string;
  /** Length of the history this endpoint continues (same as `--days` of the history); default 3. */
  days?: number;
  profiling?: boolean;
  exportedLabels?: boolean;
  /** Clock in unix seconds; tests replace it. */
  nowSeconds?: () => number;
}

/** Renders the fleet at `seconds` in Prometheus text format (no timestamps: the scrape time is the sample time). */
export function renderPrometheusText(sim: FleetSimulation, seconds: number, options: ExpositionOptions): string {
  const tick = Math.floor(seconds / TICK_SECONDS);
  sim.advanceTo(tick);
  const ctx: FamilyContext = { sim, fromTick: tick, toTick: tick + 1, options, slotPods: buildSlotPods(sim) };
  const lines: string[] = [];
  const value = new Float64Array(1);
  for (const family of METRIC_FAMILIES) {
    // The text format names a counter family with its _total suffix.
    const name = family.type === 'counter' ? `${family.name}_total` : family.name;
    let header = false;
    for (const source of family.series(ctx)) {
      if (!header) {
        lines.push(`# HELP ${name} ${family.help}`, `# TYPE ${name} ${family.type}`);
        header = true;
      }
      source.fill(seconds, TICK_SECONDS, value);
      lines.push(`${source.sampleName}${source.labels} ${formatValue(value[0])}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export async function startLiveMetricsServer(
  spec: FleetSpec,
  options: LiveServerOptions
): Promise<{ url: string; close(): Promise<void> }> {
  const now = options.nowSeconds ?? (() => Math.floor(Date.now() / 1000));
  const sim = new FleetSimulation(spec, simulationStartSeconds(now(), options.days ?? 3));
  const exposition = expositionOptions(options);
  const server = createServer((req, res) => {
    if (req.url !== '/metrics' && !req.url?.startsWith('/metrics?')) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: scrape /metrics\n');
      return;
    }
    try {
      const body = renderPrometheusText(sim, now(), exposition);
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }).end(body);
    } catch (error) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(`simulation failed: ${String(error)}\n`);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', resolve);
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${address.address}:${address.port}/metrics`,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}
