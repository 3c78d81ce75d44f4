import { EmbeddedScene, SceneAppPage, SceneFlexItem, SceneFlexLayout, SceneReactObject } from '@grafana/scenes';
import { prefixRoute } from '../../constants';
import { ComingSoon } from './ComingSoon';
import type { ComingSoonPageText } from './comingSoonPages';

export function buildComingSoonPage({ route, title, icon, question, detail }: ComingSoonPageText): SceneAppPage {
  return new SceneAppPage({
    title,
    url: prefixRoute(route),
    routePath: `${route}/*`,
    getScene: () =>
      new EmbeddedScene({
        body: new SceneFlexLayout({
          direction: 'column',
          children: [
            new SceneFlexItem({
              body: new SceneReactObject({ component: ComingSoon, props: { route, icon, question, detail } }),
            }),
          ],
        }),
      }),
  });
}
