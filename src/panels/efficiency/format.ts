/** Number formats of the efficiency panel: every number carries its unit. */
const dollars = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 2 });
const oneDecimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1, minimumFractionDigits: 1 });

export const formatDollars = (value: number | undefined) => (value === undefined ? 'no price' : dollars.format(value));
export const formatGpuHours = (value: number) => `${oneDecimal.format(value)} GPU-h`;
export const formatPercent = (value: number | undefined) =>
  value === undefined ? '–' : `${oneDecimal.format(value)} %`;
