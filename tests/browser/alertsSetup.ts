// What the Alerts page's browser tests run against: eight days of simulated fleet history in a real Prometheus, the
// Grafana API double, and the harness, which forwards Grafana's alerting API to the double with `token`.
import type { GrafanaDouble } from '../grafana-double/server';
import { FORECAST_HISTORY, startSimulatedFleet, type SimulatedFleet } from './harness/fleet';
import { startHarness, type Harness } from './harness';

/** Backfilling the fleet's history into Prometheus takes most of the start. */
export const BACKFILL_TIMEOUT_MS = 150_000;

export interface AlertsSetup {
  fleet: SimulatedFleet;
  harness: Harness;
  /** Stops the harness, the double and the fleet. */
  stop(): Promise<void>;
}

export async function startAlertsSetup(
  double: GrafanaDouble,
  token: string,
  appJsonData?: Record<string, unknown>
): Promise<AlertsSetup> {
  const fleet = await startSimulatedFleet(FORECAST_HISTORY);
  try {
    await double.start();
    const harness = await startHarness({
      prometheusUrl: fleet.prometheusUrl,
      grafanaApi: { url: double.url, token },
      appJsonData,
    });
    return {
      fleet,
      harness,
      stop: async () => {
        await harness.close();
        await double.stop();
        await fleet.stop();
      },
    };
  } catch (error) {
    await double.stop();
    await fleet.stop();
    throw error;
  }
}
