import type { CliCommand } from '../command';
import { forecastCommand } from './forecast';
import { inventoryCommand } from './inventory';
import { simulateCommand } from './simulate';

export const commands: Record<string, CliCommand> = {
  simulate: simulateCommand,
  inventory: inventoryCommand,
  forecast: forecastCommand,
};
