import { SceneApp } from '@grafana/scenes';
import { COMING_SOON_PAGES } from '../ComingSoon/comingSoonPages';
import { buildComingSoonPage } from '../ComingSoon/comingSoonPage';
import { buildForecastPage } from '../Forecast/forecastPage';
import { buildOverviewPage } from '../Overview/overviewPage';
import { buildNotFoundPage } from './notFoundPage';

export function buildHeadroomApp(defaultDatasourceUid?: string): SceneApp {
  return new SceneApp({
    name: 'headroom',
    pages: [
      buildOverviewPage(defaultDatasourceUid),
      buildForecastPage(defaultDatasourceUid),
      ...COMING_SOON_PAGES.map(buildComingSoonPage),
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
