import { t } from '@grafana/i18n';
import { SceneAppPage } from '@grafana/scenes';
import { ROUTES, prefixRoute } from '../../constants';
import { buildAlertsScene } from './alertsScene';

export function buildAlertsPage(defaultDatasourceUid?: string): SceneAppPage {
  return new SceneAppPage({
    title: t('pages.alerts.title', 'Alerts'),
    subTitle: t(
      'pages.alerts.subtitle',
      'Alert thresholds that follow the daily and weekly rhythm, learnt from history and written back as Grafana alert rules.'
    ),
    url: prefixRoute(ROUTES.Alerts),
    routePath: `${ROUTES.Alerts}/*`,
    getScene: () => buildAlertsScene(defaultDatasourceUid),
  });
}
