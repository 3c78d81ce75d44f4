/**
 * Recording rules for the heavy aggregations: the fleet, per-GPU-model and per-namespace sums of capacity, allocated
 * and busy GPUs that the Overview page and the forecast targets ask for over days; the fleet's mean GPU activity, the
 * GPU utilisation target the Forecast page reads over 28 days; the GPUs pods hold per model, which the Efficiency
 * page's month to date reads hourly since the month began; each GPU model's memory, which its waste view reads over the
 * range from every GPU's two memory series otherwise. Each rule records exactly the expression the data source
 * sends without filters (`src/prometheus/inventoryRecords.ts`), so the data source reads the recorded series when
 * present and sees the same numbers; the rules cannot drift from it.
 * At 10,000 GPUs one of these expressions over a week reads every DCGM and kube-state-metrics sample of the fleet;
 * its recorded series is one sample per evaluation (docs/scale.md).
 */
import { INVENTORY_RECORDS, inventoryRecordExpressions, type InventoryRecord } from '../prometheus/inventoryRecords';

export const RECORDING_GROUP = 'headroom_inventory';

export interface RecordingRuleOptions {
  /** How often Prometheus evaluates the group (default 60 s, at most MAX_RECORDING_INTERVAL_SECONDS). */
  evaluationIntervalSeconds?: number;
}

/**
 * Prometheus' default lookback (`--query.lookback-delta`, 5 minutes): the data source reads a record in place of its
 * expression at every step of a range, so each step must find a recorded sample where the raw series has one.
 */
export const MAX_RECORDING_INTERVAL_SECONDS = 300;

const quote = (text: string) => JSON.stringify(text);

/** The rule file (YAML) for Prometheus, Mimir or VictoriaMetrics' vmalert. */
export function inventoryRecordingRuleFile(options: RecordingRuleOptions = {}): string {
  const interval = options.evaluationIntervalSeconds ?? 60;
  if (!Number.isInteger(interval) || interval < 1 || interval > MAX_RECORDING_INTERVAL_SECONDS) {
    throw new RangeError(
      `The evaluation interval must be a whole number of seconds from 1 to ${MAX_RECORDING_INTERVAL_SECONDS}, ` +
        `got ${interval}: Headroom reads a record in place of its expression at every step, and a longer interval ` +
        "than Prometheus' 5-minute lookback leaves steps with no recorded sample."
    );
  }
  const rules = Object.entries(inventoryRecordExpressions()).flatMap(([key, expr]) => [
    `      - record: ${INVENTORY_RECORDS[key as InventoryRecord]}`,
    `        expr: ${quote(expr!)}`,
  ]);
  return (
    ['groups:', `  - name: ${quote(RECORDING_GROUP)}`, `    interval: ${interval}s`, '    rules:', ...rules].join(
      '\n'
    ) + '\n'
  );
}
