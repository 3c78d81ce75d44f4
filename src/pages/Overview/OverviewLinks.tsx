import { t } from '@grafana/i18n';
import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { SceneObjectBase, sceneGraph, type SceneComponentProps, type SceneObjectState } from '@grafana/scenes';
import { LinkButton, useStyles2 } from '@grafana/ui';
import { pageLinks } from '../shared/pageLinks';
import { pageLinkUrl } from './pageLinkUrl';

/** Buttons into the other app pages that keep the Overview's time range. */
export class OverviewLinks extends SceneObjectBase<SceneObjectState> {
  static Component = OverviewLinksRenderer;
}

function OverviewLinksRenderer({ model }: SceneComponentProps<OverviewLinks>) {
  const { from, to } = sceneGraph.getTimeRange(model).useState();
  const styles = useStyles2(getStyles);

  return (
    <nav className={styles.links} aria-label={t('overview.links.label', 'Headroom pages')} data-testid="headroom-overview-links">
      {pageLinks().map(({ route, title, question }) => (
        <LinkButton
          key={route}
          variant="secondary"
          size="sm"
          fill="outline"
          tooltip={question}
          href={pageLinkUrl(route, { from, to })}
        >
          {title}
        </LinkButton>
      ))}
    </nav>
  );
}

function getStyles(theme: GrafanaTheme2) {
  return {
    links: css({ display: 'flex', flexWrap: 'wrap', gap: theme.spacing(1) }),
  };
}
