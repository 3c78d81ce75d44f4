/**
 * Docker cannot run here, so this checks that docker-compose.yaml, the provisioning files and the
 * Prometheus config agree with the plugin IDs, ports and paths the code uses, and that the real
 * promtool accepts the Prometheus config. The simulator's image (docker/simulator.Dockerfile) is built the way its
 * Dockerfile builds it, from the files its build context lets in, with the same esbuild, and the Compose services'
 * commands run on that bundle, away from any node_modules.
 */
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';

const root = path.resolve(__dirname, '../..');
// Compose reads YAML merge keys (`<<: *simulator`).
const readYaml = (relativePath: string) => parse(readFileSync(path.join(root, relativePath), 'utf8'), { merge: true });
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
    expect(backfill.command[0]).toMatch(
      new RegExp(`create-blocks-from openmetrics (--max-block-duration=\\d+h )?${historyFile} /prometheus `)
    );
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

/** The `headroom simulate` arguments of a simulator service (its command; the image's entrypoint runs simulate). */
function cliArgs(command: string[], replaced: Record<string, string> = {}): string[] {
  return command.map((arg, i) => (i > 0 && command[i - 1] in replaced ? replaced[command[i - 1]] : arg));
}

const flagValue = (args: string[], flag: string) => args[args.indexOf(flag) + 1];

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const dockerfileText = readFileSync(path.join(root, 'docker/simulator.Dockerfile'), 'utf8');
/** Dockerfile instructions, continuation lines joined. */
const dockerfile = dockerfileText
  .replace(/\\\n/g, ' ')
  .split('\n')
  .filter((line) => line.trim() !== '' && !line.startsWith('#'))
  .map((line) => {
    const [instruction, ...rest] = line.trim().split(/\s+/);
    return { instruction: instruction.toUpperCase(), args: rest.join(' ') };
  });
const dockerignore = readFileSync(path.join(root, '.dockerignore'), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '' && !line.startsWith('#'));
const argDefault = (name: string) =>
  dockerfile.find((d) => d.instruction === 'ARG' && d.args.startsWith(`${name}=`))!.args.slice(name.length + 1);
/** COPY instructions that take files from the build context (not from another stage). */
const contextCopies = dockerfile
  .filter((d) => d.instruction === 'COPY' && !d.args.startsWith('--from'))
  .map((d) => d.args.split(/\s+/));
const simulatorServices = ['history', 'fleet'];

describe('the simulator image (docker/simulator.Dockerfile)', () => {
  it('is what the history and fleet services run, built from the repository, with nothing mounted from the host', () => {
    for (const name of simulatorServices) {
      const service = compose.services[name];
      expect([name, service.build]).toEqual([name, { context: '.', dockerfile: 'docker/simulator.Dockerfile' }]);
      expect(service.image).toBe(compose.services.history.image);
      // Only named volumes: a bind mount (`.:/app`, `./node_modules:…`) would bring the host's files in.
      for (const volume of service.volumes ?? []) {
        expect([name, volume.split(':')[0]]).toEqual([name, expect.stringMatching(/^[a-z][a-z0-9_-]*$/)]);
        expect(Object.keys(compose.volumes)).toContain(volume.split(':')[0]);
      }
      expect(JSON.stringify(service)).not.toContain('node_modules');
    }
  });

  it('lets into its build context only what the Dockerfile copies, and no node_modules', () => {
    // Deny everything, then allow: what the Dockerfile copies must be allowed.
    expect(dockerignore[0]).toBe('*');
    const allowed = dockerignore.filter((line) => line.startsWith('!')).map((line) => line.slice(1));
    expect(contextCopies.length).toBeGreaterThan(0);
    for (const [source] of contextCopies) {
      expect(allowed).toContain(source);
    }
    expect(allowed.some((entry) => entry.includes('node_modules'))).toBe(false);
  });

  it('pins the esbuild that package-lock.json pins, and a Node the project supports', () => {
    const lock = readJson('package-lock.json');
    expect(argDefault('ESBUILD_VERSION')).toBe(lock.packages['node_modules/esbuild'].version);
    // The test below bundles with the project's esbuild: the same version, so the same bundle.
    expect(readJson('node_modules/esbuild/package.json').version).toBe(argDefault('ESBUILD_VERSION'));
    const nodeMajor = Number(argDefault('NODE_IMAGE').match(/^node:(\d+)/)![1]);
    const required = Number(String(readJson('package.json').engines.node).match(/\d+/)![0]);
    expect(nodeMajor).toBeGreaterThanOrEqual(required);
    expect(dockerfileText).toContain(`--target=node${nodeMajor}`);
  });
});

