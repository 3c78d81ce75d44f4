// `/d/<uid>/<slug>`: a dashboard JSON the app ships, as the smallest faithful stand-in for Grafana 12's dashboard
// loader (public/app/features/dashboard-scene/serialization/transformSaveModelToScene.ts): the JSON comes from
// `/api/dashboards/uid/<uid>` (server.ts reads the app's dashboard includes, as Grafana imported them), its data source
// variables become DataSourceVariables, `gridPos` a SceneGridItem of a SceneGridLayout, each panel a VizPanel keyed
// `panel-<id>` with its plugin id, title, description, options and fieldConfig, fed a SceneQueryRunner with its
// targets and data source (and a SceneDataTransformer for its transformations). `?viewPanel=panel-<id>` shows that
// panel alone, as Grafana does. Not done: rows, repeats, library panels, links, annotations, other variable types,
// schema migrations (the JSON must be of the current schema), the dashboard data source's `withTransforms`, and lazy
// loading (every panel queries at once, so a full-page screenshot shows them all). A panel of the "-- Dashboard --"
// data source shows its source panel's results, as Grafana's dashboard data source does (not in `viewPanel` mode,
// where the source panel is not built).
import {
  DataSourceVariable,
  EmbeddedScene,
  SceneDataTransformer,
  SceneFlexItem,
  SceneFlexLayout,
  SceneGridItem,
  SceneGridLayout,
  SceneQueryRunner,
  SceneTimeRange,
  SceneObjectBase,
  SceneVariableSet,
  VariableValueSelectors,
  VizPanel,
  type SceneDataProvider,
  type SceneObject,
  type SceneObjectState,
} from '@grafana/scenes';
import type { DataQuery, DataTransformerConfig, FieldConfigSource, PanelData } from '@grafana/data';
import { getBackendSrv } from '@grafana/runtime';
import { Alert, LoadingPlaceholder } from '@grafana/ui';
import React, { useEffect, useState } from 'react';
import { useLocation, useParams } from 'react-router';
import type { DashboardJson, PanelJson } from '../../../kit/dashboardJson';
import { rawTime } from './PanelHost';

const VIEW_PANEL_HEIGHT_PX = 640;

/** Grafana's "-- Dashboard --" data source: a panel shows the results of another panel's queries. */
export const DASHBOARD_DATASOURCE_UID = '-- Dashboard --';

interface SharedDataState extends SceneObjectState {
  data?: PanelData;
  source: SceneQueryRunner;
}

/**
 * Another panel's query results, as Grafana's dashboard data source gives them (its query subscribes to the source
 * panel's query runner, public/app/plugins/datasource/dashboard/datasource.ts): the source runs once for both.
 */
class SharedPanelData extends SceneObjectBase<SharedDataState> implements SceneDataProvider<SharedDataState> {
  constructor(state: SharedDataState) {
    super(state);
    this.addActivationHandler(() => {
      const { source } = this.state;
      this.setState({ data: source.state.data });
      const subscription = source.subscribeToState((next) => this.setState({ data: next.data }));
      return () => subscription.unsubscribe();
    });
  }

  setContainerWidth() {}

  isDataReadyToDisplay() {
    return true;
  }

  cancelQuery() {}

  getResultsStream() {
    return this.state.source.getResultsStream();
  }
}

function panelData(panel: PanelJson, runners: Map<number, SceneQueryRunner>): SceneDataProvider | undefined {
  if (!panel.targets?.length) {
    return undefined;
  }
  if (panel.datasource?.uid === DASHBOARD_DATASOURCE_UID) {
    const source = runners.get(Number(panel.targets[0].panelId));
    if (!source) {
      throw new Error(`Panel ${panel.id} shows the results of panel ${panel.targets[0].panelId}, which has no queries`);
    }
    const shared = new SharedPanelData({ source });
    return panel.transformations?.length
      ? new SceneDataTransformer({ $data: shared, transformations: panel.transformations as DataTransformerConfig[] })
      : shared;
  }
  const runner = runners.get(panel.id)!;
  return panel.transformations?.length
    ? new SceneDataTransformer({ $data: runner, transformations: panel.transformations as DataTransformerConfig[] })
    : runner;
}

