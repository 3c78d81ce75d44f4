import React from 'react';
import { css } from '@emotion/css';
import type { DataFrame, GrafanaTheme2, IconName } from '@grafana/data';
import { t } from '@grafana/i18n';
import { Icon, Text, useStyles2 } from '@grafana/ui';
import { describeFrames, framesWithFields } from './describeFrames';

export interface HeadroomPanelNoticeProps {
  /** Prefix of the notice's test ids: `<prefix>-empty` or `<prefix>-unrecognised`. */
  testIdPrefix: string;
  icon: IconName;
  /** What the panel draws once it has its data, as a sentence. */
  shows: string;
  /** The Headroom query type whose results the panel draws, as the query editor names it. */
  queryType: string;
  frames: DataFrame[];
}

/** What a Headroom panel says when it has no data, or data it was not made to draw. */
export function HeadroomPanelNotice({ testIdPrefix, icon, shows, queryType, frames }: HeadroomPanelNoticeProps) {
  const styles = useStyles2(getStyles);
  const received = framesWithFields(frames);

  return received.length === 0 ? (
    <div className={styles.notice} data-testid={`${testIdPrefix}-empty`}>
      <Icon name={icon} size="xxl" className={styles.icon} />
      <Text element="p">{shows}</Text>
      <Text element="p" color="secondary">
        {t('panels.notice.add-query', 'Add a Headroom query of type {{queryType}} to fill it.', {
          queryType,
          interpolation: { escapeValue: false },
        })}
      </Text>
    </div>
  ) : (
    <div className={styles.notice} data-testid={`${testIdPrefix}-unrecognised`}>
      <Icon name="exclamation-triangle" size="xxl" className={styles.icon} />
      <Text element="p">
        {t('panels.notice.cannot-draw', 'This panel cannot draw the data it received ({{received}}).', {
          received: describeFrames(received),
          interpolation: { escapeValue: false },
        })}
      </Text>
      <Text element="p" color="secondary">
        {t(
          'panels.notice.other-data',
          'It draws the results of a Headroom query of type {{queryType}}; for other data, choose another visualization.',
          { queryType, interpolation: { escapeValue: false } }
        )}
      </Text>
    </div>
  );
}

function getStyles(theme: GrafanaTheme2) {
  return {
    notice: css({
      height: '100%',
      display: 'flex',
      flexDirection: 'column',
      alignItems: 'center',
      justifyContent: 'center',
      gap: theme.spacing(1),
      padding: theme.spacing(2),
      textAlign: 'center',
      overflow: 'auto',
    }),
    icon: css({ color: theme.colors.text.secondary }),
  };
}
