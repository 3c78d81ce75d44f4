// `/d/<uid>/<slug>`: a dashboard JSON the app ships, as the smallest faithful stand-in for Grafana 12's dashboard
// loader (public/app/features/dashboard-scene/serialization/transformSaveModelToScene.ts): the JSON comes from
// `/api/dashboards/uid/<uid>` (server.ts reads the app's dashboard includes, as Grafana imported them), its data source
// variables become DataSourceVariables, `gridPos` a SceneGridItem of a SceneGridLayout, each panel a VizPanel keyed
// `panel-<id>` with its plugin id, title, description, options and fieldConfig, fed a SceneQueryRunner with its
// targets and data source (and a SceneDataTransformer for its transformations). `?viewPanel=panel-<id>` shows that
// panel alone, as Grafana does. Not done: rows, repeats, library panels, links, annotations, other variable types,
// schema migrations (the JSON must be of the current schema), the "-- Dashboard --" data source, and lazy loading
// (every panel queries at once, so a full-page screenshot shows them all).
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
  SceneVariableSet,
  VariableValueSelectors,
  VizPanel,
  type SceneDataProvider,
  type SceneObject,
} from '@grafana/scenes';
import type { DataQuery, DataTransformerConfig, FieldConfigSource } from '@grafana/data';
import { getBackendSrv } from '@grafana/runtime';
import { Alert, LoadingPlaceholder } from '@grafana/ui';
import React, { useEffect, useState } from 'react';
import { useLocation, useParams } from 'react-router';
import type { DashboardJson, PanelJson } from '../../../kit/dashboardJson';
import { rawTime } from './PanelHost';

const VIEW_PANEL_HEIGHT_PX = 640;

function panelData(panel: PanelJson): SceneDataProvider | undefined {
  if (!panel.targets?.length) {
    return undefined;
  }
  const runner = new SceneQueryRunner({
    datasource: panel.datasource,
    queries: panel.targets as DataQuery[],
    ...(panel.maxDataPoints ? { maxDataPoints: panel.maxDataPoints } : {}),
  });
  return panel.transformations?.length
    ? new SceneDataTransformer({ $data: runner, transformations: panel.transformations as DataTransformerConfig[] })
    : runner;
}

function vizPanel(panel: PanelJson): VizPanel {
  return new VizPanel({
    key: `panel-${panel.id}`,
    pluginId: panel.type,
    title: panel.title,
    description: panel.description,
    options: panel.options ?? {},
    fieldConfig: (panel.fieldConfig ?? { defaults: {}, overrides: [] }) as FieldConfigSource,
    $data: panelData(panel),
  });
}

function buildDashboardScene(dashboard: DashboardJson, search: URLSearchParams): EmbeddedScene {
  const variables = dashboard.templating.list
    .filter((v) => v.type === 'datasource')
    .map((v) => new DataSourceVariable({ name: v.name, label: v.label, pluginId: v.query ?? '' }));
  const viewed = dashboard.panels.find((p) => `panel-${p.id}` === search.get('viewPanel'));
  const body: SceneObject = viewed
    ? new SceneFlexLayout({
        direction: 'column',
        children: [new SceneFlexItem({ height: VIEW_PANEL_HEIGHT_PX, body: vizPanel(viewed) })],
      })
    : new SceneGridLayout({
        isLazy: false,
        isDraggable: false,
        isResizable: false,
        children: dashboard.panels.map(({ gridPos: { x, y, w, h }, ...panel }) => {
          const body = vizPanel({ ...panel, gridPos: { x, y, w, h } });
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
