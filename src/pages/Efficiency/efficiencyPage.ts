import { SceneAppPage } from '@grafana/scenes';
import { ROUTES, prefixRoute } from '../../constants';
import { buildEfficiencyScene } from './efficiencyScene';

export function buildEfficiencyPage(defaultDatasourceUid?: string): SceneAppPage {
  return new SceneAppPage({
    title: 'Efficiency',
    subTitle: 'Where is the money going? Idle and wasted GPU-hours, their cost, the MFU estimate and the month’s burn.',
    url: prefixRoute(ROUTES.Efficiency),
    routePath: `${ROUTES.Efficiency}/*`,
    getScene: () => buildEfficiencyScene(defaultDatasourceUid),
  });
}
