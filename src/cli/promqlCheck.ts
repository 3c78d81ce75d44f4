/**
 * Asks Prometheus whether a rule's PromQL parses before the rule is written: a selector it cannot parse (or one that
 * parses but cannot be compared, such as a range vector) is refused with Prometheus' own words, exit code 2.
 * Two ways to ask: the Prometheus given (an instant query at the calibration time, which parses the expression and
 * evaluates it cheaply), or `promtool check rules` on the rule file about to be printed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { compileAlertCondition } from '../engine/thresholds';
import type { createPrometheusClient } from '../prometheus/client';
import { PrometheusQueryError } from '../prometheus/errors';
import { InputError } from './args';

/** Environment variable naming the promtool binary; default: `promtool` on the PATH. */
export const PROMTOOL_VARIABLE = 'HEADROOM_PROMTOOL';

/** Prometheus cannot parse the rule built on the selector: a bad value, exit code 2. */
export class InvalidSelectorError extends InputError {}

/** Prometheus' reason without the request's framing and the position in the compiled rule, which is not the selector's. */
const bareReason = (reason: string) =>
  reason
    .trim()
    .replace(/^invalid parameter "query": /, '')
    .replace(/^\d+:\d+: /, '');

const refusal = (selector: string, reason: string) =>
  new InvalidSelectorError(
    `Prometheus cannot use the selector ${JSON.stringify(selector)} in an alert rule: ${bareReason(reason)}. ` +
      'Give one PromQL expression that returns an instant vector (one series), e.g. sum(DCGM_FI_DEV_GPU_UTIL).'
  );

/**
 * The alert condition on `selector`, with constant thresholds, as an instant query at `atSeconds`: Prometheus answers
 * `bad_data` when the expression does not parse or mixes types (HTTP 400); that is a refusal, anything else (down,
 * timeout) is thrown as it came.
 */
export async function checkSelectorWithPrometheus(
  prometheus: ReturnType<typeof createPrometheusClient>,
  selector: string,
  atSeconds: number
): Promise<void> {
  try {
    await prometheus.queryInstant(
      compileAlertCondition(selector, { upper: 'vector(0)', lower: 'vector(0)' }),
      atSeconds
    );
  } catch (error) {
    if (error instanceof PrometheusQueryError && error.errorType === 'bad_data') {
      throw refusal(selector, error.prometheusError);
    }
    throw error;
  }
}

/**
 * `promtool check rules` on the rule file: 'checked' when it passes, 'unavailable' when no promtool can be run (the
 * caller says so); throws InvalidSelectorError with promtool's complaint when the file does not pass.
 */
export function checkRuleFileWithPromtool(ruleFile: string, selector: string): 'checked' | 'unavailable' {
  const promtool = process.env[PROMTOOL_VARIABLE] || 'promtool';
  const dir = mkdtempSync(join(tmpdir(), 'headroom-rules-'));
  try {
    const path = join(dir, 'rules.yml');
    writeFileSync(path, ruleFile);
    const run = spawnSync(promtool, ['check', 'rules', path], { encoding: 'utf8', timeout: 30_000 });
    if (run.error) {
      return 'unavailable';
    }
    if (run.status === 0) {
      return 'checked';
    }
    // promtool prints `<file>: <line:col>: group "…", rule n, "…": could not parse expression: <reason>`.
    const output = `${run.stderr}\n${run.stdout}`.split(path).join('rules');
    const reason = /could not parse expression: (.*)/.exec(output)?.[1] ?? output.replace(/\s+/g, ' ');
    throw refusal(selector, reason);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
