import React from 'react';
import { t } from '@grafana/i18n';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';
import { cellColors, cellLabels, type CellColor } from './cellColors';
import type { GangFit, GridNode } from './gridData';

/** How many whole GPUs (or MIG instances) of each colour the grid shows. */
export function countCells(nodes: GridNode[]): Record<CellColor, number> {
  const counts: Record<CellColor, number> = { free: 0, allocated: 0, shared: 0, migHeld: 0, migFree: 0 };
  for (const cell of nodes.flatMap((n) => n.cells)) {
    if (cell.state === 'mig') {
      for (const instance of cell.migInstances) {
        counts[instance.holders.length > 0 ? 'migHeld' : 'migFree']++;
      }
    } else {
      counts[cell.state]++;
    }
  }
  return counts;
}

/** "Fit now" per gang size, then the colour legend with counts. */
export function GridLegend({ nodes, gangs }: { nodes: GridNode[]; gangs: GangFit[] }) {
  const styles = useStyles2(getStyles);
  const colors = cellColors(useTheme2());
  const counts = countCells(nodes);
  const labels = cellLabels();
  const shown = (Object.keys(labels) as CellColor[]).filter((c) => counts[c] > 0 || c === 'free' || c === 'allocated');
  return (
    <div className={styles.header}>
      {gangs.length > 0 && (
        <div className={styles.gangs} data-testid="headroom-jobs-fit">
          <span className={styles.label}>{t('fragmentation.grid.fit-now', 'Fit now:')}</span>
          {gangs.map((g) => (
            <span key={g.job} className={styles.gang} data-testid="headroom-jobs-fit-item">
              {g.gpus === undefined ? g.job : t('fragmentation.grid.gang', '{{gpus}}-GPU job', { gpus: g.gpus })}{' '}
              <strong>{g.fitNow}</strong>
            </span>
          ))}
        </div>
      )}
      <div className={styles.legend} data-testid="headroom-grid-legend">
        {shown.map((c) => (
          <span key={c} className={styles.item}>
            <span className={styles.swatch} style={{ background: colors[c] }} />
            {labels[c]} <span className={styles.count}>{counts[c]}</span>
          </span>
        ))}
      </div>
    </div>
  );
}

function getStyles(theme: GrafanaTheme2) {
  return {
    header: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(0.5) }),
    gangs: css({ display: 'flex', flexWrap: 'wrap', alignItems: 'baseline', gap: theme.spacing(1.5) }),
    label: css({ color: theme.colors.text.secondary }),
    gang: css({
      padding: theme.spacing(0.25, 1),
      borderRadius: theme.shape.radius.default,
      background: theme.colors.background.secondary,
      strong: { fontSize: theme.typography.h5.fontSize, marginLeft: theme.spacing(0.5) },
    }),
    legend: css({
      display: 'flex',
      flexWrap: 'wrap',
      gap: theme.spacing(1.5),
      fontSize: theme.typography.bodySmall.fontSize,
      color: theme.colors.text.secondary,
    }),
    item: css({ display: 'inline-flex', alignItems: 'center', gap: theme.spacing(0.5) }),
    swatch: css({ width: 10, height: 10, borderRadius: 2, display: 'inline-block' }),
    count: css({ color: theme.colors.text.primary, fontWeight: theme.typography.fontWeightMedium }),
  };
}
