import { SceneApp } from '@grafana/scenes';
import { buildAlertsPage } from '../Alerts/alertsPage';
import { buildEfficiencyPage } from '../Efficiency/efficiencyPage';
import { buildForecastPage } from '../Forecast/forecastPage';
import { buildFragmentationPage } from '../Fragmentation/fragmentationPage';
import { buildOverviewPage } from '../Overview/overviewPage';
import { buildPlanPage } from '../Plan/planPage';
import { buildNotFoundPage } from './notFoundPage';

export function buildHeadroomApp(defaultDatasourceUid?: string): SceneApp {
  return new SceneApp({
    name: 'headroom',
    pages: [
      buildOverviewPage(defaultDatasourceUid),
      buildForecastPage(defaultDatasourceUid),
      buildFragmentationPage(defaultDatasourceUid),
      buildEfficiencyPage(defaultDatasourceUid),
      buildAlertsPage(defaultDatasourceUid),
      buildPlanPage(defaultDatasourceUid),
      buildNotFoundPage(),
    ],
  });
}

// useSceneApp caches one app per factory function; one factory per default data source keeps
// the pages' state across visits and rebuilds them when an admin changes the default.
const factories = new Map<string, () => SceneApp>();

export function headroomAppFactory(defaultDatasourceUid = ''): () => SceneApp {
  let factory = factories.get(defaultDatasourceUid);
  if (!factory) {
    factory = () => buildHeadroomApp(defaultDatasourceUid || undefined);
    factories.set(defaultDatasourceUid, factory);
  }
  return factory;
}
