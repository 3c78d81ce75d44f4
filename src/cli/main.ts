#!/usr/bin/env node
/**
 * `headroom <command> [options]`: stdout carries only the command's output, diagnostics go to stderr.
 */
import { normaliseArgv } from './argv';
import { commands } from './commands';
import { cliText, commandSummary } from './messages';
import { packageVersion, quietOnClosedStdout } from './process';
import { exitCodeOf, printDiagnostic } from './reportError';

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = normaliseArgv(argv);
  if (name === '--version') {
    process.stdout.write(`${packageVersion()}\n`);
    return 0;
  }
  const command = name ? commands[name] : undefined;
  if (!command) {
    // Help asked for goes to stdout; help shown because the command line was wrong goes to stderr, exit code 2.
    const asked = name === '--help' || name === 'help';
    (asked ? process.stdout : process.stderr).write(usage(asked ? undefined : name));
    return asked ? 0 : 2;
  }
  return command.run(rest);
}

function usage(unknown: string | undefined): string {
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(14)} ${commandSummary(name, c.summary)}`);
  const head = unknown ? `${cliText('unknownCommand', { name: unknown })}\n\n` : '';
  return (
    `${head}${cliText('usage')}\n\n${cliText('commands')}\n${lines.join('\n')}\n\n` + `${cliText('helpHint')}\n`
  );
}

quietOnClosedStdout();
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    printDiagnostic(`headroom: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = exitCodeOf(error) ?? 1;
  }
);
