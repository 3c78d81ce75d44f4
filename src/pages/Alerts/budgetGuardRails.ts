/**
 * The budget guard rails as the Alerts page writes them: the app's monthly budget, its time zone and GPU prices
 * (on-demand, as the configuration page keeps them) turned into the three template rules, and the plan that syncs
 * them into Grafana beside the other Headroom rules (`planTemplates`), as `headroom rules templates --monthly-budget` does.
 */
import { t } from '@grafana/i18n';
import type { ProvisionedAlertRule } from '../../alerting/grafanaRule';
import { BUDGET_LEVEL_LABEL } from '../../alerting/templates/budgetRules';
import { grafanaTemplateRules } from '../../alerting/templates/grafanaTemplates';
import { headroomQueryTemplateRules } from '../../alerting/templates/headroomQueryTemplates';
import { gpuPricesOf, queryAppSettings, type HeadroomAppSettings } from '../../datasource/appSettings';
import { BudgetInputError } from '../../engine/budget';

export type BudgetRules = { rules: ProvisionedAlertRule[] } | { problem: string };

export const noBudgetText = () =>
  t(
    'alerts.budget.no-budget',
    'No monthly budget is set. Set one on the configuration page to write the budget guard rails.'
  );

/** The three guard-rail rules for these settings, or why there are none (no budget, a budget of zero, no prices). */
export function budgetRulesOf(settings: HeadroomAppSettings, prometheusUid: string, nowSeconds: number): BudgetRules {
  if (settings.monthlyBudget === undefined) {
    return { problem: noBudgetText() };
  }
  const prices = Object.fromEntries(gpuPricesOf(settings).map((p) => [p.gpuModel, p.onDemandPerGpuHour]));
  try {
    const rules = grafanaTemplateRules({
      prometheusUid,
      pricesPerGpuHour: prices,
      budget: {
        monthlyBudget: settings.monthlyBudget,
        timeZone: settings.budgetTimeZone,
        currency: 'USD',
        writtenAtSeconds: nowSeconds,
      },
    });
    return { rules: rules.filter((rule) => rule.labels?.[BUDGET_LEVEL_LABEL] !== undefined) };
  } catch (error) {
    if (error instanceof BudgetInputError || error instanceof RangeError) {
      return { problem: error.message };
    }
    throw error;
  }
}

export const noBackendText = () =>
  t(
    'alerts.query-rules.no-backend',
    "This Headroom data source runs without its backend here (a development build, or a system without the data source's executable), so Grafana cannot evaluate rules on its queries. Install the release archive on Linux."
  );

/**
 * The templates on Headroom's own alert queries for the chosen Headroom data source, with the budget's three levels when
 * the configuration page has a budget, or why there are none.
 */
export function queryRulesOf(settings: HeadroomAppSettings, headroomUid: string, hasBackend: boolean): BudgetRules {
  if (!hasBackend) {
    return { problem: noBackendText() };
  }
  try {
    return {
      rules: headroomQueryTemplateRules({
        headroomUid,
        monthlyBudget: settings.monthlyBudget,
        appSettings: queryAppSettings(settings),
      }),
    };
  } catch (error) {
    if (error instanceof BudgetInputError || error instanceof RangeError) {
      return { problem: error.message };
    }
    throw error;
  }
}
