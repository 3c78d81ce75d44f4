import { SceneAppPage } from '@grafana/scenes';
import { ROUTES, prefixRoute } from '../../constants';
import { buildOverviewScene } from './overviewScene';

export function buildOverviewPage(defaultDatasourceUid?: string): SceneAppPage {
  return new SceneAppPage({
    title: 'Overview',
    subTitle: 'GPU capacity, allocation and activity across the fleet.',
    url: prefixRoute(ROUTES.Overview),
    routePath: `${ROUTES.Overview}/*`,
    getScene: () => buildOverviewScene(defaultDatasourceUid),
  });
}
