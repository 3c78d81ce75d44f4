/**
 * A short readable name for the model a forecast came from. Auto combines up to seven models and names the result
 * after the rule and every member (`wmedian(naive,drift,mstl,…)`, `COMBINED_NAME` in auto.ts); a legend line has room for the rule,
 * how many joined and the first few, while the full name stays available (a tooltip, the Backtest table's column
 * description).
 */

/** The names auto.ts gives each combination rule (`COMBINED_NAME`), as a person reads them. */
const RULE_TEXT: Record<string, string> = {
  blend: 'weighted blend',
  blend_mse: 'weighted blend',
  mean: 'mean',
  median: 'median',
  wmedian: 'weighted median',
  wmedian_mse: 'weighted median',
};

/** Members named in the short label before the rest are counted ("+2"). */
export const SHOWN_MEMBERS = 3;

export interface ModelLabel {
  /** e.g. "weighted median of 5: naive, drift, mstl +2"; a single model keeps its name. */
  short: string;
  /** The models that made the forecast, in the engine's order (one for a single model). */
  members: string[];
}

/** The holdout's name for a method that chose among models (`<method> → <model it chose>`, holdout.ts). */
const CHOSEN = ' → ';

export function modelLabel(model: string): ModelLabel {
  const arrow = model.indexOf(CHOSEN);
  if (arrow >= 0) {
    const chosen = modelLabel(model.slice(arrow + CHOSEN.length));
    return { short: `${model.slice(0, arrow)}${CHOSEN}${chosen.short}`, members: chosen.members };
  }
  const combined = /^([a-z_]+)\((.+)\)$/.exec(model);
  const rule = combined && RULE_TEXT[combined[1]];
  if (!combined || !rule) {
    return { short: model, members: [model] };
  }
  const members = combined[2].split(',');
  const shown = members.slice(0, SHOWN_MEMBERS).join(', ');
  const rest = members.length > SHOWN_MEMBERS ? ` +${members.length - SHOWN_MEMBERS}` : '';
  return { short: `${rule} of ${members.length}: ${shown}${rest}`, members };
}
