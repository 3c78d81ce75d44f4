/**
 * Cuts a release in the working tree: bumps the version and turns the changelog's Unreleased entries into the release's
 * notes (Keep a Changelog, https://keepachangelog.com/en/1.1.0/). It neither commits, tags nor builds; it says how.
 *
 *   npm run release -- <major|minor|patch|x.y.z> [--dry-run] [--allow-dirty]      (in the repository's root)
 *
 *   package.json, package-lock.json  "version" (and the lock's root package) to the new version; plugin.json takes it
 *                                    from package.json at build time (%VERSION%)
 *   CHANGELOG.md                     `## Unreleased`'s entries move under `## x.y.z - YYYY-MM-DD` (UTC date) and an
 *                                    empty `## Unreleased` stays above it. A section headed `## a.b.c (unreleased)`
 *                                    (notes for a version that was never cut) is merged into the release, its entries
 *                                    after Unreleased's under the same `###` headings, when a.b.c is not above x.y.z.
 *
 * Refuses (and changes nothing) when tracked files have uncommitted changes (unless --allow-dirty), when Unreleased
 * holds no entries, when the new version is not above package.json's, or when the changelog already has it.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gt, inc, valid, type ReleaseType } from 'semver';
import { runIfMain } from './runIfMain';

const BUMPS: readonly string[] = ['major', 'minor', 'patch'];
const UNRELEASED_HEADING = /^## \[?unreleased\]?\s*$/i;
const UNCUT_HEADING = /^## \[?(\S+?)\]? \(unreleased\)\s*$/i;
const RELEASE_HEADING = /^## \[?(\d+\.\d+\.\d+\S*?)\]?( - .*)?$/;

export interface FileChange {
  /** Relative to the repository root. */
  path: string;
  before: string;
  after: string;
}

export interface ReleasePlan {
  from: string;
  to: string;
  date: string;
  /** Entries moved out of `## Unreleased`, and out of a merged `## a.b.c (unreleased)` section. */
  movedEntries: number;
  mergedSection?: { version: string; entries: number };
  changes: FileChange[];
}

/** Works out every file's new text without writing anything. `bump` is major, minor, patch or a version. */
export function planRelease(options: { root: string; bump: string; date: string }): ReleasePlan {
  const read = (path: string) => readFileSync(join(options.root, path), 'utf8');
  const pkgText = read('package.json');
  const pkg = JSON.parse(pkgText);
  const from: string = pkg.version;
  if (valid(from) === null) {
    throw new Error(`package.json: version ${JSON.stringify(from)} is not a semantic version`);
  }
  const to = nextVersion(from, options.bump);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(options.date)) {
    throw new Error(`release date ${JSON.stringify(options.date)} is not YYYY-MM-DD`);
  }

  const changelog = releaseChangelog(read('CHANGELOG.md'), to, options.date);
  const lockText = read('package-lock.json');
  const lock = JSON.parse(lockText);
  lock.version = to;
  if (lock.packages?.['']) {
    lock.packages[''].version = to;
  }
  // npm writes both files as two-space JSON with a final newline, so this changes the version lines only.
  const asNpmWrites = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
  return {
    from,
    to,
    date: options.date,
    movedEntries: changelog.movedEntries,
    mergedSection: changelog.mergedSection,
    changes: [
      { path: 'package.json', before: pkgText, after: asNpmWrites({ ...pkg, version: to }) },
      { path: 'package-lock.json', before: lockText, after: asNpmWrites(lock) },
      { path: 'CHANGELOG.md', before: read('CHANGELOG.md'), after: changelog.text },
    ],
  };
}

function nextVersion(from: string, bump: string): string {
  if (BUMPS.includes(bump)) {
    return inc(from, bump as ReleaseType)!;
  }
  const to = valid(bump);
  if (to === null) {
    throw new Error(`${JSON.stringify(bump)} is neither major, minor, patch nor a semantic version (x.y.z)`);
  }
  if (!gt(to, from)) {
    throw new Error(`version ${to} is not above the current ${from}: a release must increase the version`);
  }
  return to;
}

