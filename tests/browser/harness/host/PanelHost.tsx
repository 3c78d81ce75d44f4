// `/panel/<panelId>`: one panel plugin on its own, in a scene as a Grafana 12 dashboard would hold it. With
// `?query=<json>` the panel reads that Headroom query; without, it gets an empty, finished result (its empty state).
import { dateTime, LoadingState } from '@grafana/data';
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

function buildPanelScene(pluginId: string, search: URLSearchParams): EmbeddedScene {
  const timeRange = new SceneTimeRange({ from: search.get('from') ?? 'now-24h', to: search.get('to') ?? 'now' });
  const query = search.get('query');
  const $data = query
    ? new SceneQueryRunner({ datasource: { uid: HEADROOM_UID }, queries: [{ refId: 'A', ...JSON.parse(query) }] })
    : new SceneDataNode({
        data: {
          state: LoadingState.Done,
          series: [],
          timeRange: { from: dateTime(0), to: dateTime(0), raw: { from: 'now-24h', to: 'now' } },
        },
      });
  return new EmbeddedScene({
    $timeRange: timeRange,
    body: new SceneFlexLayout({
      direction: 'column',
      children: [
        new SceneFlexItem({
          width: Number(search.get('width') ?? DEFAULT_SIZE_PX.width),
          height: Number(search.get('height') ?? DEFAULT_SIZE_PX.height),
          body: new VizPanel({ pluginId, title: search.get('title') ?? pluginId, $data }),
        }),
      ],
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
