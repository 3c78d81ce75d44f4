import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';

/** The page's plain tables (backtest, managed rules): Grafana's table look without a table panel. */
export const getTableStyles = (theme: GrafanaTheme2) => ({
  table: css({
    width: '100%',
    borderCollapse: 'collapse',
    'th, td': {
      padding: theme.spacing(0.5, 1),
      borderBottom: `1px solid ${theme.colors.border.weak}`,
      textAlign: 'left',
      verticalAlign: 'middle',
    },
    th: { color: theme.colors.text.secondary, fontWeight: theme.typography.fontWeightMedium },
  }),
  number: css({ textAlign: 'right !important' as 'right', fontVariantNumeric: 'tabular-nums' }),
});
