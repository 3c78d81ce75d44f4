import React from 'react';
import { css } from '@emotion/css';
import type { DataFrame, GrafanaTheme2, IconName } from '@grafana/data';
import { Icon, Text, useStyles2 } from '@grafana/ui';
import { describeFrames, framesWithFields } from './describeFrames';

export interface HeadroomPanelNoticeProps {
  /** Prefix of the notice's test ids: `<prefix>-empty` or `<prefix>-unrecognised`. */
  testIdPrefix: string;
  icon: IconName;
  /** What the panel draws once it has its data, as a sentence. */
  shows: string;
  /** The Headroom query type whose results the panel draws. */
  queryType: string;
  frames: DataFrame[];
  /** Whether the data source already offers that query type. */
  queryTypeAvailable?: boolean;
}

/** What a Headroom panel says when it has no data, or data it was not made to draw. */
export function HeadroomPanelNotice({
  testIdPrefix,
  icon,
  shows,
  queryType,
  frames,
  queryTypeAvailable = false,
}: HeadroomPanelNoticeProps) {
  const styles = useStyles2(getStyles);
  const received = framesWithFields(frames);

  return received.length === 0 ? (
    <div className={styles.notice} data-testid={`${testIdPrefix}-empty`}>
      <Icon name={icon} size="xxl" className={styles.icon} />
      <Text element="p">{shows}</Text>
      <Text element="p" color="secondary">
        Add a Headroom query of type {queryType} to fill it.
        {!queryTypeAvailable && ' This version of the Headroom data source does not offer that query type yet.'}
      </Text>
    </div>
  ) : (
    <div className={styles.notice} data-testid={`${testIdPrefix}-unrecognised`}>
      <Icon name="exclamation-triangle" size="xxl" className={styles.icon} />
      <Text element="p">This panel cannot draw the data it received ({describeFrames(received)}).</Text>
      <Text element="p" color="secondary">
        It draws the results of a Headroom query of type {queryType}; for other data, choose another visualization.
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