interface Section {
  /** Index of the `## ` heading line, and of the line after the section's last line. */
  start: number;
  end: number;
}

/** The `## ` sections of a changelog, in order. */
function sections(lines: string[]): Section[] {
  const starts = lines.flatMap((line, i) => (line.startsWith('## ') ? [i] : []));
  return starts.map((start, k) => ({ start, end: k + 1 < starts.length ? starts[k + 1] : lines.length }));
}

/** A section's body as its text before the first `### ` heading and its `### ` subsections, blank edges trimmed. */
interface Body {
  preamble: string[];
  subsections: Array<{ heading: string; lines: string[] }>;
}

function parseBody(lines: string[]): Body {
  const body: Body = { preamble: [], subsections: [] };
  for (const line of lines) {
    if (line.startsWith('### ')) {
      body.subsections.push({ heading: line.trim(), lines: [] });
    } else {
      (body.subsections.at(-1)?.lines ?? body.preamble).push(line);
    }
  }
  body.preamble = trimBlank(body.preamble);
  body.subsections.forEach((s) => (s.lines = trimBlank(s.lines)));
  return body;
}

function trimBlank(lines: string[]): string[] {
  let start = 0;
  let end = lines.length;
  while (start < end && lines[start].trim() === '') {
    start++;
  }
  while (end > start && lines[end - 1].trim() === '') {
    end--;
  }
  return lines.slice(start, end);
}

/** List items (lines starting `- ` or `* `); continuation lines belong to the item above. */
function countEntries(body: Body): number {
  return [...body.preamble, ...body.subsections.flatMap((s) => s.lines)].filter((l) => /^[-*] /.test(l)).length;
}

/** Appends `older`'s subsections to `newer`'s of the same heading (or as new subsections), after its entries. */
function merge(newer: Body, older: Body): Body {
  const subsections = newer.subsections.map((s) => ({ heading: s.heading, lines: [...s.lines] }));
  for (const s of older.subsections) {
    const same = subsections.find((n) => n.heading.toLowerCase() === s.heading.toLowerCase());
    if (same) {
      same.lines.push(...s.lines);
    } else {
      subsections.push({ heading: s.heading, lines: [...s.lines] });
    }
  }
  const preamble = [
    ...newer.preamble,
    ...(newer.preamble.length && older.preamble.length ? [''] : []),
    ...older.preamble,
  ];
  return { preamble, subsections };
}

function renderBody(body: Body): string[] {
  const blocks = [
    ...(body.preamble.length ? [body.preamble] : []),
    ...body.subsections.filter((s) => s.lines.length > 0).map((s) => [s.heading, ...s.lines]),
  ];
  return blocks.flatMap((block, i) => (i === 0 ? block : ['', ...block]));
}

function releaseChangelog(
  text: string,
  to: string,
  date: string
): { text: string; movedEntries: number; mergedSection?: { version: string; entries: number } } {
  const lines = text.split('\n');
  const all = sections(lines);
  const unreleased = all.find((s) => UNRELEASED_HEADING.test(lines[s.start]));
  if (!unreleased) {
    throw new Error('CHANGELOG.md has no `## Unreleased` section to release');
  }
  const newBody = parseBody(lines.slice(unreleased.start + 1, unreleased.end));
  const movedEntries = countEntries(newBody);
  if (movedEntries === 0) {
    throw new Error('CHANGELOG.md: `## Unreleased` has no entries: nothing to release (add what changed first)');
  }
  for (const s of all) {
    const released = RELEASE_HEADING.exec(lines[s.start]);
    if (released && released[1] === to) {
      throw new Error(`CHANGELOG.md already has a section for ${to} (line ${s.start + 1})`);
    }
  }
  const uncut = all.find((s) => {
    if (s.start < unreleased.start) {
      return false;
    }
    const match = UNCUT_HEADING.exec(lines[s.start]);
    return match !== null && valid(match[1]) !== null && !gt(match[1], to);
  });
  const uncutBody = uncut ? parseBody(lines.slice(uncut.start + 1, uncut.end)) : undefined;
  const releaseBody = uncutBody ? merge(newBody, uncutBody) : newBody;

  const release = [`## ${to} - ${date}`, '', ...renderBody(releaseBody), ''];
  const out = [...lines.slice(0, unreleased.start), lines[unreleased.start], '', ...release];
  for (const s of all.filter((s) => s.start > unreleased.start && s !== uncut)) {
    out.push(...lines.slice(s.start, s.end));
  }
  return {
    text: ensureFinalNewline(trimTrailingBlank(out).join('\n')),
    movedEntries,
    mergedSection:
      uncut && uncutBody
        ? { version: UNCUT_HEADING.exec(lines[uncut.start])![1], entries: countEntries(uncutBody) }
        : undefined,
  };
}

