import {
  EmbeddedScene,
  SceneFlexItem,
  SceneFlexLayout,
  SceneObjectBase,
  SceneObjectUrlSyncConfig,
  type SceneObjectUrlValues,
} from '@grafana/scenes';
import { PlanBody } from './PlanBody';
import { DEFAULT_PLAN, PLAN_URL_KEYS, planFromUrl, planToUrl, type PlanState } from './planInputs';

/** The plan's inputs, kept in the URL so a shared link or a reload shows the same plan. */
export class PlanInputsObject extends SceneObjectBase<PlanState> {
  static Component = PlanBody;
  protected _urlSync = new SceneObjectUrlSyncConfig(this, { keys: Object.values(PLAN_URL_KEYS) });

  getUrlState(): SceneObjectUrlValues {
    return planToUrl(this.state);
  }

  updateFromUrl(values: SceneObjectUrlValues): void {
    this.setState(planFromUrl(values));
  }
}

/** The Plan page: no data source or time range (sizing is arithmetic on what the person enters), the inputs below. */
export function buildPlanScene(): EmbeddedScene {
  return new EmbeddedScene({
    body: new SceneFlexLayout({
      direction: 'column',
      children: [new SceneFlexItem({ body: new PlanInputsObject({ ...DEFAULT_PLAN }) })],
    }),
  });
}
