#!/usr/bin/env node
/**
 * `headroom simulate` on its own, the same command as `headroom simulate`: the entry point that the simulator's
 * container image bundles (docker/simulator.Dockerfile), so the image carries no other command's dependencies.
 */
import { simulateCommand } from './commands/simulate';

simulateCommand.run(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`headroom simulate: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
);
