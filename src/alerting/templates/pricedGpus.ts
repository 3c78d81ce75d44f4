/**
 * Dollars per hour of GPUs priced per DCGM model: each model's GPU-equivalents times its price as a constant, the
 * models joined by `or` (their `modelName` labels differ) and summed. Shared by the idle-cost and budget templates.
 */

/** The models with a usable price (finite, ≥ 0); at least one, else the rule could price nothing. */
export function pricedModels(pricesPerGpuHour: Record<string, number>, rule: string): Array<[string, number]> {
  const models = Object.entries(pricesPerGpuHour).filter(([, price]) => Number.isFinite(price) && price >= 0);
  if (models.length === 0) {
    throw new RangeError(`The ${rule} rule needs at least one GPU model with a price ≥ 0 per GPU-hour.`);
  }
  return models;
}

/** Σ over models of `gpusOfModel(model)` (GPU-equivalents carrying `modelName`) × the model's price. */
export function costByModelExpr(models: Array<[string, number]>, gpusOfModel: (model: string) => string): string {
  const terms = models.map(([model, price]) => `sum by (modelName) (${gpusOfModel(model)}) * ${price}`);
  return `sum(\n  ${terms.join('\n  or\n  ')}\n)`;
}
