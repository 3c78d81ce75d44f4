/**
 * What a panel with several Headroom queries shows in Grafana: the data source's packets go through the harness's
 * copy of Grafana's runRequest, which files each packet under `key ?? data[0].refId ?? 'A'`, replaces the packet of
 * the same key and takes the state from the latest packet. The fleet is the tiny fleet in a real Prometheus; the
 * only stand-in is Grafana's backend service, which forwards the resource-proxy requests to it and holds back those
 * of target A until target B has answered, so that the answers arrive in the order that used to duplicate frames.
 */
import { get } from 'node:http';
import type { DataSourceApi, PanelData } from '@grafana/data';
import {
  setBackendSrv,
  setDataSourceSrv,
  type BackendSrv,
  type BackendSrvRequest,
  type DataSourceSrv,
} from '@grafana/runtime';
import { defer, lastValueFrom, tap } from 'rxjs';

import { runRequest } from '../../tests/browser/harness/host/runRequest';
import { toOpenMetrics } from '../../tests/kit/openMetrics';
import { startPrometheus, type RunningPrometheus } from '../../tests/kit/prometheus';
import { A100, H100, tinyFleetSeries } from '../../tests/kit/tinyFleet';
import { HeadroomDataSource } from './datasource';
import { headroomSettings, queryRequest } from './testing/queryRequest';
import { GrafanaTemplateSrv } from './testing/sceneTemplateSrv';
import type { HeadroomQuery } from './types';

const START_SECONDS = 1_700_006_400;
const PROMETHEUS_UID = 'prom';
const RESOURCES_PATH = `/api/datasources/uid/${PROMETHEUS_UID}/resources`;

let prometheus: RunningPrometheus;

beforeAll(async () => {
  prometheus = await startPrometheus({
    openMetricsText: toOpenMetrics(tinyFleetSeries({ startSeconds: START_SECONDS })),
  });
}, 60_000);

afterAll(() => prometheus?.stop());

/** GET on the real Prometheus, answered the way Grafana's backend service answers: thrown for non-2xx. */
function prometheusGet(options: BackendSrvRequest): Promise<{ status: number; data: unknown }> {
  const search = new URLSearchParams(options.params as Record<string, string>).toString();
  const url = `${prometheus.url}${options.url.slice(RESOURCES_PATH.length)}?${search}`;
  return new Promise((resolve, reject) => {
    get(url, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => {
        const answer = { status: response.statusCode ?? 0, data: JSON.parse(text) };
        (answer.status < 300 ? resolve : reject)(answer);
      });
    }).on('error', reject);
  });
}

/** Holds every request whose PromQL mentions `heldText` until `release()`. */
function useBackendHolding(heldText: string): { release: () => void; heldCount: () => number } {
  let release = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  let held = 0;
  setBackendSrv({
    fetch: (options: BackendSrvRequest) =>
      defer(async () => {
        if (String(options.params?.query ?? '').includes(heldText)) {
          held++;
          await released;
        }
        return prometheusGet(options);
      }),
  } as unknown as BackendSrv);
  // The Prometheus data source as Grafana's DataSourceSrv knows it: no timeout of its own, so Grafana's default.
  setDataSourceSrv({ getInstanceSettings: () => ({ uid: PROMETHEUS_UID, jsonData: {} }) } as unknown as DataSourceSrv);
  return { release, heldCount: () => held };
}

function headroom(): DataSourceApi {
  const datasource = new HeadroomDataSource(
    headroomSettings({ prometheusUid: PROMETHEUS_UID }),
    new GrafanaTemplateSrv()
  );
  return datasource as unknown as DataSourceApi;
}

/** Every emission of runRequest, releasing the held requests once target B's frames show. */
async function panelStates(targets: HeadroomQuery[], backend: { release: () => void }): Promise<PanelData[]> {
  const emitted: PanelData[] = [];
  await lastValueFrom(
    runRequest(headroom(), queryRequest(targets, START_SECONDS * 1000)).pipe(
      tap((data) => {
        emitted.push(data);
        if (data.series.some((frame) => frame.refId === 'B')) {
          backend.release();
        }
      })
    )
  );
  return emitted;
}

const framesOf = (data: PanelData) => data.series.map((frame) => `${frame.refId}:${frame.name}`);

describe('HeadroomDataSource packets through Grafana’s runRequest', () => {
  it('shows each frame of two targets once, Loading until the slower one answers, then Done', async () => {
    // A, the fleet of node-a, is held back; B, the fleet by GPU model, answers first.
    const backend = useBackendHolding('node-a');
    const states = await panelStates(
      [
        { refId: 'A', queryType: 'inventory', inventoryView: 'fleet', node: 'node-a' },
        { refId: 'B', queryType: 'inventory', inventoryView: 'byModel' },
      ],
      backend
    );

    expect(backend.heldCount()).toBeGreaterThan(0);
    for (const data of states) {
      expect(framesOf(data)).toEqual([...new Set(framesOf(data))]);
    }
    // B's two models while A still loads, then A's fleet frame and B's, each once.
    const firstWithFrames = states.find((data) => data.series.length > 0)!;
    expect(firstWithFrames.state).toBe('Loading');
    expect(framesOf(firstWithFrames)).toEqual([`B:${A100}`, `B:${H100}`]);
    const last = states[states.length - 1];
    expect(last.state).toBe('Done');
    expect(last.errors).toBeUndefined();
    expect(framesOf(last)).toEqual(['A:Fleet', `B:${A100}`, `B:${H100}`]);
  }, 30_000);

  it("is in the Error state with the failed target's error while the other's frames show", async () => {
    const backend = useBackendHolding('node-a');
    const states = await panelStates(
      [
        { refId: 'A', queryType: 'fragmentation', workloadDays: '0' },
        { refId: 'B', queryType: 'inventory', inventoryView: 'byModel' },
      ],
      backend
    );

    const last = states[states.length - 1];
    expect(last.state).toBe('Error');
    expect(last.errors).toEqual([
      {
        refId: 'A',
        message: 'Workload days must be a number from 1 to 90 (days of GPU requests to learn from), got "0".',
      },
    ]);
    // Beside the error, the frame with the code of its message, for the panels to word it (frames/frameTexts.ts).
    expect(framesOf(last)).toEqual(['A:Error text', `B:${A100}`, `B:${H100}`]);
  }, 30_000);
});
