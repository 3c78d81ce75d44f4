/**
 * What `main` does to the command line before any command parses it, so that every command, whichever way it calls
 * Node's `parseArgs`, reads the same conventions.
 */

/** `-3`, `-0.5`, `-.5`, `-1e3`: a value, not a flag. */
const NEGATIVE_NUMBER = /^-(\d|\.\d)/;

/**
 * `-h` becomes `--help`, and `--flag -3` becomes `--flag=-3`: Node's `parseArgs` reads a value starting with a dash
 * as a forgotten value ("argument is ambiguous … use '--flag=-XYZ'"), while a person who typed a negative number
 * should hear what the flag accepts from the command itself.
 */
export function normaliseArgv(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const next = args[i + 1];
    if (arg === '--') {
      out.push(...args.slice(i));
      break;
    }
    if (arg === '-h') {
      out.push('--help');
    } else if (arg.startsWith('--') && !arg.includes('=') && next !== undefined && NEGATIVE_NUMBER.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else {
      out.push(arg);
    }
  }
  return out;
}
