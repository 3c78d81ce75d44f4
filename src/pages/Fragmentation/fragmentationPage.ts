import { SceneAppPage } from '@grafana/scenes';
import { ROUTES, prefixRoute } from '../../constants';
import { buildFragmentationScene } from './fragmentationScene';

/** How other pages link here (the Overview's page links). */
export const FRAGMENTATION_PAGE_LINK = {
  route: ROUTES.Fragmentation,
  title: 'Fragmentation',
  question: "Why can't an 8-GPU job start when 40 GPUs are free?",
};

export function buildFragmentationPage(defaultDatasourceUid?: string): SceneAppPage {
  return new SceneAppPage({
    title: 'Fragmentation',
    subTitle: "Why can't a big job start when GPUs are free? Where free GPUs sit, what fits now, and what to move.",
    url: prefixRoute(ROUTES.Fragmentation),
    routePath: `${ROUTES.Fragmentation}/*`,
    getScene: () => buildFragmentationScene(defaultDatasourceUid),
  });
}
