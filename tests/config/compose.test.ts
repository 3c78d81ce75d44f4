/**
 * Docker cannot run here, so this checks that docker-compose.yaml, the provisioning files and the
 * Prometheus config agree with the plugin IDs, ports and paths the code uses, and that the real
 * promtool accepts the Prometheus config.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';

const root = path.resolve(__dirname, '../..');
const readYaml = (relativePath: string) => parse(readFileSync(path.join(root, relativePath), 'utf8'));
const readJson = (relativePath: string) => JSON.parse(readFileSync(path.join(root, relativePath), 'utf8'));

const compose = readYaml('docker-compose.yaml');
const composeBase = readYaml('.config/docker-compose-base.yaml');
const appPluginJson = readJson('src/plugin.json');
const nestedPluginJsons = (appPluginJson.includes as Array<{ type: string; path?: string }>)
  .filter((include) => include.type === 'datasource' || include.type === 'panel')
  .map((include) => readJson(path.join('src', include.path!)));
const datasourceId = nestedPluginJsons.find((p) => p.type === 'datasource').id as string;

describe('docker-compose.yaml', () => {
  it('mounts the built plugin where Grafana looks for the app id', () => {
    const volumes: string[] = composeBase.services.grafana.volumes;
    expect(volumes).toContain(`../dist:/var/lib/grafana/plugins/${appPluginJson.id}`);
    expect(volumes).toContain('../provisioning:/etc/grafana/provisioning');
  });

  it('pins an OSS Grafana image no older than the plugin requires', () => {
    const args = compose.services.grafana.build.args;
    expect(args.grafana_image).toBe('grafana');
    expect(args.grafana_version).toMatch(/^\d+\.\d+\.\d+$/);
    const required = String(appPluginJson.dependencies.grafanaDependency).replace('>=', '');
    const [major, minor] = args.grafana_version.split('.').map(Number);
    const [requiredMajor, requiredMinor] = required.split('.').map(Number);
    expect(major * 100 + minor).toBeGreaterThanOrEqual(requiredMajor * 100 + requiredMinor);
  });

  it('allows every plugin the app bundles to load unsigned', () => {
    const allowed = String(compose.services.grafana.environment.GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS).split(',');
    const ids = [appPluginJson.id, ...nestedPluginJsons.map((p) => p.id)];
    expect(ids).toHaveLength(5);
    expect(allowed.sort()).toEqual(ids.sort());
  });

  it('backfills history before Prometheus starts, into the volume Prometheus serves', () => {
    const { backfill, prometheus, history } = compose.services;
    expect(prometheus.depends_on.backfill.condition).toBe('service_completed_successfully');
    expect(backfill.depends_on.history.condition).toBe('service_completed_successfully');
    const historyFile = history.command[history.command.indexOf('--out') + 1];
    expect(backfill.command[0]).toContain(`create-blocks-from openmetrics ${historyFile} /prometheus`);
    expect(prometheus.volumes).toContain('prometheus-data:/prometheus');
    expect(backfill.volumes).toContain('prometheus-data:/prometheus');
    // Backfilled samples are up to 30 days old: the default 15 d retention would delete them.
    expect(prometheus.command).toContain('--storage.tsdb.retention.time=400d');
  });

  it('scrapes the live fleet on the port the fleet service listens on', () => {
    const { fleet } = compose.services;
    const port = fleet.command[fleet.command.indexOf('--port') + 1];
    expect(fleet.ports).toContain(`${port}:${port}/tcp`);
    const prometheusConfig = readYaml('docker/prometheus.yml');
    expect(prometheusConfig.scrape_configs[0].static_configs[0].targets).toEqual([`fleet:${port}`]);
  });

  it('has a Prometheus config that the real promtool accepts', () => {
    const output = execFileSync('promtool', ['check', 'config', path.join(root, 'docker/prometheus.yml')], {
      encoding: 'utf8',
    });
    expect(output).toContain('SUCCESS');
  });
});

/** The `headroom` arguments of a compose service that runs the CLI, with some flags replaced. */
function cliArgs(command: string[], replaced: Record<string, string> = {}): string[] {
  const args = command.slice(command.indexOf('src/cli/main.ts') + 1);
  return args.map((arg, i) => (i > 0 && args[i - 1] in replaced ? replaced[args[i - 1]] : arg));
}

const flagValue = (args: string[], flag: string) => args[args.indexOf(flag) + 1];

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('the simulator services', () => {
  const historyArgs = cliArgs(compose.services.history.command);
  const fleetArgs = cliArgs(compose.services.fleet.command);

  it('simulate the same fleet in the history and live', () => {
    for (const flag of ['--gpus', '--seed', '--days']) {
      expect([flag, flagValue(fleetArgs, flag)]).toEqual([flag, flagValue(historyArgs, flag)]);
    }
  });

  it('run the history command as written (shortened to a few hours)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'headroom-compose-'));
    try {
      const out = path.join(dir, 'fleet.om');
      const args = cliArgs(compose.services.history.command, { '--days': '0.1', '--out': out });
      execFileSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: root, stdio: 'pipe' });
      expect(readFileSync(out, 'utf8').endsWith('# EOF\n')).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('serve the live fleet as written, on the port given', async () => {
    const port = await freePort();
    const args = cliArgs(compose.services.fleet.command, { '--host': '127.0.0.1', '--port': String(port) });
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      cwd: root,
      stdio: 'ignore',
    });
    try {
      let body = '';
      for (let attempt = 0; attempt < 150 && !body; attempt++) {
        body = await fetch(`http://127.0.0.1:${port}/metrics`).then(
          (response) => response.text(),
          () => new Promise<string>((resolve) => setTimeout(() => resolve(''), 200))
        );
      }
      expect(body).toMatch(/^DCGM_FI_DEV_GPU_UTIL\{/m);
      expect(body).toMatch(/^kube_node_status_allocatable\{/m);
    } finally {
      child.kill('SIGTERM');
    }
  });
});

describe('provisioning', () => {
  const datasources = readYaml('provisioning/datasources/datasources.yaml').datasources as Array<{
    type: string;
    uid: string;
    url?: string;
    jsonData?: Record<string, unknown>;
  }>;

  it('points the Headroom data source at the provisioned Prometheus', () => {
    const prometheus = datasources.find((d) => d.type === 'prometheus')!;
    const headroom = datasources.find((d) => d.type === datasourceId)!;
    expect(headroom).toBeDefined();
    expect(headroom.jsonData?.prometheusUid).toBe(prometheus.uid);
    expect(prometheus.url).toBe(`http://prometheus:${9090}`);
    expect(compose.services.prometheus.command).toContain('--web.listen-address=0.0.0.0:9090');
  });

  it('enables the app with the provisioned Headroom data source as its default', () => {
    const apps = readYaml('provisioning/plugins/apps.yaml').apps;
    const headroom = datasources.find((d) => d.type === datasourceId)!;
    expect(apps).toEqual([
      expect.objectContaining({
        type: appPluginJson.id,
        disabled: false,
        jsonData: { defaultDatasourceUid: headroom.uid },
      }),
    ]);
  });

  it('holds only folders Grafana provisions', () => {
    const known = ['alerting', 'dashboards', 'datasources', 'plugins'];
    const folders = readdirSync(path.join(root, 'provisioning'), { withFileTypes: true }).filter((e) =>
      e.isDirectory()
    );
    expect(folders.map((f) => f.name).filter((name) => !known.includes(name))).toEqual([]);
  });
});
