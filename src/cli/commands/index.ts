import type { CliCommand } from '../command';
import { inventoryCommand } from './inventory';
import { simulateCommand } from './simulate';

export const commands: Record<string, CliCommand> = {
  simulate: simulateCommand,
  inventory: inventoryCommand,
};
