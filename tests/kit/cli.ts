/**
 * The `headroom` command line as a child process, as a person runs it (`npx tsx src/cli/main.ts`), from one
 * esbuild bundle of src/cli: tsx compiles the command's few hundred modules at every start (about 1.3 s of a 1.5 s
 * run here), the bundle starts in 0.2 s. README and simulator tests still run it through tsx.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { markUsed, publishBuild, startBuild } from './keyedCache';

const REPO_ROOT = join(__dirname, '../..');
// Under node_modules, so the bundle finds packages (the augurs .wasm files) as src/cli does; git, ESLint and jest
// ignore it there.
const CACHE_ROOT = join(REPO_ROOT, 'node_modules/.cache/headroom-cli');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** Written to the command's stdin, which is then closed (commands reading it end). */
  stdin?: string;
  /** Added to this process's environment. */
  env?: Record<string, string | undefined>;
}

/** Runs the command without blocking this process, which may be serving the answers the command asks for. */
export function runHeadroom(args: string[], options: CliOptions = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(...headroomCommand(args), {
      cwd: REPO_ROOT,
      env: { ...process.env, ...options.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
  });
}

/** File and arguments for spawn/execFile that run `headroom ARGS` (relative paths in ARGS: from the repository). */
export function headroomCommand(args: string[]): [string, string[]] {
  return [process.execPath, [cliBundle(), ...args]];
}

let bundlePath: string | undefined;

/** The bundle of the current sources, built on first use and kept by content for later test files and runs. */
function cliBundle(): string {
  if (!bundlePath) {
    const dir = join(CACHE_ROOT, sourceKey());
    bundlePath = join(dir, 'src/cli/main.js');
    if (!(existsSync(bundlePath) && markUsed(dir))) {
      buildInto(dir);
    }
  }
  return bundlePath;
}

/** Every input of the bundle: the sources, the locked dependencies, package.json (the version) and this script. */
function sourceKey(): string {
  const hash = createHash('sha256');
  const files = [join(REPO_ROOT, 'package.json'), join(REPO_ROOT, 'package-lock.json'), __filename];
  for (const file of [...files, ...filesUnder(join(REPO_ROOT, 'src'))]) {
    hash.update(relative(REPO_ROOT, file));
    hash.update(readFileSync(file));
  }
  return hash.digest('hex').slice(0, 16);
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/**
 * The repository's layout in miniature: src/cli/main.js finds ../../package.json (its version) and its calibration
 * worker beside it, as src/cli/main.ts does. esbuild's own command, not its API: under jsdom the API's byte arrays
 * come from another realm and esbuild refuses them.
 */
function buildInto(dir: string): void {
  const tmp = startBuild(dir);
  try {
    copyFileSync(join(REPO_ROOT, 'package.json'), join(tmp, 'package.json'));
    execFileSync(
      join(REPO_ROOT, 'node_modules/.bin/esbuild'),
      [
        'src/cli/main.ts',
        'src/cli/calibrationWorker.ts',
        '--bundle',
        '--platform=node',
        '--target=node20',
        '--format=cjs',
        '--outbase=.',
        `--outdir=${tmp}`,
        // Only resolved when running from TypeScript (src/cli/calibrationPool.ts).
        '--external:tsx/cjs',
        '--log-level=error',
      ],
      { cwd: REPO_ROOT, stdio: 'pipe' }
    );
  } catch (error) {
    rmSync(tmp, { recursive: true, force: true });
    throw error;
  }
  publishBuild(tmp, dir, (built) => existsSync(join(built, 'src/cli/main.js')));
}
