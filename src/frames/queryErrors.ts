/**
 * The errors of the forecast, capacity, fragmentation, efficiency and alert queries that Headroom words itself, in
 * English for the backend, the command line and alert evaluation, and with their code for the pages and panels
 * (frameTexts.ts). The English is what these queries always answered.
 */
import { isoMilliseconds } from '../engine/series/timeText';
import type { ChoiceField, CodedError, QueryErrorText } from './frameTexts';
import { QueryModelError } from './queryModelError';

const CHOICE_LABELS: Record<ChoiceField, string> = {
  rows: 'Rows',
  pricing: 'Pricing',
};

/** `a, b or c`. */
function choices(allowed: readonly string[]): string {
  return allowed.length < 2 ? allowed.join('') : `${allowed.slice(0, -1).join(', ')} or ${allowed[allowed.length - 1]}`;
}

/** The error's English, as the queries write it. */
export function queryErrorText(text: QueryErrorText): string {
  switch (text.code) {
    case 'no-value-before-end-error':
      return `${text.target} has no value before the end of the range.`;
    case 'number-field-error': {
      const range = text.max === null ? 'a positive number' : `a number from ${text.min} to ${text.max}`;
      return `${text.label} must be ${range}, got "${text.got}".`;
    }
    case 'no-gpu-node-error':
      return (
        `No GPU node in kube-state-metrics between ${isoMilliseconds(text.fromSeconds)} and ${isoMilliseconds(text.toSeconds)}: ` +
        `${text.selector} has no sample. Check that kube-state-metrics is scraped and that nodes offer nvidia.com/gpu ` +
        '(or MIG) resources, or widen the time range.'
      );
    case 'workload-days-error':
      return `Workload days must be a number from 1 to 90 (days of GPU requests to learn from), got "${text.got}".`;
    case 'unknown-view-error':
      return `Unknown ${text.queryType} view "${text.view}": choose ${choices(text.allowed)}.`;
    case 'unknown-query-type-error':
      return `Unknown Headroom query type "${text.queryType}": choose ${choices(text.allowed)}${text.inEditor ? ' in the query editor' : ''}.`;
    case 'no-tensor-pods-error':
      return 'No pod held a GPU with tensor-pipe activity in this time range (with these filters).';
    case 'no-gpu-pods-error':
      return (
        'No pod held a GPU in this time range: no DCGM series carries a pod label here (with these filters). Widen ' +
        'the range or the filters.'
      );
    case 'choice-error':
      return `${CHOICE_LABELS[text.field]} must be one of ${text.allowed.join(', ')}, got "${text.got}".`;
    case 'unknown-measure-error':
      return `Unknown alert measure "${text.measure}": choose ${text.allowed.join(', ')}.`;
    case 'within-days-error':
      return `Within days must be a whole number of days from 1 to ${text.maxDays}, got "${text.got}".`;
    case 'no-capacity-error':
      return (
        'This target has no capacity to run out of (a ratio or a queue length): choose a GPU count or a throughput ' +
        'target for an exhaustion alert.'
      );
    case 'monthly-budget-error':
      return `Monthly budget must be a number of dollars above 0, got "${text.got}".`;
    case 'no-monthly-budget-error':
      return 'No monthly budget to measure the projected spend against: enter one in the query or in the app configuration.';
  }
}

/** A query failing on its data (no history, no GPU node, no pod): the backend answers it 500, as before. */
export class CodedQueryError extends Error implements CodedError {
  constructor(readonly text: QueryErrorText) {
    super(queryErrorText(text));
  }
}

/** A query that cannot be answered as it is saved (QueryModelError): the backend answers it 400. */
export class CodedQueryModelError extends QueryModelError implements CodedError {
  constructor(readonly text: QueryErrorText) {
    super(queryErrorText(text));
  }
}
