import {
  EmbeddedScene,
  SceneControlsSpacer,
  SceneFlexItem,
  SceneFlexLayout,
  SceneRefreshPicker,
  SceneTimePicker,
  SceneTimeRange,
  VariableValueSelectors,
  type VizPanel,
} from '@grafana/scenes';
import {
  buildAllocatedByNamespace,
  buildFleetOverTime,
  buildFleetStats,
  buildGpusByModel,
  buildNodesTable,
} from './overviewPanels';
import { inventoryQueryRunner } from './inventoryQueries';
import { buildOverviewVariables } from './overviewVariables';
import { MissingDatasourceNotice } from './MissingDatasourceNotice';
import { OverviewLinks } from './OverviewLinks';

export const OVERVIEW_DEFAULT_RANGE = { from: 'now-24h', to: 'now' };

const STAT_SIZE_PX = { minHeight: 120, minWidth: 180 };
const CHART_SIZE_PX = { minHeight: 300, minWidth: 400 };

function item(body: VizPanel, size: { minHeight: number; minWidth: number }): SceneFlexItem {
  return new SceneFlexItem({ ...size, body });
}

/** The Overview: fleet totals and breakdowns of the Headroom `inventory` query. */
export function buildOverviewScene(defaultDatasourceUid?: string): EmbeddedScene {
  return new EmbeddedScene({
    $timeRange: new SceneTimeRange(OVERVIEW_DEFAULT_RANGE),
    $variables: buildOverviewVariables(defaultDatasourceUid),
    controls: [
      new VariableValueSelectors({}),
      new SceneControlsSpacer(),
      new SceneTimePicker({}),
      new SceneRefreshPicker({}),
    ],
    body: new SceneFlexLayout({
      direction: 'column',
      children: [
        new SceneFlexItem({ body: new MissingDatasourceNotice({}) }),
        new SceneFlexItem({ body: new OverviewLinks({}) }),
        // The four stats and the chart below them read one fleet query.
        new SceneFlexLayout({
          direction: 'column',
          $data: inventoryQueryRunner('fleet'),
          children: [
            new SceneFlexLayout({
              direction: 'row',
              wrap: 'wrap',
              children: buildFleetStats().map((stat) => item(stat, STAT_SIZE_PX)),
            }),
            item(buildFleetOverTime(), CHART_SIZE_PX),
          ],
        }),
        new SceneFlexLayout({
          direction: 'row',
          wrap: 'wrap',
          children: [item(buildGpusByModel(), CHART_SIZE_PX), item(buildAllocatedByNamespace(), CHART_SIZE_PX)],
        }),
        item(buildNodesTable(), CHART_SIZE_PX),
      ],
    }),
  });
}
