/**
 * `npm run release` on a copy of tests/package/release/before/ (a small package.json, package-lock.json and changelog):
 * the expected files in release/after/ (named `<file>.expected`, so jest sees one package.json) were written by hand
 * from Keep a Changelog 1.1.0 and npm's lock format, not
 * from the script's output. The command itself runs as a process in a temporary git repository.
 */
import { execFile, execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { planRelease } from '../../scripts/release';

const REPO_ROOT = path.resolve(__dirname, '../..');
const FIXTURES = path.join(__dirname, 'release');
const FILES = ['package.json', 'package-lock.json', 'CHANGELOG.md'];
const DATE = '2026-12-07';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'headroom-release-'));
  cpSync(path.join(FIXTURES, 'before'), dir, { recursive: true });
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

const read = (file: string) => readFileSync(path.join(dir, file), 'utf8');
const expected = (file: string) => readFileSync(path.join(FIXTURES, 'after', `${file}.expected`), 'utf8');
const before = (file: string) => readFileSync(path.join(FIXTURES, 'before', file), 'utf8');
const plannedText = (bump: string, file: string) =>
  planRelease({ root: dir, bump, date: DATE }).changes.find((c) => c.path === file)!.after;

function git(...args: string[]): void {
  execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', ...args], {
    cwd: dir,
    stdio: 'ignore',
  });
}

function commitAll(): void {
  git('init', '--quiet');
  git('add', '.');
  git('commit', '--quiet', '-m', 'before');
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** `npm run release -- <args>` as npm runs it: `tsx scripts/release.ts` in the package's folder. */
function release(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      path.join(REPO_ROOT, 'node_modules/.bin/tsx'),
      [path.join(REPO_ROOT, 'scripts/release.ts'), ...args],
      { cwd: dir },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr })
    );
  });
}

describe('release notes and version', () => {
  it('is the npm script', () => {
    const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
    expect(pkg.scripts.release).toBe('tsx scripts/release.ts');
  });

  it.each(FILES)('minor: %s as written by hand', (file) => {
    expect(plannedText('minor', file)).toBe(expected(file));
  });

  it('an explicit version and major/patch bump by semver', () => {
    expect(planRelease({ root: dir, bump: '1.0.0', date: DATE }).to).toBe('1.0.0');
    expect(planRelease({ root: dir, bump: 'major', date: DATE }).to).toBe('1.0.0');
    expect(planRelease({ root: dir, bump: 'patch', date: DATE }).to).toBe('0.1.1');
    expect(planRelease({ root: dir, bump: '0.1.1-rc.1', date: DATE }).to).toBe('0.1.1-rc.1');
  });

  it('a "(unreleased)" section of a later version than the release stays where it is', () => {
    writeFileSync(
      path.join(dir, 'CHANGELOG.md'),
      before('CHANGELOG.md').replace('## 0.1.0 (unreleased)', '## 0.3.0 (unreleased)')
    );
    const changelog = plannedText('patch', 'CHANGELOG.md');
    expect(changelog).toContain(
      '## 0.1.1 - 2026-12-07\n\n### Fixed\n- A fix that spans\n  two lines.\n- A second fix.\n\n### Added\n- A new command.\n\n## 0.3.0 (unreleased)\n\n### Added\n- The first page.'
    );
  });

  it.each([
    ['0.1.0', 'not above the current 0.1.0'],
    ['0.0.9', 'not above the current 0.1.0'],
    ['banana', 'neither major, minor, patch nor a semantic version'],
  ])('refuses %s', (bump, message) => {
    expect(() => planRelease({ root: dir, bump, date: DATE })).toThrow(message);
  });

  it('refuses an empty Unreleased, headings without entries included', () => {
    const emptied = before('CHANGELOG.md').replace(
      /## Unreleased\n[\s\S]*?(?=## 0\.1\.0)/,
      '## Unreleased\n\n### Added\n\n'
    );
    writeFileSync(path.join(dir, 'CHANGELOG.md'), emptied);
    expect(() => planRelease({ root: dir, bump: 'minor', date: DATE })).toThrow('`## Unreleased` has no entries');
  });

  it('refuses a version the changelog already has', () => {
    writeFileSync(
      path.join(dir, 'CHANGELOG.md'),
      `${before('CHANGELOG.md')}\n## 0.2.0 - 2026-01-01\n\n### Added\n- Old.\n`
    );
    expect(() => planRelease({ root: dir, bump: 'minor', date: DATE })).toThrow('already has a section for 0.2.0');
  });
});

describe('npm run release as a command', () => {
  it('writes the three files, then refuses a second release with nothing new', async () => {
    commitAll();
    const first = await release('minor');
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('Released 0.1.0 → 0.2.0');
    const today = new Date().toISOString().slice(0, 10);
    expect(read('CHANGELOG.md')).toBe(expected('CHANGELOG.md').replace(DATE, today));
    expect(read('package.json')).toBe(expected('package.json'));
    expect(read('package-lock.json')).toBe(expected('package-lock.json'));

    git('commit', '--quiet', '-am', 'release');
    const second = await release('patch');
    expect(second.code).toBe(1);
    expect(second.stderr).toContain('nothing to release');
    expect(read('package.json')).toBe(expected('package.json'));
  });

  it('--dry-run prints the release and writes nothing', async () => {
    commitAll();
    const run = await release('minor', '--dry-run');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Would release 0.1.0 → 0.2.0');
    expect(run.stdout).toMatch(/## 0\.2\.0 - \d{4}-\d{2}-\d{2}\n\n### Fixed\n- A fix that spans/);
    expect(run.stdout).toContain('the 3 entries of "## 0.1.0 (unreleased)" merged');
    for (const file of FILES) {
      expect(read(file)).toBe(before(file));
    }
  });

  it('refuses uncommitted changes to tracked files unless --allow-dirty; untracked files do not count', async () => {
    commitAll();
    writeFileSync(path.join(dir, 'notes.txt'), 'untracked\n');
    writeFileSync(path.join(dir, 'CHANGELOG.md'), `${before('CHANGELOG.md')}\n`);
    const refused = await release('minor');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('uncommitted changes in CHANGELOG.md: commit or stash them, or use --allow-dirty');
    expect(refused.stderr).not.toContain('notes.txt');
    expect(read('package.json')).toBe(before('package.json'));

    const allowed = await release('minor', '--allow-dirty');
    expect(allowed.code).toBe(0);
    expect(read('package.json')).toBe(expected('package.json'));
  });

  it('outside a git working tree asks for --allow-dirty', async () => {
    const run = await release('minor');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('not a git working tree');
  });

  it('a bad version changes nothing and exits 1', async () => {
    const run = await release('0.1.0', '--allow-dirty');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('version 0.1.0 is not above the current 0.1.0');
    for (const file of FILES) {
      expect(read(file)).toBe(before(file));
    }
  });
});
