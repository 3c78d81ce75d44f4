/** The CLI's dealings with its own process: its version, and a reader that stops reading. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The `version` of the repository's package.json, which is the CLI's version. */
export function packageVersion(): string {
  const text = readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}

/**
 * `headroom inventory --json | head -1`: once the reader has what it wants and closes the pipe, the next write
 * fails with EPIPE. That is the reader's choice, not a failure: exit 0 without a word, as `cat` and `grep` do.
 * Any other stdout error is left to Node, which reports it.
 */
export function quietOnClosedStdout(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') {
      process.exit(0);
    }
    throw error;
  });
}
