import { t } from '@grafana/i18n';
import { SceneAppPage } from '@grafana/scenes';
import { ROUTES, prefixRoute } from '../../constants';
import { buildOverviewScene } from './overviewScene';

export function buildOverviewPage(defaultDatasourceUid?: string): SceneAppPage {
  return new SceneAppPage({
    title: t('pages.overview.title', 'Overview'),
    subTitle: t('pages.overview.subtitle', 'GPU capacity, allocation and activity across the fleet.'),
    url: prefixRoute(ROUTES.Overview),
    routePath: `${ROUTES.Overview}/*`,
    getScene: () => buildOverviewScene(defaultDatasourceUid),
  });
}
