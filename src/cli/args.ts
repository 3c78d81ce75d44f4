/** Argument helpers shared by the `headroom` commands. */
import { readFileSync } from 'node:fs';
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';

import { isoSeconds, parseTimeText } from '../engine/series/timeText';
import { createCatalog, effectiveOverrides, overrideError, type MetricCatalog } from '../prometheus/catalog';

/** A bad flag or value: the command prints the message and its usage, and exits with code 2. */
export class UsageError extends Error {}

/**
 * Input the command cannot use although its flags are right (a file that cannot be read or holds the wrong thing):
 * the command prints the message, prefixed with `field` when given, and exits with code 2 (`reportError.ts`).
 */
export class InputError extends Error {
  constructor(
    message: string,
    readonly field?: string
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** ISO 8601 (`2024-06-01T00:00:00Z`; without a zone, UTC) or unix seconds; undefined when the flag is absent. */
export function parseTimeSeconds(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) {
    return undefined;
  }
  const seconds = parseTimeText(text);
  if (seconds === undefined) {
    throw new UsageError(`${flag} "${text}" is neither ISO 8601 (2024-06-01T00:00:00Z) nor unix seconds.`);
  }
  return seconds;
}

export { isoSeconds };

/**
 * Node's `parseArgs` with the options every command uses (unknown flags and positionals rejected), its errors turned
 * into `UsageError` so they exit with code 2.
 */
export function parseFlags<const T extends ParseArgsOptionsConfig>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/**
 * The metric-name override flags of every command that reads Prometheus: the same overrides, checked by the same
 * rules, as a Headroom data source's settings (`jsonData.metricOverrides`).
 */
const METRIC_OVERRIDE_FLAGS = {
  'metric-override': { type: 'string', multiple: true },
  'metric-overrides': { type: 'string' },
} as const satisfies ParseArgsOptionsConfig;

const METRIC_OVERRIDE_USAGE = `  --metric-override DEFAULT=NAME
                      read NAME where Headroom reads the default metric, DCGM label (Hostname, modelName) or GPU
                      resource (nvidia_com_gpu) DEFAULT, as the data source's metric-name overrides do; repeatable,
                      e.g. --metric-override DCGM_FI_DEV_GPU_UTIL=gpu_util:avg5m
  --metric-overrides FILE
                      the same as a JSON object {"DEFAULT": "NAME", ...} (the data source's metricOverrides);
                      --metric-override wins where both name a DEFAULT
`;

/** The catalog the override flags describe; a bad file, entry or name is a usage error naming it. */
function catalogFromFlags(values: { 'metric-override'?: string[]; 'metric-overrides'?: string }): MetricCatalog {
  const fromFile = values['metric-overrides'] === undefined ? {} : readOverridesFile(values['metric-overrides']);
  const fromFlags = (values['metric-override'] ?? []).map((entry): [string, string] => {
    const at = entry.indexOf('=');
    if (at <= 0) {
      throw new UsageError(
        `--metric-override takes DEFAULT=NAME, e.g. DCGM_FI_DEV_GPU_UTIL=gpu_util:avg5m; got "${entry}".`
      );
    }
    return [entry.slice(0, at).trim(), entry.slice(at + 1)];
  });
  const entered: Record<string, string> = { ...fromFile, ...Object.fromEntries(fromFlags) };
  const problems = Object.entries(entered).flatMap(([key, value]) => {
    const problem = overrideError(key, value);
    return problem ? [problem] : [];
  });
  if (problems.length > 0) {
    throw new UsageError(`metric-name overrides: ${problems.join(' ')}`);
  }
  return createCatalog(effectiveOverrides(entered));
}

/** The override flags to spread into a command's options, their help text, and the catalog they give. */
export const metricOverrides = {
  flags: METRIC_OVERRIDE_FLAGS,
  usage: METRIC_OVERRIDE_USAGE,
  catalog: catalogFromFlags,
};

function readOverridesFile(path: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new UsageError(`--metric-overrides ${path}: ${(error as Error).message}`);
  }
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    Array.isArray(parsed) ||
    !Object.values(parsed).every((v) => typeof v === 'string')
  ) {
    throw new UsageError(`--metric-overrides ${path} must hold one JSON object of names, {"DEFAULT": "NAME", ...}.`);
  }
  return parsed as Record<string, string>;
}