function trimTrailingBlank(lines: string[]): string[] {
  let end = lines.length;
  while (end > 0 && lines[end - 1].trim() === '') {
    end--;
  }
  return lines.slice(0, end);
}

function ensureFinalNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}

/** Tracked files with uncommitted changes (staged or not); untracked files do not count. */
function uncommittedFiles(root: string): string[] {
  let status: string;
  try {
    status = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch {
    throw new Error(`${root} is not a git working tree (or git is missing): use --allow-dirty to release anyway`);
  }
  return status
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => line.slice(3));
}

function applyRelease(root: string, plan: ReleasePlan): void {
  for (const change of plan.changes) {
    writeFileSync(join(root, change.path), change.after);
  }
}

/** What a person reads: which files change and how, and the release's notes. */
function summary(plan: ReleasePlan, dryRun: boolean): string {
  const changelog = plan.changes.find((c) => c.path === 'CHANGELOG.md')!.after;
  const notes = changelog.split('\n');
  const start = notes.findIndex((l) => l.startsWith(`## ${plan.to} - `));
  const end = notes.findIndex((l, i) => i > start && l.startsWith('## '));
  const merged = plan.mergedSection
    ? `, and the ${plan.mergedSection.entries} entries of "## ${plan.mergedSection.version} (unreleased)" merged into it`
    : '';
  return [
    `${dryRun ? 'Would release' : 'Released'} ${plan.from} → ${plan.to} (${plan.date}):`,
    `  package.json, package-lock.json: version ${plan.from} → ${plan.to}`,
    `  CHANGELOG.md: ${plan.movedEntries} entries from "## Unreleased" now under "## ${plan.to} - ${plan.date}"${merged}`,
    '',
    ...notes.slice(start, end === -1 ? undefined : end),
    ...(dryRun
      ? ['Nothing was written (--dry-run).']
      : [
          'Next: review the diff, then',
          `  git commit -am "Release ${plan.to}" && git tag v${plan.to}`,
          '  npm run package     # artifacts/<plugin id>-<version>.zip and .sha1',
        ]),
  ].join('\n');
}

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      'dry-run': { type: 'boolean', default: false },
      'allow-dirty': { type: 'boolean', default: false },
    },
  });
  if (positionals.length !== 1) {
    throw new Error('usage: npm run release -- <major|minor|patch|x.y.z> [--dry-run] [--allow-dirty]');
  }
  // npm runs scripts in the package's folder; the tests run this file in a copy of it.
  const root = process.cwd();
  if (!values['allow-dirty']) {
    const dirty = uncommittedFiles(root);
    if (dirty.length > 0) {
      throw new Error(`uncommitted changes in ${dirty.join(', ')}: commit or stash them, or use --allow-dirty`);
    }
  }
  const plan = planRelease({ root, bump: positionals[0], date: new Date().toISOString().slice(0, 10) });
  if (!values['dry-run']) {
    applyRelease(root, plan);
  }
  console.log(summary(plan, values['dry-run']!));
}

runIfMain(module, main);
