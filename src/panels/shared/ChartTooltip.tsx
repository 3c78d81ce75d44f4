import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';

export interface TooltipRow {
  label: string;
  value: string;
  color: string;
}

/** What a chart's tooltip shows at one time: the time, then a row per series with a value there. */
export function ChartTooltip({ time, rows }: { time: string; rows: TooltipRow[] }) {
  const styles = useStyles2(getStyles);
  return (
    <div className={styles.tooltip} data-testid="headroom-chart-tooltip">
      <div className={styles.header}>{time}</div>
      <div className={styles.rows}>
        {rows.map((row) => (
          <div key={row.label} className={styles.row}>
            <span className={styles.swatch} style={{ background: row.color }} />
            <span className={styles.label}>{row.label}</span>
            <span className={styles.value}>{row.value}</span>
          </div>
        ))}
      </div>
    </div>
  );
}

// Grafana's tooltip layout: the time as a header over a list of colour, name and value.
const getStyles = (theme: GrafanaTheme2) => ({
  tooltip: css({ fontSize: theme.typography.bodySmall.fontSize, minWidth: 200 }),
  header: css({
    padding: theme.spacing(1),
    borderBottom: `1px solid ${theme.colors.border.weak}`,
    color: theme.colors.text.primary,
    fontWeight: theme.typography.fontWeightMedium,
  }),
  rows: css({ padding: theme.spacing(1), display: 'grid', gap: theme.spacing(0.5) }),
  row: css({ display: 'flex', alignItems: 'center', gap: theme.spacing(1) }),
  swatch: css({ width: 12, height: 4, borderRadius: 1, flexShrink: 0 }),
  label: css({ color: theme.colors.text.secondary, flexGrow: 1 }),
  value: css({
    color: theme.colors.text.primary,
    fontWeight: theme.typography.fontWeightMedium,
    paddingLeft: theme.spacing(2),
  }),
});
