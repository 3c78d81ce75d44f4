/**
 * A short readable name for the model a forecast came from. Auto combines up to seven models and names the result
 * after the rule and every member (`wmedian(naive,drift,mstl,…)`, `COMBINED_NAME` in auto.ts); a legend line has room for the rule,
 * how many joined and the first few, while the full name stays available (a tooltip, the Backtest table's column
 * description).
 */

/** How a combination joins its members, whatever weights it used. */
export type CombinationRule = 'blend' | 'mean' | 'median' | 'wmedian';

/** The names auto.ts gives each combination rule (`COMBINED_NAME`), by how they join. */
const RULES: Record<string, CombinationRule> = {
  blend: 'blend',
  blend_mse: 'blend',
  mean: 'mean',
  median: 'median',
  wmedian: 'wmedian',
  wmedian_mse: 'wmedian',
};

/** Each rule as a person reads it. */
const RULE_TEXT: Record<CombinationRule, string> = {
  blend: 'weighted blend',
  mean: 'mean',
  median: 'median',
  wmedian: 'weighted median',
};

/** Members named in the short label before the rest are counted ("+2"). */
export const SHOWN_MEMBERS = 3;

export interface ModelLabel {
  /** e.g. "weighted median of 5: naive, drift, mstl +2"; a single model keeps its name. */
  short: string;
  /** The models that made the forecast, in the engine's order (one for a single model). */
  members: string[];
  /** A combination's parts, for a caller that writes `short` in another language: the first members and the rest. */
  combination?: { rule: CombinationRule; shown: string[]; more: number };
  /** The method that chose the model (`auto` in `auto → mstl`), when one did. */
  chosenBy?: string;
}

/** The holdout's name for a method that chose among models (`<method> → <model it chose>`, holdout.ts). */
const CHOSEN = ' → ';

export function modelLabel(model: string): ModelLabel {
  const arrow = model.indexOf(CHOSEN);
  if (arrow >= 0) {
    const chosen = modelLabel(model.slice(arrow + CHOSEN.length));
    const chosenBy = model.slice(0, arrow);
    return { ...chosen, short: `${chosenBy}${CHOSEN}${chosen.short}`, chosenBy };
  }
  const combined = /^([a-z_]+)\((.+)\)$/.exec(model);
  const rule = combined && RULES[combined[1]];
  if (!combined || !rule) {
    return { short: model, members: [model] };
  }
  const members = combined[2].split(',');
  const shown = members.slice(0, SHOWN_MEMBERS);
  const more = Math.max(0, members.length - SHOWN_MEMBERS);
  return {
    short: `${RULE_TEXT[rule]} of ${members.length}: ${shown.join(', ')}${more > 0 ? ` +${more}` : ''}`,
    members,
    combination: { rule, shown, more },
  };
}
