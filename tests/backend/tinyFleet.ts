/**
 * Prints the integration kit's tiny fleet (tests/kit/tinyFleet.ts) as OpenMetrics for the Go test, which backfills
 * it into a real Prometheus. Usage: `node --import tsx tests/backend/tinyFleet.ts <start unix seconds>`.
 */
import { toOpenMetrics } from '../kit/openMetrics';
import { tinyFleetSeries } from '../kit/tinyFleet';

const startSeconds = Number(process.argv[2]);
if (!Number.isInteger(startSeconds)) {
  process.stderr.write('usage: tinyFleet.ts <start unix seconds>\n');
  process.exit(2);
}
process.stdout.write(toOpenMetrics(tinyFleetSeries({ startSeconds })));
