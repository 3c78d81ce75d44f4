// `/panel/<panelId>`: one panel plugin on its own, in a scene as a Grafana 12 dashboard would hold it. With
// `?query=<json>` the panel reads that Headroom query; without, it gets an empty, finished result (its empty state).
// `?repeat=<n>` lays out n copies, a dashboard of n panels, each with `{i}` in the query replaced by its index.
import { LoadingState, rangeUtil } from '@grafana/data';
import {
  EmbeddedScene,
  SceneDataNode,
  SceneFlexItem,
  SceneFlexLayout,
  SceneQueryRunner,
  SceneTimeRange,
  VizPanel,
} from '@grafana/scenes';
import React, { useMemo } from 'react';
import { useLocation, useParams } from 'react-router';
import { HEADROOM_UID } from './catalog';

const DEFAULT_SIZE_PX = { width: 900, height: 420 };

/** `from`/`to` as the app pages take them from the URL: epoch milliseconds, ISO dates or relative (`now-24h`). */
function rawTime(value: string | null, fallback: string): string {
  return value && /^\d+$/.test(value) ? new Date(Number(value)).toISOString() : (value ?? fallback);
}

function buildPanel(pluginId: string, search: URLSearchParams, index: number): SceneFlexItem {
  const raw = timeRangeOf(search);
  const query = search.get('query')?.replaceAll('{i}', String(index));
  const $data = query
    ? new SceneQueryRunner({ datasource: { uid: HEADROOM_UID }, queries: [{ refId: 'A', ...JSON.parse(query) }] })
    : new SceneDataNode({
        data: {
          state: LoadingState.Done,
          series: [],
          timeRange: rangeUtil.convertRawToRange(raw),
        },
      });
  const title = search.get('title') ?? pluginId;
  return new SceneFlexItem({
    width: Number(search.get('width') ?? DEFAULT_SIZE_PX.width),
    height: Number(search.get('height') ?? DEFAULT_SIZE_PX.height),
    body: new VizPanel({ pluginId, title: index > 0 ? `${title} ${index}` : title, $data }),
  });
}

function timeRangeOf(search: URLSearchParams) {
  return { from: rawTime(search.get('from'), 'now-24h'), to: rawTime(search.get('to'), 'now') };
}

function buildPanelScene(pluginId: string, search: URLSearchParams): EmbeddedScene {
  const count = Math.max(1, Number(search.get('repeat') ?? 1));
  return new EmbeddedScene({
    $timeRange: new SceneTimeRange(timeRangeOf(search)),
    body: new SceneFlexLayout({
      direction: count > 1 ? 'row' : 'column',
      wrap: 'wrap',
      children: Array.from({ length: count }, (_, index) => buildPanel(pluginId, search, index)),
    }),
  });
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
