/**
 * Conventions every `headroom` command shares, checked on the real command line as a person types it: help asked for
 * goes to stdout with exit code 0 (`--help` or `-h`), help shown because the command line was wrong goes to stderr
 * with exit code 2, `--version`, a reader that closes the pipe early (`| head -1`), and negative numbers.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { headroomCommand, runHeadroom } from '../kit/cli';

const ROOT = join(__dirname, '../..');
const COMMANDS = [
  'simulate',
  'inventory',
  'forecast',
  'capacity',
  'plan',
  'thresholds',
  'rules',
  'recalibrate',
  'fragmentation',
  'efficiency',
  'mfu',
  'size',
  'budget',
];

describe('help', () => {
  it.each(['--help', '-h', 'help'])('headroom %s lists the commands on stdout, exit 0', async (flag) => {
    const { code, stdout, stderr } = await runHeadroom([flag]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toMatch(/^usage: headroom <command> \[options\]\n/);
    for (const name of COMMANDS) {
      expect(stdout).toContain(`\n  ${name} `);
    }
  });

  it('an unknown command or none at all is a usage error: the list goes to stderr, exit 2', async () => {
    const unknown = await runHeadroom(['inventroy']);
    expect({ code: unknown.code, stdout: unknown.stdout }).toEqual({ code: 2, stdout: '' });
    expect(unknown.stderr).toMatch(/^headroom: unknown command "inventroy"\n\nusage: headroom <command>/);
    const none = await runHeadroom([]);
    expect({ code: none.code, stdout: none.stdout }).toEqual({ code: 2, stdout: '' });
    expect(none.stderr).toMatch(/^usage: headroom <command>/);
  });

  it.each(COMMANDS)('headroom %s -h prints its own usage on stdout, exit 0', async (name) => {
    const { code, stdout, stderr } = await runHeadroom([name, '-h']);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout.split('\n')[0]).toMatch(new RegExp(`^usage: .*headroom ${name}\\b`));
  });

  it('forecast --help goes to stdout; forecast without --batch is a usage error on stderr, exit 2', async () => {
    const help = await runHeadroom(['forecast', '--help']);
    expect({ code: help.code, stderr: help.stderr }).toEqual({ code: 0, stderr: '' });
    expect(help.stdout).toMatch(/^usage: headroom forecast --batch/);
    const wrong = await runHeadroom(['forecast']);
    expect({ code: wrong.code, stdout: wrong.stdout }).toEqual({ code: 2, stdout: '' });
    expect(wrong.stderr).toMatch(/^headroom forecast: --batch is required\.\n\nusage: headroom forecast --batch/);
  });
});

describe('--version', () => {
  it('prints the version of package.json on stdout', async () => {
    const expected = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    expect(await runHeadroom(['--version'])).toEqual({ code: 0, stdout: `${expected}\n`, stderr: '' });
  });
});

describe('a reader that closes the pipe early', () => {
  it('ends the command quietly with exit code 0, as `| head -1` expects', async () => {
    // forecast --batch writes only after reading a task, so the pipe is surely closed before its first write.
    const child = spawn(...headroomCommand(['forecast', '--batch']), {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const task = {
      id: 'a',
      step_seconds: 3600,
      horizon: 2,
      timestamps: Array.from({ length: 48 }, (_, i) => i * 3600),
      values: Array.from({ length: 48 }, (_, i) => i % 24),
    };
    for (let i = 0; i < 20; i++) {
      child.stdin.write(`${JSON.stringify({ ...task, id: String(i) })}\n`);
    }
    child.stdin.end();
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    // Only the notes on models skipped for short history, no EPIPE error or stack.
    const notes = stderr.split('\n').filter((line) => line !== '' && !/: skipped \S+: /.test(line));
    expect({ code, notes }).toEqual({ code: 0, notes: [] });
  });
});

describe('negative numbers', () => {
  it('reach the command, which says what the flag accepts (not Node parseArgs "ambiguous")', async () => {
    const { code, stdout, stderr } = await runHeadroom([
      'capacity',
      '--prometheus',
      'http://127.0.0.1:9',
      '--history-days',
      '-3',
    ]);
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr.split('\n')[0]).toBe(
      'headroom capacity: --history-days must be a positive number of days, got "-3".'
    );
  });

  it('a negative value of a flag that takes none is still refused', async () => {
    const { code, stderr } = await runHeadroom(['mfu', '--json', '-3']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--json/);
  });
});
