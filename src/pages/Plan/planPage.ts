import { SceneAppPage } from '@grafana/scenes';
import { ROUTES, prefixRoute } from '../../constants';
import { buildPlanScene } from './planScene';

export function buildPlanPage(): SceneAppPage {
  return new SceneAppPage({
    title: 'Plan',
    subTitle:
      'How many GPUs, for how long, to train a model; how many GPUs one replica needs to serve it. Arithmetic on what you enter (no metrics needed), the same as the headroom size command.',
    url: prefixRoute(ROUTES.Plan),
    routePath: `${ROUTES.Plan}/*`,
    getScene: buildPlanScene,
  });
}