function queryRunner(panel: PanelJson): SceneQueryRunner {
  return new SceneQueryRunner({
    datasource: panel.datasource,
    queries: panel.targets as DataQuery[],
    ...(panel.maxDataPoints ? { maxDataPoints: panel.maxDataPoints } : {}),
  });
}

function vizPanel(panel: PanelJson, runners: Map<number, SceneQueryRunner>): VizPanel {
  return new VizPanel({
    key: `panel-${panel.id}`,
    pluginId: panel.type,
    title: panel.title,
    description: panel.description,
    options: panel.options ?? {},
    fieldConfig: (panel.fieldConfig ?? { defaults: {}, overrides: [] }) as FieldConfigSource,
    $data: panelData(panel, runners),
  });
}

function buildDashboardScene(dashboard: DashboardJson, search: URLSearchParams): EmbeddedScene {
  const variables = dashboard.templating.list
    .filter((v) => v.type === 'datasource')
    .map((v) => new DataSourceVariable({ name: v.name, label: v.label, pluginId: v.query ?? '' }));
  const runners = new Map(
    dashboard.panels
      .filter((p) => p.targets?.length && p.datasource?.uid !== DASHBOARD_DATASOURCE_UID)
      .map((p) => [p.id, queryRunner(p)])
  );
  const viewed = dashboard.panels.find((p) => `panel-${p.id}` === search.get('viewPanel'));
  const body: SceneObject = viewed
    ? new SceneFlexLayout({
        direction: 'column',
        children: [new SceneFlexItem({ height: VIEW_PANEL_HEIGHT_PX, body: vizPanel(viewed, runners) })],
      })
    : new SceneGridLayout({
        isLazy: false,
        isDraggable: false,
        isResizable: false,
        children: dashboard.panels.map(({ gridPos: { x, y, w, h }, ...panel }) => {
          const body = vizPanel({ ...panel, gridPos: { x, y, w, h } }, runners);
          return new SceneGridItem({ key: `grid-item-${panel.id}`, x, y, width: w, height: h, body });
        }),
      });
  return new EmbeddedScene({
    $timeRange: new SceneTimeRange({
      from: rawTime(search.get('from'), dashboard.time.from),
      to: rawTime(search.get('to'), dashboard.time.to),
    }),
    $variables: new SceneVariableSet({ variables }),
    controls: [new VariableValueSelectors({})],
    body,
  });
}

type Loaded = { dashboard: DashboardJson } | { error: string };

export function DashboardHost() {
  const { uid = '' } = useParams();
  const { search } = useLocation();
  const [loaded, setLoaded] = useState<Loaded>();
  const [scene, setScene] = useState<EmbeddedScene>();

  useEffect(() => {
    getBackendSrv()
      .get<{ dashboard: DashboardJson }>(`/api/dashboards/uid/${encodeURIComponent(uid)}`)
      .then(
        ({ dashboard }) => {
          setLoaded({ dashboard });
          setScene(buildDashboardScene(dashboard, new URLSearchParams(search)));
        },
        (error: { data?: { message?: string } }) => setLoaded({ error: error.data?.message ?? String(error) })
      );
  }, [uid, search]);

  if (!loaded) {
    return <LoadingPlaceholder text="Loading dashboard..." />;
  }
  if ('error' in loaded) {
    return <Alert title="Dashboard not found">{loaded.error}</Alert>;
  }
  return (
    <div style={{ padding: 16 }}>
      <h1>{loaded.dashboard.title}</h1>
      {scene && <scene.Component model={scene} />}
    </div>
  );
}
