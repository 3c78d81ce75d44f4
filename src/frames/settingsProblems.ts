import type { GpuPrice } from './appSettings';
import { checkTimeZone } from '../engine/efficiency';

/** What is wrong with prices, budget and the budget's time zone, in words; empty when they can be saved. */
export function settingsProblems(
  prices: GpuPrice[],
  monthlyBudget: number | undefined,
  budgetTimeZone?: string
): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  prices.forEach((price, i) => {
    const model = price.gpuModel.trim();
    const name = model || `row ${i + 1}`;
    if (!model) {
      problems.push(`Row ${i + 1} has no GPU model: enter the name DCGM reports (e.g. NVIDIA L4) or remove the row.`);
    } else if (seen.has(model)) {
      problems.push(`${model} is listed twice: keep one row per GPU model.`);
    }
    seen.add(model);
    const tiers: Array<[string, number | undefined, boolean]> = [
      ['on-demand', price.onDemandPerGpuHour, true],
      ['reserved', price.reservedPerGpuHour, true],
      ['spot', price.spotPerGpuHour, false],
    ];
    for (const [tier, value, required] of tiers) {
      // A GPU-hour at zero would make every plan "free": refused like a negative price, as the CLI's price file does.
      if (value === undefined ? required : !(Number.isFinite(value) && value > 0)) {
        problems.push(`The ${tier} price of ${name} must be a number of dollars above 0 per GPU-hour.`);
      }
    }
  });
  if (monthlyBudget !== undefined && !(Number.isFinite(monthlyBudget) && monthlyBudget > 0)) {
    problems.push('The monthly budget must be a positive number of dollars, or empty for none.');
  }
  if (budgetTimeZone !== undefined) {
    try {
      checkTimeZone(budgetTimeZone);
    } catch (error) {
      problems.push(`Budget time zone: ${(error as Error).message}`);
    }
  }
  return problems;
}
