#!/usr/bin/env node
/**
 * `headroom <command> [options]`: stdout carries only the command's output, diagnostics go to stderr.
 */
import { commands } from './commands';
import { exitCodeOf, printDiagnostic } from './reportError';

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const command = name ? commands[name] : undefined;
  if (!command) {
    process.stderr.write(usage(name));
    return name && name !== '--help' && name !== 'help' ? 2 : 0;
  }
  return command.run(rest);
}

function usage(unknown: string | undefined): string {
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(14)} ${c.summary}`);
  const head =
    unknown && unknown !== '--help' && unknown !== 'help' ? `headroom: unknown command "${unknown}"\n\n` : '';
  return `${head}usage: headroom <command> [options]\n\ncommands:\n${lines.join('\n')}\n`;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    printDiagnostic(`headroom: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = exitCodeOf(error) ?? 1;
  }
);
