/**
 * What the browser should show for a forecast of allocated GPUs, worked out in Node from the same Prometheus: the
 * history the data source reads (the 28 days before the end of the range, hourly, the PromQL it resolves for this
 * Prometheus), forecast by the engine with augurs in Node, the WebAssembly the page's worker loads, and clamped to
 * zero GPUs and above as the data source does. The model `auto` picks and when the mean first exceeds capacity are
 * then known before the page is opened.
 */
import { loadAugursInNode } from '../../src/cli/augursInNode';
import { planCapacity, type CapacityPlan } from '../../src/engine/capacity';
import { clampToRange } from '../../src/engine/forecast/range';
import { runForecastTask, type ForecastOutcome } from '../../src/datasource/forecast/forecastTask';
import { createCatalog } from '../../src/prometheus/catalog';
import { createPrometheusClient } from '../../src/prometheus/client';
import { detectFamilies } from '../../src/prometheus/detect';
import { createFetchTransport } from '../../src/prometheus/fetchTransport';
import { targetExpr, UNIT_RANGES } from '../../src/prometheus/targets';

const HOUR = 3600;
const DAY = 24 * HOUR;
const HISTORY_DAYS = 28;
const LEVELS = [80, 95];

export async function expectedAllocationForecast(
  prometheusUrl: string,
  rangeEndMs: number,
  horizonHours: number
): Promise<ForecastOutcome> {
  const client = createPrometheusClient(createFetchTransport(prometheusUrl));
  const catalog = createCatalog();
  const endSeconds = Math.floor(rangeEndMs / 1000 / HOUR) * HOUR;
  const detection = await detectFamilies(client, { startSeconds: endSeconds - DAY, endSeconds }, catalog);
  const expr = targetExpr('gpus_allocated', catalog, detection, {}, { rateWindowSeconds: HOUR });
  const { series } = await client.queryRange(expr, {
    startSeconds: endSeconds - HISTORY_DAYS * DAY,
    endSeconds,
    stepSeconds: HOUR,
  });
  expect(series).toHaveLength(1);
  // Clamped to a GPU count's range, as the data source does (forecastSeries).
  return clampToRange(
    runForecastTask(
      { ...series[0], stepSeconds: HOUR, horizonSteps: horizonHours, levels: LEVELS, model: 'auto' },
      loadAugursInNode()
    ),
    UNIT_RANGES.GPUs
  );
}

/** The first forecast hour whose mean exceeds `capacity`, as the panel's legend writes it (UTC), or its "not". */
export function exhaustionText(outcome: ForecastOutcome, capacity: number): string {
  const h = outcome.mean.findIndex((m) => m > capacity);
  if (h < 0) {
    return 'Capacity not exceeded within the horizon';
  }
  const at = new Date((outcome.startSeconds + h * outcome.stepSeconds) * 1000).toISOString();
  return `Mean forecast exceeds capacity at ${at.slice(0, 10)} ${at.slice(11, 16)}`;
}

/**
 * The legend's calibration line for `outcome`, written out here (not with the panel's code): each level's share of
 * the backtest inside its interval, one decimal, lowest level first; or that none was measured (fewer than two
 * calibration origins: 8 days of hourly history give one).
 */
export function calibrationText(outcome: ForecastOutcome): string {
  const held = Object.entries(outcome.backtestCoverage ?? {})
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([level, share]) => `${level} % interval held ${(share * 100).toFixed(1)} %`);
  return `Calibration backtest: ${held.length > 0 ? held.join(', ') : 'history too short to measure how often the intervals held'}`;
}

/** The plan the Forecast page's query makes by default: the upper 80 % bound at 80 %, two hours' cold start. */
export function defaultPagePlan(outcome: ForecastOutcome, capacityGpus: number): CapacityPlan {
  return planCapacity({
    label: 'Allocated GPUs',
    unit: 'GPUs',
    forecast: {
      timestampsSeconds: outcome.mean.map((_, h) => outcome.startSeconds + h * outcome.stepSeconds),
      mean: outcome.mean,
      intervals: outcome.intervals,
    },
    demandLevel: '80',
    targetUtilisation: 0.8,
    coldStartLeadSeconds: 2 * HOUR,
    capacity: { value: capacityGpus, unit: 'gpus', source: 'gpu_capacity' },
  });
}
