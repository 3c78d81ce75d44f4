import { t } from '@grafana/i18n';
import { SceneAppPage } from '@grafana/scenes';
import { ROUTES, prefixRoute } from '../../constants';
import { buildEfficiencyScene } from './efficiencyScene';

export function buildEfficiencyPage(defaultDatasourceUid?: string): SceneAppPage {
  return new SceneAppPage({
    title: t('pages.efficiency.title', 'Efficiency'),
    subTitle: t(
      'pages.efficiency.subtitle',
      'Where is the money going? Idle and wasted GPU-hours, their cost, the MFU estimate and the month’s burn.'
    ),
    url: prefixRoute(ROUTES.Efficiency),
    routePath: `${ROUTES.Efficiency}/*`,
    getScene: () => buildEfficiencyScene(defaultDatasourceUid),
  });
}
