import React, { useMemo } from 'react';
import { t } from '@grafana/i18n';
import { css } from '@emotion/css';
import type { GrafanaTheme2, PanelProps } from '@grafana/data';
import { Alert, Icon, Text, useStyles2 } from '@grafana/ui';
import { MFU_ESTIMATE_NOTICE } from '../../datasource/efficiency/efficiencyFrames';
import { errorsInUserLanguage } from '../../datasource/wording/frameTexts';
import { HeadroomPanelNotice } from '../shared/HeadroomPanelNotice';
import { efficiencyNotices, readMfuDistribution, readWasteTable } from './efficiencyData';
import { MfuHistogram } from './MfuHistogram';
import { WasteTable } from './WasteTable';

/** A notice the frames carry in English, in the user's language when it is the data source's fixed MFU note. */
function shownNotice(text: string): string {
  return text === MFU_ESTIMATE_NOTICE
    ? t(
        'efficiency.mfu.estimate-notice',
        'Estimate: DCGM tensor-pipe activity × SM clock / maximum SM clock, not the model-FLOPs MFU (it counts every tensor op, recomputation and padding included, so it reads above the PaLM-formula MFU).'
      )
    : text;
}

/** The waste table (sortable by money) and the MFU distribution of a Headroom efficiency query; either or both. */
export function EfficiencyPanel({ data }: PanelProps) {
  const styles = useStyles2(getStyles);
  const waste = useMemo(() => readWasteTable(data.series), [data.series]);
  const mfu = useMemo(() => readMfuDistribution(data.series), [data.series]);
  const notices = useMemo(() => efficiencyNotices(data.series), [data.series]);
  const errors = useMemo(() => errorsInUserLanguage(data.errors ?? [], data.series), [data.errors, data.series]);

  if (!waste && !mfu) {
    if (errors.length > 0) {
      return (
        <Alert
          severity="error"
          title={t('efficiency.panel.query-failed', 'The efficiency query failed')}
          data-testid="headroom-efficiency-panel-error"
        >
          {errors.map((error) => error.message ?? t('panels.unknown-error', 'Unknown error')).join(' ')}
        </Alert>
      );
    }
    return (
      <HeadroomPanelNotice
        testIdPrefix="headroom-efficiency-panel"
        icon="dollar-alt"
        shows={t(
          'efficiency.panel.shows',
          'Allocated-but-idle GPU-hours and what they cost, by pod, namespace or GPU model, and the MFU distribution.'
        )}
        queryType={t('datasource.query-editor.types.efficiency.label', 'Efficiency')}
        frames={data.series}
      />
    );
  }
  return (
    <div className={styles.panel} data-testid="headroom-efficiency-panel">
      {waste &&
        (waste.rows.length > 0 ? (
          <WasteTable data={waste} />
        ) : (
          <Text color="secondary">{t('efficiency.panel.no-pods', 'No pod held a GPU in this range.')}</Text>
        ))}
      {mfu && <MfuHistogram data={mfu} />}
      {notices.length > 0 && (
        <ul className={styles.notices} data-testid="headroom-efficiency-panel-notices">
          {notices.map((notice) => (
            <li key={notice.text}>
              <Icon name={notice.severity === 'warning' ? 'exclamation-triangle' : 'info-circle'} size="sm" />{' '}
              {shownNotice(notice.text)}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function getStyles(theme: GrafanaTheme2) {
  return {
    panel: css({ display: 'flex', flexDirection: 'column', height: '100%', gap: theme.spacing(1), overflow: 'hidden' }),
    notices: css({
      listStyle: 'none',
      margin: 0,
      padding: 0,
      color: theme.colors.text.secondary,
      fontSize: theme.typography.bodySmall.fontSize,
      maxHeight: 72,
      overflow: 'auto',
      flexShrink: 0,
    }),
  };
}
