/** The `headroom` command line as a child process, as a person runs it (`npx tsx src/cli/main.ts`, minus npx). */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

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
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      cwd: join(__dirname, '../..'),
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
