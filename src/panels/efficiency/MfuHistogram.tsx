import React from 'react';
import { t } from '@grafana/i18n';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Text, useStyles2 } from '@grafana/ui';
import type { MfuDistribution } from './efficiencyData';

/** Pods per tenth of peak: bars with their count above and the MFU bucket below. */
export function MfuHistogram({ data }: { data: MfuDistribution }) {
  const styles = useStyles2(getStyles);
  const most = Math.max(1, ...data.pods);
  const total = data.pods.reduce((sum, n) => sum + n, 0);
  return (
    <div className={styles.wrapper} data-testid="headroom-efficiency-mfu-histogram">
      <Text variant="bodySmall" color="secondary">
        {t(
          'efficiency.mfu.caption',
          'Pods by MFU estimate, % of peak (DCGM tensor activity × SM clock / max clock), {{total}} pods',
          { total }
        )}
      </Text>
      <div className={styles.bars} role="list" aria-label={t('efficiency.mfu.list-label', 'MFU distribution')}>
        {data.buckets.map((bucket, i) => (
          <div
            key={bucket}
            className={styles.column}
            role="listitem"
            aria-label={t('efficiency.mfu.bucket', '{{bucket}} %: {{pods}} pods', {
              bucket,
              pods: data.pods[i],
              interpolation: { escapeValue: false },
            })}
          >
            <span className={styles.count}>{data.pods[i]}</span>
            <div className={styles.bar} style={{ height: `${(100 * data.pods[i]) / most}%` }} />
            <span className={styles.label}>{bucket}</span>
          </div>
        ))}
      </div>
    </div>
  );
}

function getStyles(theme: GrafanaTheme2) {
  return {
    wrapper: css({ display: 'flex', flexDirection: 'column', height: '100%', gap: theme.spacing(1), minHeight: 120 }),
    bars: css({
      flex: 1,
      display: 'grid',
      gridAutoFlow: 'column',
      gridAutoColumns: '1fr',
      gap: theme.spacing(0.5),
      alignItems: 'end',
      minHeight: 0,
    }),
    column: css({
      height: '100%',
      display: 'flex',
      flexDirection: 'column',
      justifyContent: 'flex-end',
      alignItems: 'stretch',
      textAlign: 'center',
      minWidth: 0,
    }),
    bar: css({
      background: theme.colors.primary.main,
      borderRadius: `${theme.shape.radius.default} ${theme.shape.radius.default} 0 0`,
      minHeight: 1,
    }),
    count: css({ fontSize: theme.typography.bodySmall.fontSize, fontVariantNumeric: 'tabular-nums' }),
    label: css({
      fontSize: theme.typography.bodySmall.fontSize,
      color: theme.colors.text.secondary,
      whiteSpace: 'nowrap',
      overflow: 'hidden',
      textOverflow: 'ellipsis',
      borderTop: `1px solid ${theme.colors.border.medium}`,
      paddingTop: theme.spacing(0.25),
    }),
  };
}
