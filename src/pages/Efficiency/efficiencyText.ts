// Texts the Efficiency page shows and the browser tests read; free of scenes imports so Node tests can import them.

export const EFFICIENCY_PANEL_TITLES = {
  allocated: 'Allocated GPU-hours',
  busy: 'Busy GPU-hours',
  wasted: '$ wasted',
  idlePods: 'Idle pods',
  waste: 'Where the money goes',
  mfu: 'MFU distribution (estimate)',
  monthToDate: 'Month to date',
  projected: 'Projected month',
  budgetShare: 'Projected share of budget',
  burn: 'Budget burn',
  spot: 'Spot GPUs interrupted a day',
} as const;
