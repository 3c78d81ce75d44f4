import { t } from '@grafana/i18n';
import React from 'react';
import { EmbeddedScene, SceneAppPage, SceneFlexItem, SceneFlexLayout, SceneReactObject } from '@grafana/scenes';
import { EmptyState, Icon, LinkButton } from '@grafana/ui';
import { PLUGIN_BASE_URL, ROUTES, prefixRoute } from '../../constants';

function NotFound() {
  return (
    <div data-testid="headroom-not-found">
      <EmptyState
        variant="not-found"
        message={t('app.not-found.message', 'This Headroom page does not exist.')}
        image={<Icon name="compass" size="xxxl" />}
        button={<LinkButton href={prefixRoute(ROUTES.Overview)}>{t('app.not-found.go-to-overview', 'Go to Overview')}</LinkButton>}
      />
    </div>
  );
}

/** Catch-all page for app URLs that match no page (a stale bookmark, a typo). */
export function buildNotFoundPage(): SceneAppPage {
  const page: SceneAppPage = new SceneAppPage({
    title: t('app.not-found.title', 'Page not found'),
    url: PLUGIN_BASE_URL,
    routePath: '*',
    getScene: () =>
      new EmbeddedScene({
        body: new SceneFlexLayout({
          children: [new SceneFlexItem({ body: new SceneReactObject({ component: NotFound }) })],
        }),
      }),
    // A page's own routes only match its root; make every other path render this page too.
    getFallbackPage: () => page,
  });
  return page;
}
