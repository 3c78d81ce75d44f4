// Texts the Efficiency page shows and the browser tests read; free of scenes imports so Node tests can import them.
import { t } from '@grafana/i18n';

/** The panels' titles in the user's language (English where `t` has no catalog, as in Node tests). */
export function efficiencyPanelTitles() {
  return {
    allocated: t('efficiency.allocated.title', 'Allocated GPU-hours'),
    busy: t('efficiency.busy.title', 'Busy GPU-hours'),
    wasted: t('efficiency.wasted.title', '$ wasted'),
    idlePods: t('efficiency.idle-pods.title', 'Idle pods'),
    waste: t('efficiency.waste.title', 'Where the money goes'),
    mfu: t('efficiency.mfu.title', 'MFU distribution (estimate)'),
    monthToDate: t('efficiency.month-to-date.title', 'Month to date'),
    projected: t('efficiency.projected.title', 'Projected month'),
    budgetShare: t('efficiency.budget-share.title', 'Projected share of budget'),
    burn: t('efficiency.burn.title', 'Budget burn'),
    spot: t('efficiency.spot.title', 'Spot GPUs interrupted a day'),
  };
}
