/** Argument helpers shared by the `headroom` commands. */
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';

/** A bad flag or value: the command prints the message and its usage, and exits with code 2. */
export class UsageError extends Error {}

/** ISO 8601 (`2024-06-01T00:00:00Z`) or unix seconds (`1717200000`); undefined when the flag is absent. */
export function parseTimeSeconds(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) {
    return undefined;
  }
  if (/^\d+(\.\d+)?$/.test(text)) {
    return Number(text);
  }
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) {
    throw new UsageError(`${flag} "${text}" is neither ISO 8601 (2024-06-01T00:00:00Z) nor unix seconds.`);
  }
  return ms / 1000;
}

/** Unix seconds as ISO 8601 without milliseconds, e.g. `2024-06-01T00:00:00Z`. */
export function isoSeconds(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
}

/**
 * Node's `parseArgs` with the options every command uses (unknown flags and positionals rejected), its errors turned
 * into `UsageError` so they exit with code 2.
 */
export function parseFlags<const T extends ParseArgsOptionsConfig>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
