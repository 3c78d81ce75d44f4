import React from 'react';
import { t } from '@grafana/i18n';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Portal, useStyles2 } from '@grafana/ui';
import { fixed } from '../../datasource/wording/localeNumbers';
import type { CellState, GridCell } from './gridData';

/**
 * A GPU's state in words, as the tooltip and the cells' accessible names say it. Looked up once per render, not per
 * cell: a translation lookup costs tens of microseconds, and the grid draws 1,000+ cells.
 */
export const stateTexts = (): Record<CellState, string> => ({
  free: t('fragmentation.tooltip.states.free', 'free'),
  allocated: t('fragmentation.tooltip.states.allocated', 'allocated'),
  shared: t('fragmentation.tooltip.states.shared', 'shared'),
  mig: t('fragmentation.tooltip.states.mig', 'MIG mode'),
});

/** "node-a · GPU 3", the same in every language (GPU is not translated). */
export const gpuName = (cell: GridCell) => `${cell.node} · GPU ${cell.gpu}`;

/** Details of the hovered GPU, next to it; one tooltip for the whole grid keeps 1,000+ cells cheap. */
export function GpuTooltip({
  cell,
  fragmentedGpus,
  x,
  y,
}: {
  cell: GridCell;
  fragmentedGpus: number | null;
  x: number;
  y: number;
}) {
  const styles = useStyles2(getStyles);
  return (
    <Portal>
      <div
        className={styles.tooltip}
        style={{ left: x + 8, top: y + 8 }}
        role="tooltip"
        data-testid="headroom-gpu-tooltip"
      >
        <div className={styles.title}>{gpuName(cell)}</div>
        <dl className={styles.list}>
          <dt>{t('fragmentation.tooltip.model', 'Model')}</dt>
          <dd>{cell.gpuModel || t('fragmentation.tooltip.unknown', 'unknown')}</dd>
          <dt>{t('fragmentation.tooltip.state', 'State')}</dt>
          <dd>{stateTexts()[cell.state]}</dd>
          <dt>{t('fragmentation.tooltip.free', 'Free')}</dt>
          <dd>
            {t('fragmentation.tooltip.free-milli', '{{milli}} milli ({{percent}} % of the GPU)', {
              milli: fixed(cell.freeMilli, 0),
              percent: fixed(cell.freeMilli / 10, 0),
            })}
          </dd>
          {cell.state === 'mig' ? (
            <>
              <dt>{t('fragmentation.tooltip.instances', 'Instances')}</dt>
              <dd>
                {cell.migInstances.map((i, k) => (
                  <div key={k}>
                    {i.profile}:{' '}
                    {i.holders.length > 0 ? i.holders.join(', ') : t('fragmentation.tooltip.instance-free', 'free')}
                  </div>
                ))}
              </dd>
            </>
          ) : (
            <>
              <dt>{t('fragmentation.tooltip.pods', 'Pods')}</dt>
              <dd>{cell.pods || t('fragmentation.tooltip.no-pods', 'none')}</dd>
            </>
          )}
          {fragmentedGpus !== null && (
            <>
              <dt>{t('fragmentation.tooltip.node-fragmented', 'Node fragmented')}</dt>
              <dd>
                {t('fragmentation.tooltip.node-fragmented-gpus', '{{gpus}} GPUs', { gpus: fixed(fragmentedGpus, 2) })}
              </dd>
            </>
          )}
        </dl>
      </div>
    </Portal>
  );
}

function getStyles(theme: GrafanaTheme2) {
  return {
    tooltip: css({
      position: 'fixed',
      zIndex: theme.zIndex.tooltip,
      maxWidth: 420,
      padding: theme.spacing(1),
      background: theme.colors.background.elevated,
      border: `1px solid ${theme.colors.border.weak}`,
      borderRadius: theme.shape.radius.default,
      boxShadow: theme.shadows.z3,
      fontSize: theme.typography.bodySmall.fontSize,
      pointerEvents: 'none',
    }),
    title: css({ fontWeight: theme.typography.fontWeightMedium, marginBottom: theme.spacing(0.5) }),
    list: css({
      display: 'grid',
      gridTemplateColumns: 'auto 1fr',
      columnGap: theme.spacing(1),
      margin: 0,
      dt: { color: theme.colors.text.secondary },
      dd: { margin: 0, wordBreak: 'break-all' },
    }),
  };
}
