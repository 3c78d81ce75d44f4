/**
 * Folders of a cache keyed by content, shared by test files, runs, git worktrees and the two jest processes CI runs
 * at once: a folder is built under a private name and renamed into place, so no reader sees half of one, and dropped
 * once unused for a day.
 */
import { mkdirSync, readdirSync, renameSync, rmSync, statSync, utimesSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Not sooner: another worktree's run may be reading the folder right now. */
const STALE_MS = 24 * 3600 * 1000;
/** A build takes seconds to minutes; a private folder older than this is left by a killed run. */
const ABANDONED_BUILD_MS = 3600 * 1000;
const BUILD_MARK = '.tmp-';

/** An empty private folder to build `dir` in before publishBuild renames it into place. */
export function startBuild(dir: string): string {
  const tmp = `${dir}${BUILD_MARK}${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  return tmp;
}

/**
 * Renames the finished `tmp` into place as `dir`, then drops stale folders beside it. When another process put the
 * same folder there first (`isComplete(dir)`), its copy is kept and `tmp` removed.
 */
export function publishBuild(tmp: string, dir: string, isComplete: (dir: string) => boolean): void {
  try {
    renameSync(tmp, dir);
  } catch (error) {
    rmSync(tmp, { recursive: true, force: true });
    if (!isComplete(dir)) {
      throw error;
    }
  }
  dropStale(dirname(dir));
}

/**
 * Marks a reused folder as used, so a run elsewhere does not drop it as stale. False when another process has just
 * dropped it: build it again then.
 */
export function markUsed(dir: string): boolean {
  try {
    const now = new Date();
    utimesSync(dir, now, now);
    return true;
  } catch (error) {
    return ignoreMissing(error);
  }
}

/** Drops the folders under `root` unused for a day and private build folders abandoned for an hour. */
export function dropStale(root: string, nowMs = Date.now()): void {
  for (const entry of readdirSync(root)) {
    const folder = join(root, entry);
    const maxAgeMs = entry.includes(BUILD_MARK) ? ABANDONED_BUILD_MS : STALE_MS;
    try {
      if (statSync(folder).mtimeMs < nowMs - maxAgeMs) {
        rmSync(folder, { recursive: true, force: true });
      }
    } catch (error) {
      // Another process dropped it between readdir and here.
      ignoreMissing(error);
    }
  }
}

function ignoreMissing(error: unknown): false {
  if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
    throw error;
  }
  return false;
}
