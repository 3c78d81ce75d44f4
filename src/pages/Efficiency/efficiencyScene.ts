import { t } from '@grafana/i18n';
import { CustomVariable, SceneFlexLayout, SceneVariableSet, type EmbeddedScene } from '@grafana/scenes';
import { buildOverviewVariables } from '../Overview/overviewVariables';
import { pageScene, sizedItem } from '../shared/pageScene';
import {
  buildBudgetStats,
  buildSpotStat,
  buildBurnChart,
  buildMfuDistribution,
  buildWasteStats,
  buildWasteTable,
} from './efficiencyPanels';
import { efficiencyQueryRunner } from './efficiencyQueries';

/** A day: enough for the 6-hour idle window, a day's rhythm, and a quick first load on a large fleet. */
export const EFFICIENCY_DEFAULT_RANGE = { from: 'now-24h', to: 'now' };

const STAT_SIZE_PX = { minHeight: 110, minWidth: 180 };
const TABLE_SIZE_PX = { minHeight: 480, minWidth: 400 };
const CHART_SIZE_PX = { minHeight: 300, minWidth: 400 };

/** The Overview's data source and fleet filters, plus how waste rows are grouped and priced. */
function buildEfficiencyVariables(defaultDatasourceUid?: string): SceneVariableSet {
  return new SceneVariableSet({
    variables: [
      ...buildOverviewVariables(defaultDatasourceUid).state.variables.map((v) => v.clone()),
      new CustomVariable({
        name: 'rows',
        label: t('efficiency.rows.label', 'Rows'),
        query: [
          `${t('efficiency.rows.pod', 'Pod')} : pod`,
          `${t('variables.namespace', 'Namespace')} : namespace`,
          `${t('variables.gpu-model', 'GPU model')} : gpuModel`,
        ].join(', '),
        value: 'pod',
        description: t('efficiency.rows.description', 'One row per pod, or pods summed by namespace or GPU model.'),
      }),
      new CustomVariable({
        name: 'pricing',
        label: t('efficiency.pricing.label', 'Priced at'),
        query: [
          `${t('efficiency.pricing.on-demand', 'On-demand')} : onDemand`,
          `${t('efficiency.pricing.reserved', 'Reserved')} : reserved`,
          `${t('efficiency.pricing.spot', 'Spot')} : spot`,
        ].join(', '),
        value: 'onDemand',
        description: t('efficiency.pricing.description', 'Which price of the app configuration the GPU-hours are charged at.'),
      }),
    ],
  });
}

/** Efficiency: where allocated GPU-hours go idle and what that costs, the MFU estimate, and the month's burn. */
export function buildEfficiencyScene(defaultDatasourceUid?: string): EmbeddedScene {
  return pageScene({
    defaultRange: EFFICIENCY_DEFAULT_RANGE,
    variables: buildEfficiencyVariables(defaultDatasourceUid),
    body: new SceneFlexLayout({
      direction: 'column',
      children: [
        // The stats and the table read one waste query: the analysis runs once.
        new SceneFlexLayout({
          direction: 'column',
          $data: efficiencyQueryRunner('waste'),
          children: [
            new SceneFlexLayout({
              direction: 'row',
              wrap: 'wrap',
              children: buildWasteStats().map((s) => sizedItem(s, STAT_SIZE_PX)),
            }),
            sizedItem(buildWasteTable(), TABLE_SIZE_PX),
          ],
        }),
        // The budget stats and the burn chart read one burn query; the MFU panel beside the chart has its own.
        new SceneFlexLayout({
          direction: 'column',
          $data: efficiencyQueryRunner('burn'),
          children: [
            new SceneFlexLayout({
              direction: 'row',
              wrap: 'wrap',
              // The spot stat has its own query (spot nodes from kube-state-metrics).
              children: [...buildBudgetStats(), buildSpotStat()].map((s) => sizedItem(s, STAT_SIZE_PX)),
            }),
            new SceneFlexLayout({
              direction: 'row',
              wrap: 'wrap',
              children: [sizedItem(buildMfuDistribution(), CHART_SIZE_PX), sizedItem(buildBurnChart(), CHART_SIZE_PX)],
            }),
          ],
        }),
      ],
    }),
  });
}
