/**
 * The README's "Command line" example, run literally as a person pastes it: the commands are read out of README.md
 * and run by bash from the repository's folder, against the real promtool and Prometheus (Debian packages). Only
 * TMPDIR is ours, so the example's `mktemp -d` folder lands in a folder this test removes.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');

/** The first ```bash block under the README heading `## <heading>`. */
function readmeCommands(readme: string, heading: string): string {
  const section = readme.split(/^## /m).find((s) => s.startsWith(`${heading}\n`));
  const block = section?.match(/```bash\n([\s\S]*?)```/);
  if (!block) {
    throw new Error(`README.md has no bash block under "## ${heading}"`);
  }
  return block[1];
}

const portInUse = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => resolve(socket.destroy() === undefined));
    socket.once('error', () => resolve(false));
  });

interface ScriptRun {
  code: number | null;
  stdout: string;
  stderr: string;
  seconds: number;
}

/** Runs `script` with `bash -e` in its own process group, and kills that group (the example's Prometheus too). */
function runBash(script: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<ScriptRun> {
  const started = Date.now();
  const child = spawn('bash', ['-e', '-c', script], { cwd: root, env, detached: true });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const killGroup = () => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  const timer = setTimeout(killGroup, timeoutMs);
  return new Promise((resolve) => {
    child.once('close', (code) => {
      clearTimeout(timer);
      killGroup();
      resolve({ code, stdout, stderr, seconds: (Date.now() - started) / 1000 });
    });
  });
}

describe('README "Command line" example', () => {
  const script = readmeCommands(readFileSync(path.join(root, 'README.md'), 'utf8'), 'Command line');
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'headroom-readme-'));
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs as written, small and fast, and shows the simulated fleet', async () => {
    const port = Number(script.match(/--web\.listen-address=127\.0\.0\.1:(\d+)/)?.[1]);
    expect(port).toBeGreaterThan(0);
    // Not 9090 (the Compose stack's Prometheus, and Prometheus' default).
    expect(port).not.toBe(9090);
    if (await portInUse(port)) {
      throw new Error(`port ${port}, which the README example uses, is taken on this machine: free it and rerun`);
    }

    const run = await runBash(script, { ...process.env, TMPDIR: dir }, 150_000);

    expect({ code: run.code, stderr: run.stderr.slice(-2000) }).toEqual({ code: 0, stderr: expect.any(String) });
    // 16 GPUs by design: one H100 node (8), one L4 node (4) and one A100 node in MIG mode (4) (docs/simulator.md).
    expect(run.stdout).toMatch(/^Fleet at .*\n\s+capacity\s+allocated\s+free\s+busy\n\s+16\s/m);
    expect(run.stdout).toMatch(/^\s+gpu-h100-01\s+NVIDIA H100 80GB HBM3\s+8\s/m);
    expect(run.stdout).toMatch(/^\s+gpu-l4-01\s+NVIDIA L4\s+4\s/m);
    expect(run.stdout).toMatch(/^\s+gpu-a100-mig-01\s+NVIDIA A100-SXM4-80GB\s+4\s/m);
    // The size was announced before writing, and the file is small: under 100 MiB.
    expect(run.stderr).toMatch(/^writing .*fleet\.om: about \d+ MiB \(/m);
    const [exampleDir] = readdirSync(dir).filter((name) => name.startsWith('tmp.'));
    expect(statSync(path.join(dir, exampleDir, 'fleet.om')).size).toBeLessThan(100 * 2 ** 20);
    // Fast: about 15 s here; two minutes leaves room for a loaded machine.
    expect(run.seconds).toBeLessThan(120);
  }, 180_000);
});
