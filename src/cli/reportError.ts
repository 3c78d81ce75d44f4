import { UsageError } from './args';

type ErrorClass = abstract new (...args: never[]) => Error;

/**
 * Prints why a command failed and gives its exit code: 2 for bad flags or values (with a pointer to `--help`), 1 for
 * input or data the command could not use (prefixed with the offending field when the error names one). Any other
 * error is a bug and is rethrown, so `main` prints it as such.
 */
export function reportCommandError(
  command: string,
  error: unknown,
  kinds: { usage?: ErrorClass[]; input?: ErrorClass[] }
): number {
  const isOneOf = (classes: ErrorClass[] = []) => classes.some((errorClass) => error instanceof errorClass);
  if (error instanceof UsageError || isOneOf(kinds.usage)) {
    process.stderr.write(
      `headroom ${command}: ${(error as Error).message}\nRun \`headroom ${command} --help\` for the options.\n`
    );
    return 2;
  }
  if (isOneOf(kinds.input)) {
    const field = (error as { field?: unknown }).field;
    process.stderr.write(
      `headroom ${command}: ${typeof field === 'string' ? `${field}: ` : ''}${(error as Error).message}\n`
    );
    return 1;
  }
  throw error;
}
