import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dropStale, markUsed, publishBuild, startBuild } from '../kit/keyedCache';

const HOUR_MS = 3600 * 1000;

describe('keyedCache (shared by two jest processes at once)', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'headroom-keyed-cache-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const folderAgedMs = (name: string, ageMs: number) => {
    const folder = join(root, name);
    mkdirSync(folder);
    const then = new Date(Date.now() - ageMs);
    utimesSync(folder, then, then);
    return folder;
  };

  it('drops folders unused for over a day and build folders abandoned for over an hour, keeping the rest', () => {
    const stale = folderAgedMs('old', 25 * HOUR_MS);
    const fresh = folderAgedMs('recent', 23 * HOUR_MS);
    const abandoned = folderAgedMs('key.tmp-123', 2 * HOUR_MS);
    const building = folderAgedMs('key.tmp-456', 0.5 * HOUR_MS);
    dropStale(root);
    expect([stale, fresh, abandoned, building].map(existsSync)).toEqual([false, true, false, true]);
  });

  it('markUsed says false, not ENOENT, when another process has just dropped the folder', () => {
    expect(markUsed(join(root, 'gone'))).toBe(false);
    expect(markUsed(folderAgedMs('here', 0))).toBe(true);
  });

  it('keeps the copy another process published first, and rethrows when there is none', () => {
    const dir = join(root, 'key');
    mkdirSync(dir);
    writeFileSync(join(dir, 'done'), 'theirs');
    const tmp = startBuild(dir);
    writeFileSync(join(tmp, 'done'), 'mine');
    publishBuild(tmp, dir, (built) => existsSync(join(built, 'done')));
    expect(existsSync(tmp)).toBe(false);
    expect(existsSync(join(dir, 'done'))).toBe(true);

    const incomplete = join(root, 'half');
    mkdirSync(incomplete);
    writeFileSync(join(incomplete, 'partial'), '');
    const tmp2 = startBuild(incomplete);
    writeFileSync(join(tmp2, 'done'), '');
    expect(() => publishBuild(tmp2, incomplete, (built) => existsSync(join(built, 'done')))).toThrow();
  });
});
