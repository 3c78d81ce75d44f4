// `/panel/<panelId>`: one panel plugin on its own, in a scene as a Grafana 12 dashboard would hold it. With
// `?query=<json>` the panel reads that Headroom query (refId A), with `?queries=<json array>` those queries (refIds
// their own); without either, it gets an empty, finished result (its empty state).
// `?repeat=<n>` lays out n copies, a dashboard of n panels, each with `{i}` in the query replaced by its index: in a
// wrapping row of `width` × `height` pixels, or with `?layout=grid` in the grid a Grafana 12 dashboard uses (four
// panels a row), whose panels query only once scrolled into view unless `?lazy=0` (a dashboard set to preload).
import { LoadingState, rangeUtil } from '@grafana/data';
import {
  EmbeddedScene,
  SceneDataNode,
  SceneFlexItem,
  SceneFlexLayout,
  SceneGridItem,
  SceneGridLayout,
  SceneQueryRunner,
  SceneTimeRange,
  VizPanel,
} from '@grafana/scenes';
import React, { useMemo } from 'react';
import { useLocation, useParams } from 'react-router';
import { HEADROOM_UID } from './catalog';

const DEFAULT_SIZE_PX = { width: 900, height: 420 };

/** `from`/`to` as the app pages take them from the URL: epoch milliseconds, ISO dates or relative (`now-24h`). */
export function rawTime(value: string | null, fallback: string): string {
  return value && /^\d+$/.test(value) ? new Date(Number(value)).toISOString() : (value ?? fallback);
}

/** A quarter of the dashboard's 24 columns, 7 rows of 30 px: four panels of about 250 px a row. */
const GRID_PANEL = { width: 6, height: 7 };

function buildPanel(pluginId: string, search: URLSearchParams, index: number): VizPanel {
  const raw = timeRangeOf(search);
  const query = search.get('query')?.replaceAll('{i}', String(index));
  const queries = search.get('queries');
  const $data =
    query || queries
      ? new SceneQueryRunner({
          datasource: { uid: HEADROOM_UID },
          queries: queries ? JSON.parse(queries) : [{ refId: 'A', ...JSON.parse(query!) }],
        })
      : new SceneDataNode({
          data: {
            state: LoadingState.Done,
            series: [],
            timeRange: rangeUtil.convertRawToRange(raw),
          },
        });
  const title = search.get('title') ?? pluginId;
  return new VizPanel({ pluginId, title: index > 0 ? `${title} ${index}` : title, $data });
}

function timeRangeOf(search: URLSearchParams) {
  return { from: rawTime(search.get('from'), 'now-24h'), to: rawTime(search.get('to'), 'now') };
}

function buildPanelScene(pluginId: string, search: URLSearchParams): EmbeddedScene {
  const count = Math.max(1, Number(search.get('repeat') ?? 1));
  const panels = Array.from({ length: count }, (_, index) => buildPanel(pluginId, search, index));
  const perRow = 24 / GRID_PANEL.width;
  const body =
    search.get('layout') === 'grid'
      ? new SceneGridLayout({
          isLazy: search.get('lazy') !== '0',
          children: panels.map(
            (panel, index) =>
              new SceneGridItem({
                x: (index % perRow) * GRID_PANEL.width,
                y: Math.floor(index / perRow) * GRID_PANEL.height,
                ...GRID_PANEL,
                body: panel,
              })
          ),
        })
      : new SceneFlexLayout({
          direction: count > 1 ? 'row' : 'column',
          wrap: 'wrap',
          children: panels.map(
            (panel) =>
              new SceneFlexItem({
                width: Number(search.get('width') ?? DEFAULT_SIZE_PX.width),
                height: Number(search.get('height') ?? DEFAULT_SIZE_PX.height),
                body: panel,
              })
          ),
        });
  return new EmbeddedScene({ $timeRange: new SceneTimeRange(timeRangeOf(search)), body });
}

export function PanelHost() {
  const { panelId = '' } = useParams();
  const { search } = useLocation();
  const scene = useMemo(() => buildPanelScene(panelId, new URLSearchParams(search)), [panelId, search]);
  return (
    <div style={{ padding: 16 }}>
      <scene.Component model={scene} />
    </div>
  );
}
