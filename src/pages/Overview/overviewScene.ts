import { SceneFlexItem, SceneFlexLayout, type EmbeddedScene } from '@grafana/scenes';
import { pageScene, sizedItem } from '../shared/pageScene';
import {
  buildAllocatedByNamespace,
  buildFleetOverTime,
  buildFleetStats,
  buildGpusByModel,
  buildNodesTable,
} from './overviewPanels';
import { inventoryData } from './inventoryQueries';
import { buildOverviewVariables } from './overviewVariables';
import { MissingDatasourceNotice } from './MissingDatasourceNotice';
import { OverviewLinks } from './OverviewLinks';

export const OVERVIEW_DEFAULT_RANGE = { from: 'now-24h', to: 'now' };

const STAT_SIZE_PX = { minHeight: 120, minWidth: 180 };
const CHART_SIZE_PX = { minHeight: 300, minWidth: 400 };

/** The Overview: fleet totals and breakdowns of the Headroom `inventory` query. */
export function buildOverviewScene(defaultDatasourceUid?: string): EmbeddedScene {
  return pageScene({
    defaultRange: OVERVIEW_DEFAULT_RANGE,
    variables: buildOverviewVariables(defaultDatasourceUid),
    body: new SceneFlexLayout({
      direction: 'column',
      children: [
        new SceneFlexItem({ body: new MissingDatasourceNotice({}) }),
        new SceneFlexItem({ body: new OverviewLinks({}) }),
        // The four stats and the chart below them read one fleet query.
        new SceneFlexLayout({
          direction: 'column',
          $data: inventoryData('fleet'),
          children: [
            new SceneFlexLayout({
              direction: 'row',
              wrap: 'wrap',
              children: buildFleetStats().map((stat) => sizedItem(stat, STAT_SIZE_PX)),
            }),
            sizedItem(buildFleetOverTime(), CHART_SIZE_PX),
          ],
        }),
        new SceneFlexLayout({
          direction: 'row',
          wrap: 'wrap',
          children: [
            sizedItem(buildGpusByModel(), CHART_SIZE_PX),
            sizedItem(buildAllocatedByNamespace(), CHART_SIZE_PX),
          ],
        }),
        sizedItem(buildNodesTable(), CHART_SIZE_PX),
      ],
    }),
  });
}
