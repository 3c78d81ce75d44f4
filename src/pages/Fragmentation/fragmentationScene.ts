import { SceneFlexLayout, type EmbeddedScene } from '@grafana/scenes';
import { buildOverviewVariables } from '../Overview/overviewVariables';
import { pageScene, sizedItem } from '../shared/pageScene';
import {
  buildDefragMoves,
  buildDefragSummary,
  buildGridPanel,
  buildJobsFitTable,
  buildOverTimePanel,
  buildSummaryStats,
} from './fragmentationPanels';
import { snapshotQueryRunner } from './fragmentationQueries';

export const FRAGMENTATION_DEFAULT_RANGE = { from: 'now-24h', to: 'now' };

const STAT_SIZE_PX = { minHeight: 110, minWidth: 150 };
const GRID_SIZE_PX = { minHeight: 300, minWidth: 400 };
const TABLE_SIZE_PX = { minHeight: 260, minWidth: 400 };
const JOBS_SIZE_PX = { minHeight: 420, minWidth: 400 };
const DEFRAG_SUMMARY_SIZE_PX = { minHeight: 120, minWidth: 400 };
/** Enough for a few moves; most of the time none is needed and the panel says so. */
const DEFRAG_MOVES_SIZE_PX = { minHeight: 180, minWidth: 400 };

/** The Fragmentation page: the newest state (stats, grid, jobs that fit, defrag plan) and FGD over the range. */
export function buildFragmentationScene(defaultDatasourceUid?: string): EmbeddedScene {
  return pageScene({
    defaultRange: FRAGMENTATION_DEFAULT_RANGE,
    // The same data source and node / namespace / GPU model filters as the Overview.
    variables: buildOverviewVariables(defaultDatasourceUid),
    // One runner for the newest state, read by every panel but the one over time, which runs its own.
    body: new SceneFlexLayout({
      direction: 'column',
      $data: snapshotQueryRunner(),
      children: [
        new SceneFlexLayout({
          direction: 'row',
          wrap: 'wrap',
          children: buildSummaryStats().map((stat) => sizedItem(stat, STAT_SIZE_PX)),
        }),
        sizedItem(buildGridPanel(), GRID_SIZE_PX),
        sizedItem(buildJobsFitTable(), JOBS_SIZE_PX),
        sizedItem(buildOverTimePanel(), TABLE_SIZE_PX),
        sizedItem(buildDefragSummary(), DEFRAG_SUMMARY_SIZE_PX),
        sizedItem(buildDefragMoves(), DEFRAG_MOVES_SIZE_PX),
      ],
    }),
  });
}
