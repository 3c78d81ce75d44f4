/**
 * Folders of a cache keyed by content, shared by test files, runs and git worktrees: a folder is built under a
 * private name and renamed into place, so no reader sees half of one, and dropped once unused for a day.
 */
import { readdirSync, rmSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';

/** Not sooner: another worktree's run may be reading the folder right now. */
const STALE_MS = 24 * 3600 * 1000;

/** Where to build `dir` before renaming it into place. */
export const privateBuildDir = (dir: string) => `${dir}.tmp-${process.pid}`;

/** Marks a reused folder as used, so a run elsewhere does not drop it as stale. */
export function markUsed(dir: string): void {
  utimesSync(dir, new Date(), new Date());
}

/** Drops the folders under `root` unused for a day, leaving folders being built. */
export function dropStale(root: string): void {
  const staleBefore = Date.now() - STALE_MS;
  for (const entry of readdirSync(root).filter((name) => !name.includes('.tmp-'))) {
    const stale = join(root, entry);
    if (statSync(stale).mtimeMs < staleBefore) {
      rmSync(stale, { recursive: true, force: true });
    }
  }
}
