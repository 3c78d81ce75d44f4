import { SceneFlexItem, SceneFlexLayout, type EmbeddedScene } from '@grafana/scenes';
import { pageScene, sizedItem } from '../shared/pageScene';
import {
  buildBacktestTable,
  buildCostMixTable,
  buildForecastPanel,
  buildGpusNeeded,
  buildScheduleTable,
} from './forecastPanels';
import { ForecastManifests } from './ForecastManifests';
import { ForecastWhatIf } from './ForecastWhatIf';
import { capacityQueryRunner } from './forecastQueries';
import { buildForecastVariables } from './forecastVariables';

/** The forecast starts at the end of the range; the query takes its 28 days of history before that. */
export const FORECAST_DEFAULT_RANGE = { from: 'now-7d', to: 'now' };

const FORECAST_SIZE_PX = { minHeight: 480, minWidth: 400 };
const TABLE_SIZE_PX = { minHeight: 300, minWidth: 400 };
/**
 * Five columns, two of them date-times: wider than half a laptop screen. A table column is at least 150 px unless
 * its field sets a smaller minWidth, so 5 × 150 px plus the panel's padding; narrower screens wrap the row.
 */
const SCHEDULE_SIZE_PX = { minHeight: 300, minWidth: 790 };
/**
 * A row per GPU model of the fleet and a total: five rows for a fleet of four models, each a few lines high where
 * its price source wraps in the column left beside the figures.
 */
const COST_MIX_SIZE_PX = { minHeight: 480, minWidth: 400 };

/** The Forecast: one Headroom `capacity` query, drawn as the forecast chart and the plan's tables. */
export function buildForecastScene(defaultDatasourceUid?: string): EmbeddedScene {
  return pageScene({
    defaultRange: FORECAST_DEFAULT_RANGE,
    variables: buildForecastVariables(defaultDatasourceUid),
    // One query for the whole page: the forecast runs once, each panel shows its part of the answer.
    body: new SceneFlexLayout({
      direction: 'column',
      $data: capacityQueryRunner(),
      children: [
        sizedItem(buildForecastPanel(), FORECAST_SIZE_PX),
        // Right under the forecast it changes; sized by its content (the form, or the form and the comparison).
        new SceneFlexItem({ minWidth: 400, body: new ForecastWhatIf() }),
        new SceneFlexLayout({
          direction: 'row',
          wrap: 'wrap',
          children: [sizedItem(buildScheduleTable(), SCHEDULE_SIZE_PX), sizedItem(buildGpusNeeded(), TABLE_SIZE_PX)],
        }),
        // Below the schedule it turns into objects; sized by its content (the YAML scrolls past 480 px).
        new SceneFlexItem({ minWidth: 400, body: new ForecastManifests() }),
        // Full width: the backtest and the cost mix have more columns than half a screen shows.
        sizedItem(buildBacktestTable(), TABLE_SIZE_PX),
        sizedItem(buildCostMixTable(), COST_MIX_SIZE_PX),
      ],
    }),
  });
}
