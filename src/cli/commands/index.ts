import type { CliCommand } from '../command';
import { budgetCommand } from './budget';
import { capacityCommand } from './capacity';
import { efficiencyCommand } from './efficiency';
import { forecastCommand } from './forecast';
import { fragmentationCommand } from './fragmentation';
import { inventoryCommand } from './inventory';
import { mfuCommand } from './mfu';
import { planCommand } from './plan';
import { recalibrateCommand } from './recalibrate';
import { rulesCommand } from './rules';
import { simulateCommand } from './simulate';
import { sizeCommand } from './size';
import { thresholdsCommand } from './thresholds';

export const commands: Record<string, CliCommand> = {
  simulate: simulateCommand,
  inventory: inventoryCommand,
  forecast: forecastCommand,
  capacity: capacityCommand,
  plan: planCommand,
  thresholds: thresholdsCommand,
  rules: rulesCommand,
  recalibrate: recalibrateCommand,
  fragmentation: fragmentationCommand,
  efficiency: efficiencyCommand,
  budget: budgetCommand,
  mfu: mfuCommand,
  size: sizeCommand,
};
