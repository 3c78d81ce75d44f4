import { t } from '@grafana/i18n';
/**
 * The launch what-if's comparison: baseline on the left, the scenario on the right, drawn by the page's own panels
 * (the scenario's through a transformer that gives its frames the baseline's names), then the hours whose GPUs
 * change and the totals side by side.
 */
import { PanelBuilders, SceneDataTransformer, SceneFlexItem, SceneFlexLayout, type VizPanel } from '@grafana/scenes';
import { map } from 'rxjs';
import type { DataFrame } from '@grafana/data';
import { WHAT_IF_FRAMES } from '../../datasource/forecast/whatIfFrames';
import { overrideFields } from '../shared/fieldText';
import type { SizePx } from '../shared/pageScene';
import { buildForecastPanel, buildScheduleTable, gpuTable, gpuTableFields } from './forecastPanels';
import { frameNamed } from './forecastQueries';
import { scenarioFrames } from './forecastWhatIf';

const CHART_SIZE_PX = { minHeight: 400, minWidth: 400 };
const TABLE_SIZE_PX = { minHeight: 300, minWidth: 400 };

/** The page's answer as the scenario's, for the panels on the right. */
function scenarioData(): SceneDataTransformer {
  return new SceneDataTransformer({
    transformations: [() => (source) => source.pipe(map((frames: DataFrame[]) => scenarioFrames(frames)))],
  });
}

function item(body: VizPanel, size: SizePx, scenario = false): SceneFlexItem {
  return new SceneFlexItem({ ...size, body, ...(scenario ? { $data: scenarioData() } : {}) });
}

function titled(panel: VizPanel, title: string): VizPanel {
  panel.setState({ title });
  return panel;
}

const row = (children: SceneFlexItem[]) => new SceneFlexLayout({ direction: 'row', wrap: 'wrap', children });

export function buildWhatIfComparison(): SceneFlexLayout {
  return new SceneFlexLayout({
    direction: 'column',
    children: [
      row([
        item(
          titled(buildForecastPanel(), t('forecast.what-if.panels.baseline-forecast', 'Demand forecast: baseline')),
          CHART_SIZE_PX
        ),
        item(
          titled(
            buildForecastPanel(),
            t('forecast.what-if.panels.scenario-forecast', 'Demand forecast: with the launch')
          ),
          CHART_SIZE_PX,
          true
        ),
      ]),
      row([
        item(
          titled(buildScheduleTable(), t('forecast.what-if.panels.baseline-schedule', 'Scaling schedule: baseline')),
          TABLE_SIZE_PX
        ),
        item(
          titled(
            buildScheduleTable(),
            t('forecast.what-if.panels.scenario-schedule', 'Scaling schedule: with the launch')
          ),
          TABLE_SIZE_PX,
          true
        ),
      ]),
      row([item(changedHoursTable(), TABLE_SIZE_PX), item(totalsTable(), TABLE_SIZE_PX)]),
    ],
  });
}

function changedHoursTable(): VizPanel {
  return gpuTable(
    t('forecast.what-if.panels.changed-hours.title', 'GPUs needed: hours the launch changes'),
    t(
      'forecast.what-if.panels.changed-hours.description',
      'Only the hours whose GPUs needed differ: the baseline plan, the plan with the launch, the difference.'
    ),
    WHAT_IF_FRAMES.changedHours
  );
}

function totalsTable(): VizPanel {
  return PanelBuilders.table()
    .setTitle(t('forecast.what-if.panels.totals.title', 'Totals: baseline and with the launch'))
    .setDescription(
      t(
        'forecast.what-if.panels.totals.description',
        'Over the whole horizon: peak GPUs, GPU-hours, the cost of the reserved / on-demand / spot mix (its expected cost per hour × hours) and the mix’s totals. Cost rows need GPU prices (app configuration or list prices).'
      )
    )
    .setData(frameNamed(WHAT_IF_FRAMES.costComparison))
    .setOverrides((overrides) => {
      overrides.matchFieldsWithName('Over the horizon').overrideCustomFieldConfig('width', 190);
      // The row names (`Peak GPUs needed`, ...) and the cells' units are text the frame writes: English.
      overrideFields(overrides, gpuTableFields());
    })
    .build();
}
