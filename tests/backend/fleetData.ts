/**
 * Prints the Go test's data as OpenMetrics, which it backfills into a real Prometheus:
 * `node --import tsx tests/backend/fleetData.ts fleet <start unix seconds>`: the integration kit's tiny fleet
 * (tests/kit/tinyFleet.ts) with the lab namespace and the demand series (tests/kit/backendQueryData.ts);
 * `... serving <start>`: the inference services of tests/kit/backendQueryData.ts (a Prometheus of their own).
 */
import { labAndDemandSeries, servingSeries } from '../kit/backendQueryData';
import { toOpenMetrics } from '../kit/openMetrics';
import { tinyFleetSeries } from '../kit/tinyFleet';

const [which, start] = process.argv.slice(2);
const startSeconds = Number(start);
if (!['fleet', 'serving'].includes(which) || !Number.isInteger(startSeconds)) {
  process.stderr.write('usage: fleetData.ts fleet|serving <start unix seconds>\n');
  process.exit(2);
}
const series =
  which === 'fleet'
    ? [...tinyFleetSeries({ startSeconds }), ...labAndDemandSeries(startSeconds)]
    : servingSeries(startSeconds);
process.stdout.write(toOpenMetrics(series));
