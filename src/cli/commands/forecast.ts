import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { UsageError } from '../args';
import { reportCommandError } from '../reportError';
import { invalidEvents, type BusinessEvent } from '../../engine/forecast/calendar';
import { historySteps, horizonTooLong, MAX_HORIZON_STEPS } from '../../engine/forecast/horizon';
import { defaultForecasters, forecastRaw } from '../../engine/forecast/pipeline';
import type { AugursModels } from '../../engine/forecast/augurs';
import { loadAugursInNode } from '../augursInNode';
import type { CliCommand } from '../command';

const DEFAULT_LEVELS = [80, 95];

type TaskResult =
  | {
      id: unknown;
      model: string;
      mean: number[];
      intervals: Record<string, { lower: number[]; upper: number[] }>;
      /** Per level, the share of the series' own backtest actuals inside the interval the backtest gave them. */
      backtest_coverage: Record<string, number>;
      fit_ms: number;
    }
  | { id: unknown; error: string };

const isNumberArray = (x: unknown): x is number[] => Array.isArray(x) && x.every((v) => typeof v === 'number');

/**
 * One JSON Lines task to one result line; never throws, a task it cannot serve gets `error`, which starts with the
 * task's line number on stdin (`line 3: ...`), so a task without a usable id can still be found.
 */
export function runForecastTask(line: string, augurs: AugursModels, lineNumber: number): TaskResult {
  const failed = (id: unknown, reason: string) => ({ id, error: `line ${lineNumber}: ${reason}` });
  let task: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(line);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      return failed(null, 'a task must be a JSON object');
    }
    task = parsed as Record<string, unknown>;
  } catch (error) {
    return failed(null, `malformed JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const id = task.id ?? null;
  const problem = validate(task);
  if (problem) {
    return failed(id, problem);
  }
  const started = performance.now();
  try {
    const result = forecastRaw(
      { timestampsSeconds: task.timestamps as number[], values: task.values as Array<number | null> },
      {
        stepSeconds: task.step_seconds as number,
        horizonSteps: task.horizon as number,
        levels: (task.levels as number[] | undefined) ?? DEFAULT_LEVELS,
        events: task.events === undefined ? undefined : eventsOf(task.events as TaskEvent[]),
      },
      defaultForecasters(augurs)
    );
    for (const s of result.skipped) {
      process.stderr.write(`headroom forecast: task ${String(id)}: skipped ${s.model}: ${s.reason}\n`);
    }
    return {
      id,
      model: result.model,
      mean: result.mean,
      intervals: result.intervals,
      backtest_coverage: result.backtestCoverage,
      fit_ms: Math.round((performance.now() - started) * 10) / 10,
    };
  } catch (error) {
    return failed(id, error instanceof Error ? error.message : String(error));
  }
}

/** Optional `events` field of a task, in the contract's snake case. */
interface TaskEvent {
  name: string;
  start_seconds: number;
  end_seconds: number;
  effect?: { kind: 'multiplicative' | 'additive'; value: number };
}

const eventsOf = (events: readonly TaskEvent[]): BusinessEvent[] =>
  events.map((e) => ({ name: e.name, startSeconds: e.start_seconds, endSeconds: e.end_seconds, effect: e.effect }));

function validateEvents(events: unknown): string | undefined {
  if (!Array.isArray(events) || !events.every((e) => typeof e === 'object' && e !== null && !Array.isArray(e))) {
    return '"events" must be an array of {name, start_seconds, end_seconds, effect?} objects';
  }
  const effectProblem = events.findIndex(
    (e) => e.effect !== undefined && (typeof e.effect !== 'object' || e.effect === null)
  );
  if (effectProblem >= 0) {
    return `"events": event ${effectProblem}: "effect" must be an object {kind, value}`;
  }
  const problem = invalidEvents(eventsOf(events as TaskEvent[]));
  return problem && `"events": ${problem}`;
}

function validate(task: Record<string, unknown>): string | undefined {
  if (typeof task.id !== 'string') {
    return 'missing field "id" (string)';
  }
  if (typeof task.step_seconds !== 'number' || !(task.step_seconds > 0)) {
    return '"step_seconds" must be a positive number';
  }
  if (typeof task.horizon !== 'number' || !Number.isInteger(task.horizon) || task.horizon <= 0) {
    return '"horizon" must be a positive whole number of steps';
  }
  if (!isNumberArray(task.timestamps)) {
    return '"timestamps" must be an array of unix seconds';
  }
  if (!Array.isArray(task.values) || !task.values.every((v) => v === null || typeof v === 'number')) {
    return '"values" must be an array of numbers or nulls';
  }
  if (task.values.length !== task.timestamps.length) {
    return `"timestamps" and "values" differ in length (${task.timestamps.length} vs ${task.values.length})`;
  }
  // Checked before any work: a horizon of a billion steps would otherwise take the memory of the whole batch.
  const tooLong = horizonTooLong(
    task.horizon,
    historySteps({ timestampsSeconds: task.timestamps, values: task.values }, task.step_seconds),
    task.step_seconds
  );
  if (tooLong) {
    return `"horizon": ${tooLong.message}`;
  }
  if (task.levels !== undefined && (!isNumberArray(task.levels) || task.levels.some((l) => !(l > 0 && l < 100)))) {
    return '"levels" must be percentages strictly between 0 and 100';
  }
  return task.events === undefined ? undefined : validateEvents(task.events);
}

const USAGE = `usage: headroom forecast --batch < tasks.jsonl

Reads one JSON task per line: {"id", "step_seconds", "horizon", "timestamps": [unix seconds], "values": [number|null],
"levels": [80, 95], "events"?: [{"name", "start_seconds", "end_seconds", "effect"?: {"kind", "value"}}]}
and writes one JSON line per task: {"id", "model", "mean", "intervals": {"80": {"lower", "upper"}, ...},
"backtest_coverage": {"80": share of the series' own backtest actuals inside its 80 % interval, ...}, "fit_ms"},
or {"id", "error"} for a task it cannot serve (the error starts with its line number); the batch goes on.
"horizon" is at most the history's length in steps (from the first value to the last timestamp) and at most
${MAX_HORIZON_STEPS} steps (a year of hourly steps).
`;

export const forecastCommand: CliCommand = {
  summary: 'forecast series read as JSON Lines tasks on stdin (--batch)',
  async run(args) {
    let values;
    try {
      ({ values } = parseArgs({
        args,
        options: { batch: { type: 'boolean', default: false }, help: { type: 'boolean', default: false } },
      }));
    } catch (error) {
      return reportCommandError('forecast', new UsageError((error as Error).message), {});
    }
    if (values.help) {
      process.stdout.write(USAGE);
      return 0;
    }
    if (!values.batch) {
      process.stderr.write(`headroom forecast: --batch is required.\n\n${USAGE}`);
      return 2;
    }
    const augurs = loadAugursInNode();
    const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
    let lineNumber = 0;
    for await (const line of lines) {
      lineNumber++;
      if (line.trim() === '') {
        continue;
      }
      process.stdout.write(JSON.stringify(runForecastTask(line, augurs, lineNumber)) + '\n');
    }
    return 0;
  },
};
