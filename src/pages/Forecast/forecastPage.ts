import { t } from '@grafana/i18n';
import { SceneAppPage } from '@grafana/scenes';
import { ROUTES, prefixRoute } from '../../constants';
import { buildForecastScene } from './forecastScene';

export function buildForecastPage(defaultDatasourceUid?: string): SceneAppPage {
  return new SceneAppPage({
    title: t('pages.forecast.title', 'Forecast'),
    subTitle: t(
      'forecast.subtitle',
      'When do we run out of GPUs? Demand forecast, GPUs needed, scaling schedule (scale-out and scale-in) and cost mix.'
    ),
    url: prefixRoute(ROUTES.Forecast),
    routePath: `${ROUTES.Forecast}/*`,
    getScene: () => buildForecastScene(defaultDatasourceUid),
  });
}
