/**
 * `npm run server`: checks Docker before anything slow, then builds the plugin and starts the demo stack
 * (docker-compose.yaml: Grafana, Prometheus with simulated history, the live simulated fleet).
 *
 *   npx tsx scripts/server.ts [--check] [extra `docker compose up` arguments, e.g. --detach]
 *
 * The checks, in order, each with what to install or start when it fails (exit 1, nothing built):
 *   1. `docker` is on PATH                           (`docker --version`)
 *   2. Docker Compose v2 is installed                (`docker compose version` answers v2 or later; the Python
 *                                                     `docker-compose` v1 does not read this Compose file)
 *   3. the Docker engine answers                     (`docker info`)
 * Then `npm run build` and `docker compose up --build`. `--check` stops after the checks (exit 0 when all pass).
 */
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '..');

const INSTALL_DOCKER =
  'Install Docker: Docker Desktop on macOS and Windows (https://docs.docker.com/desktop/), or on Linux Docker Engine ' +
  'with its Compose plugin (https://docs.docker.com/engine/install/, then `apt install docker-compose-plugin` or ' +
  "`dnf install docker-compose-plugin` from Docker's repository).";

const INSTALL_COMPOSE =
  'Install Docker Compose v2, the `docker compose` plugin: it comes with Docker Desktop; on Linux ' +
  "`apt install docker-compose-plugin` or `dnf install docker-compose-plugin` from Docker's repository " +
  '(https://docs.docker.com/compose/install/linux/).';

const START_ENGINE =
  'Start the Docker engine: open Docker Desktop, or on Linux `sudo systemctl start docker`; if it runs but ' +
  'refuses you, add yourself to the docker group (`sudo usermod -aG docker $USER`, then log in again).';

export interface CommandResult {
  /** undefined when the command could not be started (not found, not executable). */
  status: number | undefined;
  stdout: string;
  stderr: string;
  error?: NodeJS.ErrnoException;
}

export type Runner = (command: string, args: string[]) => CommandResult;

const runCommand: Runner = (command, args) => {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 30_000 });
  return {
    status: result.error ? undefined : (result.status ?? undefined),
    stdout: result.stdout ?? '',
    stderr: result.stderr ?? '',
    error: result.error as NodeJS.ErrnoException | undefined,
  };
};

/** The first line a command wrote, error output first, to quote in a message. */
function firstLine(result: CommandResult): string {
  const lines = `${result.stderr}\n${result.stdout}`.split('\n').map((line) => line.trim());
  return lines.find(Boolean) ?? `exit code ${result.status}`;
}

/** Major version of `docker compose version` output ("Docker Compose version v2.29.1", or "2.29.1" with --short). */
export function composeMajorVersion(output: string): number | undefined {
  const match = output.match(/\bv?(\d+)\.\d+(\.\d+)?/);
  return match ? Number(match[1]) : undefined;
}

/** Problems that stop `docker compose up`, each with what to do; empty when Docker is ready. */
export function checkDocker(run: Runner = runCommand): string[] {
  const docker = run('docker', ['--version']);
  if (docker.status === undefined) {
    const reason = docker.error?.code === 'ENOENT' ? 'there is no `docker` command on PATH' : String(docker.error);
    return [`Docker is not installed: ${reason}. ${INSTALL_DOCKER}`];
  }
  const compose = run('docker', ['compose', 'version']);
  const major = compose.status === 0 ? composeMajorVersion(compose.stdout) : undefined;
  if (major === undefined || major < 2) {
    const v1 = run('docker-compose', ['--version']);
    const found =
      compose.status === 0
        ? `\`docker compose version\` says "${firstLine(compose)}"`
        : `\`docker compose version\` failed: "${firstLine(compose)}"`;
    const legacy =
      v1.status === 0
        ? ` (\`docker-compose\` is installed, "${firstLine(v1)}", but this Compose file needs v2's \`docker compose\`)`
        : '';
    return [`Docker Compose v2 is missing: ${found}${legacy}. ${INSTALL_COMPOSE}`];
  }
  const engine = run('docker', ['info', '--format', '{{.ServerVersion}}']);
  if (engine.status !== 0) {
    return [`The Docker engine does not answer: \`docker info\` failed: "${firstLine(engine)}". ${START_ENGINE}`];
  }
  return [];
}

/** Runs a command with the terminal attached; resolves to its exit code. */
function runAttached(command: string, args: string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit' });
    child.once('error', (error) => {
      process.stderr.write(`npm run server: could not run ${command}: ${error.message}\n`);
      resolve(1);
    });
    child.once('close', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function main(args: string[]): Promise<number> {
  const checkOnly = args.includes('--check');
  const problems = checkDocker();
  if (problems.length > 0) {
    process.stderr.write(problems.map((p) => `npm run server: ${p}\n`).join(''));
    process.stderr.write('npm run server: nothing was built or started.\n');
    return 1;
  }
  if (checkOnly) {
    process.stderr.write('npm run server: docker, Docker Compose v2 and the Docker engine are ready.\n');
    return 0;
  }
  const built = await runAttached('npm', ['run', 'build']);
  if (built !== 0) {
    return built;
  }
  return runAttached('docker', ['compose', 'up', '--build', ...args.filter((a) => a !== '--check')]);
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
