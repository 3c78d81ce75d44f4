import {
  SceneFlexItem,
  SceneFlexLayout,
  SceneObjectBase,
  SceneObjectUrlSyncConfig,
  SceneQueryRunner,
  SceneVariableSet,
  type EmbeddedScene,
  type SceneObjectUrlValues,
} from '@grafana/scenes';
import { HEADROOM_DATASOURCE_TYPE } from '../../constants';
import { headroomDatasourceVariable } from '../shared/headroomDatasourceVariable';
import { pageScene } from '../shared/pageScene';
import { THROUGHPUT_QUERY } from './measuredModels';
import { PlanBody } from './PlanBody';
import { DEFAULT_PLAN, PLAN_URL_KEYS, planFromUrl, planToUrl, type PlanState } from './planInputs';

/** The week of vLLM history tokens/s per GPU is measured over, as `headroom size inference --history-days 7`. */
export const PLAN_DEFAULT_RANGE = { from: 'now-7d', to: 'now' };

interface PlanObjectState extends PlanState {
  /** The fleet's measured tokens/s per GPU per served model (Headroom's `serving` query, throughput view). */
  $data: SceneQueryRunner;
}

/** The plan's inputs, kept in the URL so a shared link or a reload shows the same plan. */
export class PlanInputsObject extends SceneObjectBase<PlanObjectState> {
  static Component = PlanBody;
  protected _urlSync = new SceneObjectUrlSyncConfig(this, { keys: Object.values(PLAN_URL_KEYS) });

  getUrlState(): SceneObjectUrlValues {
    return planToUrl(this.state);
  }

  updateFromUrl(values: SceneObjectUrlValues): void {
    this.setState(planFromUrl(values));
  }
}

/**
 * The Plan page: sizing is arithmetic on what the person enters; the data source and time range only give the
 * fleet's measured tokens/s per GPU for serving a rate.
 */
export function buildPlanScene(defaultDatasourceUid?: string): EmbeddedScene {
  const $data = new SceneQueryRunner({
    datasource: { type: HEADROOM_DATASOURCE_TYPE, uid: '${ds}' },
    queries: [THROUGHPUT_QUERY],
  });
  return pageScene({
    defaultRange: PLAN_DEFAULT_RANGE,
    variables: new SceneVariableSet({ variables: [headroomDatasourceVariable(defaultDatasourceUid)] }),
    body: new SceneFlexLayout({
      direction: 'column',
      children: [new SceneFlexItem({ body: new PlanInputsObject({ ...DEFAULT_PLAN, $data }) })],
    }),
  });
}
