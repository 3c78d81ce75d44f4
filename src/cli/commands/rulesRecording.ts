/**
 * `headroom rules recording`: prints the recording rules of the inventory's, forecast targets', month to date's and
 * GPU memory's heavy aggregations as a Prometheus rule file (`rules/headroom-recording.yml` is this output with the
 * defaults).
 */
import { inventoryRecordingRuleFile } from '../../alerting/recordingRules';
import { parseFlags } from '../args';

export const recordingUsage = () => `usage: headroom rules recording [--interval-seconds S]

Prints recording rules for the fleet, per-GPU-model and per-namespace sums of capacity, allocated and busy GPUs,
the fleet's mean GPU activity, the GPUs pods hold per model and each GPU model's memory (a Prometheus rule file, also
for Mimir and vmalert). The data source's inventory queries, the Forecast targets, the month to date and the waste
view's GPU memory read the recorded series when they cover the time range (docs/scale.md).
  --interval-seconds S   how often the group is evaluated (default 60, at most 300: the 5-minute lookback)
`;

export function rulesRecording(args: string[]): number {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(recordingUsage());
    return 0;
  }
  const flags = parseFlags(args, { 'interval-seconds': { type: 'string' } });
  const text = flags['interval-seconds'];
  process.stdout.write(
    inventoryRecordingRuleFile({ evaluationIntervalSeconds: text === undefined ? undefined : Number(text) })
  );
  return 0;
}
