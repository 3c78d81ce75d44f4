import { t } from '@grafana/i18n';
import { SceneAppPage } from '@grafana/scenes';
import { ROUTES, prefixRoute } from '../../constants';
import { buildFragmentationScene } from './fragmentationScene';

/** How other pages link here (the Overview's page links). */
export function buildFragmentationPage(defaultDatasourceUid?: string): SceneAppPage {
  return new SceneAppPage({
    title: t('pages.fragmentation.title', 'Fragmentation'),
    subTitle: t(
      'pages.fragmentation.subtitle',
      "Why can't a big job start when GPUs are free? Where free GPUs sit, what fits now, and what to move."
    ),
    url: prefixRoute(ROUTES.Fragmentation),
    routePath: `${ROUTES.Fragmentation}/*`,
    getScene: () => buildFragmentationScene(defaultDatasourceUid),
  });
}
