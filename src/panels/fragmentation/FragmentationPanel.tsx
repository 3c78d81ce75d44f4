import React, { useMemo } from 'react';
import { t } from '@grafana/i18n';
import { css } from '@emotion/css';
import type { GrafanaTheme2, PanelProps } from '@grafana/data';
import { Alert, useStyles2 } from '@grafana/ui';
import { errorsInUserLanguage } from '../../datasource/wording/frameTexts';
import { HeadroomPanelNotice } from '../shared/HeadroomPanelNotice';
import { COMPACT_ABOVE_GPUS, GpuGrid } from './GpuGrid';
import { GridLegend } from './GridLegend';
import { readFragmentationFrames } from './gridData';

/**
 * The node × GPU grid of a Headroom `fragmentation` query (view `grid`), coloured by state, with "how many
 * 1/2/4/8-GPU jobs fit now" on top when the query also returns the `jobsFit` view.
 */
export function FragmentationPanel({ data }: PanelProps) {
  const styles = useStyles2(getStyles);
  const grid = useMemo(() => readFragmentationFrames(data.series), [data.series]);
  const errors = useMemo(() => errorsInUserLanguage(data.errors ?? [], data.series), [data.errors, data.series]);

  if (!grid) {
    if (errors.length > 0) {
      return (
        <Alert
          severity="error"
          title={t('fragmentation.panel.query-failed', 'The fragmentation query failed')}
          data-testid="headroom-fragmentation-panel-error"
        >
          {errors.map((error) => error.message ?? t('panels.unknown-error', 'Unknown error')).join(' ')}
        </Alert>
      );
    }
    return (
      <HeadroomPanelNotice
        testIdPrefix="headroom-fragmentation-panel"
        icon="apps"
        shows={t(
          'fragmentation.panel.shows',
          'Free GPUs the jobs your teams submit cannot use, node by node, and the largest job that still fits.'
        )}
        // Named as the query editor names the type and its views (the same keys).
        queryType={t('fragmentation.panel.query-type', '{{type}} (views {{grid}} and {{jobsFit}})', {
          type: t('datasource.query-editor.types.fragmentation.label', 'Fragmentation'),
          grid: t('datasource.query-editor.fragmentation.grid.label', 'GPU grid'),
          jobsFit: t('datasource.query-editor.fragmentation.jobs-fit.label', 'Jobs that fit'),
          interpolation: { escapeValue: false },
        })}
        frames={data.series}
      />
    );
  }
  if (grid.nodes.length === 0) {
    return (
      <div className={styles.empty} data-testid="headroom-fragmentation-panel-no-gpus">
        {t(
          'fragmentation.panel.no-gpus',
          'No GPU node in view: the node and GPU model filters match none, or kube-state-metrics lists no GPU node.'
        )}
      </div>
    );
  }
  return (
    <div className={styles.panel} data-testid="headroom-fragmentation-panel">
      <GridLegend nodes={grid.nodes} gangs={grid.gangs} />
      <div className={styles.scroll}>
        <GpuGrid nodes={grid.nodes} compact={grid.gpuCount > COMPACT_ABOVE_GPUS} />
      </div>
    </div>
  );
}

function getStyles(theme: GrafanaTheme2) {
  return {
    panel: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(1), height: '100%' }),
    scroll: css({ flex: 1, minHeight: 0, overflow: 'auto' }),
    empty: css({
      height: '100%',
      display: 'flex',
      alignItems: 'center',
      justifyContent: 'center',
      color: theme.colors.text.secondary,
      textAlign: 'center',
      padding: theme.spacing(2),
    }),
  };
}
