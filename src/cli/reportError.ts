/**
 * How every command ends when it fails: one table says which errors are a person's bad input (exit code 2) and which
 * are runtime failures (exit code 1), and every message is printed with credentials redacted.
 */
import { CalibrationError } from '../alerting/calibrate';
import { TrainingSeriesError } from '../alerting/recalibration';
import { GrafanaApiError } from '../alerting/grafanaClient';
import { GrafanaUnreachableError } from '../alerting/grafanaFetchTransport';
import { BudgetInputError } from '../engine/budget';
import { CapacityInputError } from '../engine/capacity';
import { EfficiencyInputError } from '../engine/efficiency';
import { FragmentationInputError } from '../engine/fragmentation';
import { InsufficientHistoryError } from '../engine/series';
import { SizingInputError } from '../engine/sizing';
import { InvalidBaseUrlError } from '../prometheus/baseUrl';
import { PrometheusError, PrometheusQueryError } from '../prometheus/errors';
import { FleetDataError } from '../prometheus/fleetState';
import { redactCredentials } from '../prometheus/redact';
import { TargetUnavailableError } from '../prometheus/targets';
import { FleetSpecError } from '../simulator/fleetSpec';
import { HistoryOptionsError } from '../simulator/history';
import { InputError, UsageError } from './args';
import { TOKEN_VARIABLE } from './grafanaToken';
import { cliText } from './messages';

type ErrorClass = abstract new (...args: never[]) => Error;

/**
 * Exit code 2: what a person gave cannot be used (flags, URLs, files and their contents, a range or filter that holds
 * nothing to work on, PromQL Prometheus rejects). A person fixes it by changing the command.
 */
const BAD_INPUT: ErrorClass[] = [
  UsageError,
  InputError,
  InvalidBaseUrlError,
  BudgetInputError,
  CapacityInputError,
  EfficiencyInputError,
  FragmentationInputError,
  SizingInputError,
  InsufficientHistoryError,
  CalibrationError,
  TrainingSeriesError,
  TargetUnavailableError,
  FleetDataError,
  FleetSpecError,
  HistoryOptionsError,
];

/** Exit code 1: the command was right, the world failed it (Prometheus or Grafana down, refusing, answering 5xx). */
const RUNTIME: ErrorClass[] = [PrometheusError, GrafanaApiError, GrafanaUnreachableError];

const isOneOf = (error: unknown, classes: readonly ErrorClass[]) =>
  classes.some((errorClass) => error instanceof errorClass);

/** Prometheus refusing the PromQL itself (`bad_data`): the expression or selector a person gave. */
const isRejectedPromql = (error: unknown) => error instanceof PrometheusQueryError && error.errorType === 'bad_data';

/** Node's `parseArgs` refusing the flags (unknown option, missing value), where a command did not wrap it. */
const isFlagParserError = (error: unknown) =>
  String((error as { code?: unknown } | null)?.code ?? '').startsWith('ERR_PARSE_ARGS_');

/** 2 for bad input, 1 for a runtime failure, undefined for anything else (a bug). */
export function exitCodeOf(error: unknown): 1 | 2 | undefined {
  if (isOneOf(error, BAD_INPUT) || isRejectedPromql(error) || isFlagParserError(error)) {
    return 2;
  }
  return isOneOf(error, RUNTIME) ? 1 : undefined;
}

/** The secrets this process holds; a message that somehow carries one prints `[redacted]` instead. */
const heldSecrets = () => [process.env[TOKEN_VARIABLE]];

/** Writes a diagnostic line to stderr, credentials redacted. Every error the command line prints goes through here. */
export function printDiagnostic(text: string): void {
  process.stderr.write(redactCredentials(text, heldSecrets()));
}

/**
 * Prints why a command failed and gives its exit code (`exitCodeOf`): bad flags (`UsageError` and the command's
 * `usage` classes) with a pointer to `--help`, other bad input prefixed with the offending field when the error
 * names one, runtime failures as they are. Any other error is a bug and is rethrown, so `main` prints it as such.
 */
export function reportCommandError(command: string, error: unknown, kinds: { usage?: ErrorClass[] } = {}): number {
  const usage = error instanceof UsageError || isOneOf(error, kinds.usage ?? []);
  const code = usage ? 2 : exitCodeOf(error);
  if (code === undefined) {
    throw error;
  }
  const { message, field } = error as Error & { field?: unknown };
  if (usage) {
    printDiagnostic(`headroom ${command}: ${message}\n${cliText('optionsHint', { name: command })}\n`);
  } else {
    printDiagnostic(`headroom ${command}: ${typeof field === 'string' ? `${field}: ` : ''}${message}\n`);
  }
  return code;
}
