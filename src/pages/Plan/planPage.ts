import { t } from '@grafana/i18n';
import { SceneAppPage } from '@grafana/scenes';
import { ROUTES, prefixRoute } from '../../constants';
import { buildPlanScene } from './planScene';

export function buildPlanPage(defaultDatasourceUid?: string): SceneAppPage {
  return new SceneAppPage({
    title: t('pages.plan.title', 'Plan'),
    subTitle: t(
      'plan.subtitle',
      'How many GPUs, for how long, to train a model; how many GPUs one replica needs to serve it, and how many replicas a request rate needs at the tokens/s per GPU your fleet measured. The same as the headroom size command.'
    ),
    url: prefixRoute(ROUTES.Plan),
    routePath: `${ROUTES.Plan}/*`,
    getScene: () => buildPlanScene(defaultDatasourceUid),
  });
}
