/**
 * `npm run server`'s checks (scripts/server.ts) against stand-ins for Docker: no Docker engine runs on this machine,
 * so each case puts small `docker` (and `docker-compose`, `npm`) executables on a PATH of their own, answering the
 * way the real commands answer in that situation (their messages are Docker's own, quoted from Docker 28 and 20.10),
 * and logging how they were called. What is checked: the script says what to install or start, exits 1, and
 * builds nothing, before any slow step; when all is ready it builds, then starts Compose, in that order.
 */
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { composeMajorVersion } from '../../scripts/server';

const root = path.resolve(__dirname, '../..');

/** A `#!/bin/sh` executable that logs its name and arguments, then runs `body` (sh, with "$*" the arguments). */
function stub(dir: string, name: string, body: string): void {
  const file = path.join(dir, name);
  writeFileSync(file, `#!/bin/sh\necho "${name} $*" >> "${path.join(dir, 'calls.log')}"\n${body}\n`);
  chmodSync(file, 0o755);
}

const DOCKER_VERSION = 'case "$*" in "--version") echo "Docker version 28.2.2, build e6534b4"; exit 0;; esac';
const COMPOSE_V2 = 'case "$*" in "compose version") echo "Docker Compose version v2.29.1"; exit 0;; esac';
const ENGINE_UP = 'case "$*" in "info "*) echo "28.2.2"; exit 0;; esac';
const COMPOSE_UP = 'case "$*" in "compose up"*) exit 0;; esac';
/** The calls the three checks make, in order. */
const CHECKS = ['docker --version', 'docker compose version', 'docker info --format {{.ServerVersion}}'];

interface ServerRun {
  code: number;
  stderr: string;
  calls: string[];
}

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'headroom-server-'));
  // `npm run build` succeeds unless a case replaces it.
  stub(dir, 'npm', 'exit 0');
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

function runServer(args: string[] = []): Promise<ServerRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'scripts/server.ts', ...args],
      { cwd: root, env: { HOME: process.env.HOME, PATH: dir } },
      (error, _stdout, stderr) => {
        const log = path.join(dir, 'calls.log');
        resolve({
          code: error ? Number(error.code) : 0,
          stderr,
          calls: existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [],
        });
      }
    );
  });
}

describe('npm run server checks Docker before building', () => {
  it('is the script that checks first', () => {
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
    expect(pkg.scripts.server).toBe('tsx scripts/server.ts');
  });

  it('without docker: says to install Docker, builds nothing', async () => {
    const run = await runServer();
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/Docker is not installed: there is no `docker` command on PATH/);
    expect(run.stderr).toMatch(/Docker Desktop on macOS and Windows/);
    expect(run.stderr).toMatch(/nothing was built or started/);
    expect(run.calls).toEqual([]);
  }, 30_000);

  it('with docker but no Compose plugin (Docker 28): says to install Compose v2, builds nothing', async () => {
    stub(
      dir,
      'docker',
      `${DOCKER_VERSION}\necho "docker: unknown command: docker compose" >&2; echo >&2; echo "Run 'docker --help' for more information" >&2; exit 1`
    );
    const run = await runServer();
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /Docker Compose v2 is missing: `docker compose version` failed: "docker: unknown command: docker compose"/
    );
    expect(run.stderr).toMatch(/apt install docker-compose-plugin/);
    // (`docker-compose` was looked for too; it does not exist here, so it logged nothing.)
    expect(run.calls).toEqual(['docker --version', 'docker compose version']);
  }, 30_000);

  it('with an old docker and only the Python docker-compose v1: names v1 and asks for v2, builds nothing', async () => {
    stub(
      dir,
      'docker',
      'case "$*" in "--version") echo "Docker version 20.10.24, build 297e128"; exit 0;; esac\n' +
        `echo "docker: 'compose' is not a docker command." >&2; echo "See 'docker --help'" >&2; exit 1`
    );
    stub(dir, 'docker-compose', 'echo "docker-compose version 1.29.2, build unknown"; exit 0');
    const run = await runServer();
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/`docker compose version` failed: "docker: 'compose' is not a docker command\."/);
    expect(run.stderr).toMatch(/`docker-compose` is installed, "docker-compose version 1\.29\.2, build unknown"/);
    expect(run.calls).toEqual(['docker --version', 'docker compose version', 'docker-compose --version']);
  }, 30_000);

  it('with Compose v2 but no engine: says to start Docker, builds nothing', async () => {
    stub(
      dir,
      'docker',
      `${DOCKER_VERSION}\n${COMPOSE_V2}\n` +
        'echo "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?" >&2; exit 1'
    );
    const run = await runServer();
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /The Docker engine does not answer: `docker info` failed: "Cannot connect to the Docker daemon/
    );
    expect(run.stderr).toMatch(/sudo systemctl start docker/);
    expect(run.calls).toEqual(CHECKS);
  }, 30_000);

  it('when Docker is ready: builds the plugin, then runs docker compose up --build', async () => {
    stub(dir, 'docker', `${DOCKER_VERSION}\n${COMPOSE_V2}\n${ENGINE_UP}\n${COMPOSE_UP}\nexit 9`);
    const run = await runServer(['--detach']);
    expect(run.code).toBe(0);
    expect(run.calls).toEqual([...CHECKS, 'npm run build', 'docker compose up --build --detach']);
  }, 30_000);

  it('does not start Compose when the build fails, and passes on its exit code', async () => {
    stub(dir, 'docker', `${DOCKER_VERSION}\n${COMPOSE_V2}\n${ENGINE_UP}\n${COMPOSE_UP}\nexit 9`);
    stub(dir, 'npm', 'exit 3');
    const run = await runServer();
    expect(run.code).toBe(3);
    expect(run.calls.at(-1)).toBe('npm run build');
  }, 30_000);

  it('--check stops after the checks', async () => {
    stub(dir, 'docker', `${DOCKER_VERSION}\n${COMPOSE_V2}\n${ENGINE_UP}\nexit 9`);
    const run = await runServer(['--check']);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/ready/);
    expect(run.calls).not.toContain('npm run build');
  }, 30_000);
});

describe('composeMajorVersion', () => {
  it('reads the major version of what `docker compose version` prints', () => {
    expect(composeMajorVersion('Docker Compose version v2.29.1')).toBe(2);
    expect(composeMajorVersion('Docker Compose version 2.40.3')).toBe(2);
    expect(composeMajorVersion('docker-compose version 1.29.2, build unknown')).toBe(1);
    expect(composeMajorVersion('nothing')).toBeUndefined();
  });
});
