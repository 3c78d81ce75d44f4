// Jest hooks shared by browser test files that need simulated history in a real Prometheus and one harness over it.
import { startSimulatedFleet, type HistoryWindow, type SimulatedFleet } from './fleet';
import { startHarness, type Harness } from '.';

/** Backfilling the longest history the tests use (8 days) takes about 40 s on two cores. */
const BACKFILL_TIMEOUT_MS = 150_000;

/** Starts the fleet and the harness before the file's tests and stops both after them, also when a test fails. */
export function harnessOverFleet(history: HistoryWindow): {
  fleet?: SimulatedFleet;
  harness?: Harness;
} {
  const context: { fleet?: SimulatedFleet; harness?: Harness } = {};
  beforeAll(async () => {
    context.fleet = await startSimulatedFleet(history);
    context.harness = await startHarness({ prometheusUrl: context.fleet.prometheusUrl });
  }, BACKFILL_TIMEOUT_MS);
  afterAll(async () => {
    await context.harness?.close();
    await context.fleet?.stop();
  });
  return context;
}
