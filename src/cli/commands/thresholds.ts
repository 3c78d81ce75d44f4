/**
 * `headroom thresholds --alerts`: replays the adaptive alert rule over one series read as JSON on
 * stdin and prints when it would start and stop firing (contract in docs/architecture.md, "Command line contracts").
 */
import { parseArgs } from 'node:util';

import {
  AlertRuleConfig,
  checkHistory,
  DEFAULT_ALERT_RULE,
  medianStepSeconds,
  replayDeployedRule,
} from '../../engine/thresholds';
import type { CliCommand } from '../command';

const USAGE = `usage: headroom thresholds --alerts < series.json

Reads one JSON object on stdin:
  {"timestamps": [unix seconds], "values": [number|null],
   "probationary_fraction": 0.15, "probationary_length": rows}
learns from the warm-up (probationary_length leading rows when given, else probationary_fraction of the
rows, default 0.15), then replays the deployed rule (recalibrated daily from past data only, "for"
included) and writes {"alert_starts": [unix seconds], "alert_ends": [unix seconds]}. A warm-up under
2 days or 48 samples with values is warned about on stderr (rules export refuses such a history).
`;

const DEFAULT_PROBATIONARY_FRACTION = 0.15;

export class InvalidAlertsRequest extends Error {}

export interface AlertsResponse {
  alert_starts: number[];
  alert_ends: number[];
}

/**
 * Validates a request of the `--alerts` contract and answers it; the benchmark calls this too. `warn` hears what a
 * person should know: a warm-up shorter than the history a rule is written from (the answer is still given).
 */
export function answerAlertsRequest(
  request: unknown,
  config: AlertRuleConfig = DEFAULT_ALERT_RULE,
  warn: (message: string) => void = () => undefined
): AlertsResponse {
  if (typeof request !== 'object' || request === null || Array.isArray(request)) {
    throw new InvalidAlertsRequest('the input must be one JSON object');
  }
  const { timestamps, values, probationary_fraction, probationary_length } = request as Record<string, unknown>;
  if (!Array.isArray(timestamps) || !timestamps.every((t) => typeof t === 'number' && Number.isFinite(t))) {
    throw new InvalidAlertsRequest('"timestamps" must be an array of unix seconds');
  }
  if (!Array.isArray(values) || !values.every((v) => v === null || typeof v === 'number')) {
    throw new InvalidAlertsRequest('"values" must be an array of numbers or nulls');
  }
  if (values.length !== timestamps.length) {
    throw new InvalidAlertsRequest(
      `"timestamps" and "values" differ in length (${timestamps.length} vs ${values.length})`
    );
  }
  const fraction = probationary_fraction ?? DEFAULT_PROBATIONARY_FRACTION;
  if (typeof fraction !== 'number' || !(fraction >= 0 && fraction <= 1)) {
    throw new InvalidAlertsRequest('"probationary_fraction" must be a number between 0 and 1');
  }
  if (
    probationary_length !== undefined &&
    (typeof probationary_length !== 'number' ||
      !Number.isInteger(probationary_length) ||
      probationary_length < 0 ||
      probationary_length > timestamps.length)
  ) {
    throw new InvalidAlertsRequest('"probationary_length" must be a whole number of rows, at most the row count');
  }
  const warmupRows =
    typeof probationary_length === 'number' ? probationary_length : Math.floor(fraction * timestamps.length);
  // Rows in time order; a stable sort keeps the warm-up the leading rows of an already sorted input.
  const order = timestamps.map((_, i) => i).sort((a, b) => timestamps[a] - timestamps[b]);
  const times = order.map((i) => timestamps[i] as number);
  const sortedValues = order.map((i) => values[i] as number | null);
  const stepSeconds = medianStepSeconds(times);
  // The first calibration, when the warm-up ends, learns from the warm-up alone.
  const firstCalibration = warmupRows < times.length ? times[warmupRows] : times[times.length - 1] + stepSeconds;
  const warmup = checkHistory(times, sortedValues, firstCalibration, stepSeconds, config.band.maxTrainingSeconds);
  if (times.length > 0 && warmup.refusal) {
    warn(
      `the first band is learnt from the warm-up, and ${warmup.refusal.replace(/Give a longer history.*$/, '')}` +
        'Its alerts until the history reaches that minimum are not what a written rule would do (`rules export` ' +
        'and the Alerts page refuse such a history).'
    );
  }
  const replay = replayDeployedRule(times, sortedValues, warmupRows, config);
  return { alert_starts: replay.startsSeconds, alert_ends: replay.endsSeconds };
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export const thresholdsCommand: CliCommand = {
  summary: 'adaptive alert thresholds: replay the deployed rule over a series (--alerts)',
  async run(args) {
    const { values } = parseArgs({
      args,
      options: { alerts: { type: 'boolean', default: false }, help: { type: 'boolean', default: false } },
    });
    if (values.help) {
      process.stdout.write(USAGE);
      return 0;
    }
    if (!values.alerts) {
      process.stderr.write(USAGE);
      return 2;
    }
    try {
      const request: unknown = JSON.parse(await readStdin());
      const answer = answerAlertsRequest(request, DEFAULT_ALERT_RULE, (warning) =>
        process.stderr.write(`headroom thresholds: warning: ${warning}\n`)
      );
      process.stdout.write(JSON.stringify(answer) + '\n');
      return 0;
    } catch (error) {
      const reason = error instanceof SyntaxError ? `malformed JSON: ${error.message}` : (error as Error).message;
      process.stderr.write(`headroom thresholds: ${reason}\n`);
      return error instanceof InvalidAlertsRequest || error instanceof SyntaxError ? 2 : 1;
    }
  },
};