/**
 * Builds the simulator bundle as the Dockerfile does: the context's files (COPY) in a fresh folder, then its esbuild
 * command run there with the project's esbuild. Returns the entrypoint as a command for this machine.
 */
function buildSimulatorBundle(dir: string): { command: string; args: string[] } {
  const build = path.join(dir, 'build');
  mkdirSync(build);
  const excluded = dockerignore.filter((line) => !line.startsWith('!') && line !== '*');
  for (const [source, target] of contextCopies) {
    cpSync(path.join(root, source), path.join(build, target), {
      recursive: true,
      filter: (file) => !excluded.some((pattern) => file.endsWith(pattern.slice(pattern.lastIndexOf('*') + 1))),
    });
  }
  const esbuildRun = dockerfile.find((d) => d.instruction === 'RUN' && d.args.includes('/.bin/esbuild '))!;
  const [, ...esbuildArgs] = esbuildRun.args.split(/\s+/);
  execFileSync(path.join(root, 'node_modules/.bin/esbuild'), esbuildArgs, { cwd: build, stdio: 'pipe' });
  // COPY --from=bundle /build/<out> /app/<file>; ENTRYPOINT ["node", "/app/<file>"]
  const [, fromPath, appPath] = dockerfile
    .find((d) => d.instruction === 'COPY' && d.args.startsWith('--from=bundle'))!
    .args.split(/\s+/);
  const workdir = dockerfile.filter((d) => d.instruction === 'WORKDIR').at(-1)!.args;
  const entrypoint: string[] = JSON.parse(dockerfile.find((d) => d.instruction === 'ENTRYPOINT')!.args);
  expect(entrypoint).toEqual(['node', appPath]);
  return { command: process.execPath, args: [path.join(build, path.relative(workdir, fromPath))] };
}

describe('the simulator services', () => {
  const historyArgs = cliArgs(compose.services.history.command);
  const fleetArgs = cliArgs(compose.services.fleet.command);
  let dir: string;
  let bundle: { command: string; args: string[] };

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'headroom-compose-'));
    bundle = buildSimulatorBundle(dir);
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('simulate the same fleet in the history and live', () => {
    for (const flag of ['--gpus', '--seed', '--days']) {
      expect([flag, flagValue(fleetArgs, flag)]).toEqual([flag, flagValue(historyArgs, flag)]);
    }
  });

  it('run the history command as written on the image bundle, away from node_modules (shortened to a few hours)', () => {
    const out = path.join(dir, 'fleet.om');
    const args = cliArgs(compose.services.history.command, { '--days': '0.1', '--out': out });
    execFileSync(bundle.command, [...bundle.args, ...args], { cwd: dir, stdio: 'pipe' });
    expect(readFileSync(out, 'utf8').endsWith('# EOF\n')).toBe(true);
  });

  it('backfill that history as written, with the real promtool, once', () => {
    const history = path.join(dir, 'backfill.om');
    const args = cliArgs(compose.services.history.command, { '--days': '0.2', '--out': history });
    execFileSync(bundle.command, [...bundle.args, ...args], { cwd: dir, stdio: 'pipe' });
    const data = path.join(dir, 'prometheus');
    mkdirSync(data);
    const historyFile = flagValue(compose.services.history.command, '--out');
    // The service's shell command with the volumes' paths replaced by this test's folders.
    const script = compose.services.backfill.command[0]
      .replaceAll(historyFile, history)
      .replaceAll('/prometheus', data);
    execFileSync('sh', ['-c', script], { stdio: 'pipe' });
    const blocks = () => readdirSync(data).filter((name) => /^[0-9A-Z]{26}$/.test(name));
    expect(blocks().length).toBeGreaterThan(0);
    expect(readdirSync(data)).toContain('backfilled');
    // A restart finds the marker and writes nothing more.
    const before = blocks();
    execFileSync('sh', ['-c', script], { stdio: 'pipe' });
    expect(blocks()).toEqual(before);
  });

  it('serve the live fleet as written on the image bundle, on the port given', async () => {
    const port = await freePort();
    const args = cliArgs(compose.services.fleet.command, { '--host': '127.0.0.1', '--port': String(port) });
    const child = spawn(bundle.command, [...bundle.args, ...args], { cwd: dir, stdio: 'ignore' });
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
