// A simulated GPU fleet's history in a real Prometheus, with the simulator's ground truth about it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defaultFleetSpec } from '../../../src/simulator/defaultFleet';
import { writeOpenMetricsHistory, type HistorySummary } from '../../../src/simulator/history';
import { startPrometheus, type StartPrometheusOptions } from '../../kit/prometheus';

export interface HistoryWindow {
  endSeconds: number;
  days: number;
  stepSeconds: number;
}

// A fixed end keeps dates in screenshots stable; 12 hours of 5-minute samples backfill in a few seconds.
const HISTORY: HistoryWindow = { endSeconds: Date.UTC(2025, 5, 2, 12, 0, 0) / 1000, days: 0.5, stepSeconds: 300 };
/**
 * Forecasts need days of history, on the forecast's own hourly step. Backfill time grows with the days (promtool
 * writes one block per 2 h: 14 days took 70 s here), so 8 days: a week plus a day to hold out for the backtest.
 */
export const FORECAST_HISTORY: HistoryWindow = { ...HISTORY, days: 8, stepSeconds: 3600 };
export const FLEET = { gpuCount: 24, seed: 7 };

export interface SimulatedFleet {
  truth: HistorySummary;
  prometheusUrl: string;
  /** The whole history as a page time range, in epoch milliseconds as scenes writes `from`/`to` to the URL. */
  timeRange: { from: string; to: string };
  stop(): Promise<void>;
}

export async function startSimulatedFleet(
  history: HistoryWindow = HISTORY,
  prometheusOptions: Pick<StartPrometheusOptions, 'basicAuth'> = {}
): Promise<SimulatedFleet> {
  const workDir = mkdtempSync(path.join(tmpdir(), 'headroom-browser-'));
  try {
    const historyFile = path.join(workDir, 'history.om');
    const truth = await writeOpenMetricsHistory(defaultFleetSpec(FLEET), history, historyFile);
    const prometheus = await startPrometheus({
      openMetricsFile: historyFile,
      lookbackDeltaSeconds: history.stepSeconds - 1,
      ...prometheusOptions,
    });
    return {
      truth,
      prometheusUrl: prometheus.url,
      timeRange: {
        from: String((truth.lastSampleSeconds - history.days * 86_400) * 1000),
        to: String(truth.lastSampleSeconds * 1000),
      },
      stop: async () => {
        await prometheus.stop();
        rmSync(workDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(workDir, { recursive: true, force: true });
    throw error;
  }
}
