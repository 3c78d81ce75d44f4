import {
  SceneFlexItem,
  SceneFlexLayout,
  SceneObjectBase,
  SceneObjectUrlSyncConfig,
  SceneVariableSet,
  type EmbeddedScene,
  type SceneObjectUrlValues,
} from '@grafana/scenes';
import { pageScene } from '../shared/pageScene';
import { AlertsBody } from './AlertsBody';
import { DEFAULT_WATCH, WATCH_URL_KEYS, watchFromUrl, watchToUrl, type AlertsWatchState } from './alertsWatch';
import { headroomDatasourceVariable } from '../shared/headroomDatasourceVariable';

/** Four weeks: the band's training window, so the weekly rhythm is learnt and the backtest covers three weeks. */
export const ALERTS_DEFAULT_RANGE = { from: 'now-28d', to: 'now' };

/** What the page watches and how sensitive the rule is, kept in the URL. */
export class AlertsWatch extends SceneObjectBase<AlertsWatchState> {
  static Component = AlertsBody;
  protected _urlSync = new SceneObjectUrlSyncConfig(this, { keys: [...WATCH_URL_KEYS] });

  getUrlState(): SceneObjectUrlValues {
    return watchToUrl(this.state);
  }

  updateFromUrl(values: SceneObjectUrlValues): void {
    this.setState(watchFromUrl(values));
  }
}

/** The Alerts page: the Headroom data source and time range on top, the watch, band, backtest and rules below. */
export function buildAlertsScene(defaultDatasourceUid?: string): EmbeddedScene {
  return pageScene({
    defaultRange: ALERTS_DEFAULT_RANGE,
    variables: new SceneVariableSet({
      variables: [headroomDatasourceVariable(defaultDatasourceUid)],
    }),
    body: new SceneFlexLayout({
      direction: 'column',
      children: [new SceneFlexItem({ body: new AlertsWatch({ ...DEFAULT_WATCH }) })],
    }),
  });
}
