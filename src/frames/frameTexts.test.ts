import {
  forecastNotices,
  HorizonTooLongError,
  NoHistoryError,
  SeriesCountError,
  ShortHistoryError,
} from './forecast/forecastQuery';
import type { ForecastOutcome } from './forecast/forecastTask';
import { ERROR_TEXT_FRAME, errorTextFrames } from './frameTexts';
import { CodedQueryError, CodedQueryModelError } from './queryErrors';
import { QueryModelError } from './queryModelError';
import { PrometheusHttpError } from '../prometheus/errors';
import { FleetDataError, FleetStateDataError } from '../prometheus/fleetState';
import { redactCredentials } from '../prometheus/redact';

const unchanged = (text: string) => text;

describe('the code of a query error beside its message', () => {
  const text = {
    code: 'short-history-error',
    target: 'Busy GPUs',
    hours: 5,
    neededHours: 24,
    historyDays: 28,
  } as const;

  it('keeps the English message and gives a frame with no fields carrying the code under that message', () => {
    const error = new ShortHistoryError(text);
    expect(error.message).toBe(
      'insufficient history: Busy GPUs has 5 hours of data in the 28 days before the end of the range; a forecast ' +
        'needs at least 24. Move the range to where the metric exists, or wait for more history (have 5 steps, need ' +
        'at least 24)'
    );
    // The message as the answer writes it (credentials redacted) is the key the page finds it by.
    expect(errorTextFrames('capacity', 'the answer’s message', error, unchanged)).toEqual([
      {
        name: ERROR_TEXT_FRAME,
        refId: 'capacity',
        fields: [],
        meta: { custom: { texts: { errors: { 'the answer’s message': text } } } },
      },
    ]);
  });

  it('words the other forecast errors in English as before, each with its code', () => {
    const expr = 'sum(kube_pod_container_resource_requests{resource="nvidia_com_gpu"})';
    const noData = new NoHistoryError({ code: 'no-history-error', target: 'Busy GPUs', historyDays: 28, expr });
    expect(noData.message).toBe(
      'Busy GPUs: Prometheus returned no data for the 28 days before the end of the range. Check the expression and ' +
        `the time range. Query: ${expr}`
    );
    const many = new SeriesCountError({ code: 'series-count-error', target: 'PromQL result', series: 3, expr: 'x' });
    expect(many.message).toBe(
      'PromQL result: the expression returns 3 series; a forecast needs one. Aggregate it, e.g. sum(...) or sum by ' +
        '(...) with a filter. Query: x'
    );
    // The backend answers the person's own mistakes 400.
    expect(many).toBeInstanceOf(QueryModelError);
    const long = new HorizonTooLongError({
      code: 'horizon-too-long-error',
      target: 'Allocated GPUs',
      horizonHours: 72,
      maxHours: 30,
    });
    expect(long.message).toBe(
      'Allocated GPUs: the horizon (3 days) is longer than the history before the end of the range (30 h): a ' +
        'forecast looks at most as far ahead as its history looks back, because beyond that its backtest cannot say ' +
        'how wrong it gets. Choose a horizon of at most 30 hours, or move the range to where there is more history.'
    );
    expect(long).toBeInstanceOf(QueryModelError);
    expect(errorTextFrames('A', long.message, long, unchanged)[0].meta).toEqual({
      custom: { texts: { errors: { [long.message]: long.text } } },
    });
  });

  it('redacts the figures of the code as the message was redacted', () => {
    // A proxy echoing the request's headers, one of them a custom header whose name only the data source knows.
    const error = new PrometheusHttpError(
      502,
      '/api/v1/query',
      'bad gateway; X-Tenant-Key: t0ps3cret; Authorization: Bearer abc123'
    );
    const redact = (text: string) => redactCredentials(text, [], ['X-Tenant-Key']);
    const message = redact(error.message);
    const [frame] = errorTextFrames('A', message, error, redact);
    expect(frame.meta?.custom?.texts).toEqual({
      errors: {
        [message]: {
          code: 'prometheus-http',
          advice: 'overloaded',
          status: 502,
          path: '/api/v1/query',
          answer: 'bad gateway; X-Tenant-Key: [redacted]; Authorization: [redacted]',
        },
      },
    });
  });

  it('keeps the status the backend answers: 400 for a query to change, 500 for data that is not there', () => {
    expect(new CodedQueryModelError({ code: 'within-days-error', maxDays: 30, got: '0' })).toBeInstanceOf(
      QueryModelError
    );
    expect(new CodedQueryError({ code: 'no-gpu-pods-error' })).not.toBeInstanceOf(QueryModelError);
    // The fleet state's missing data is still a Prometheus failure (downstream) of the same class.
    expect(new FleetStateDataError(0, [])).toBeInstanceOf(FleetDataError);
  });

  it('gives no frame for an error without a code', () => {
    expect(errorTextFrames('A', 'boom', new Error('boom'), unchanged)).toEqual([]);
    expect(errorTextFrames('A', 'boom', 'boom', unchanged)).toEqual([]);
  });
});

describe("the forecast's note on the models auto left out", () => {
  it('keeps the English of the engine and carries each model with the code of its reason', () => {
    const skipped = [
      {
        model: 'seasonal_naive_week',
        reason: 'needs 336 steps of history, has 192',
        cause: { code: 'too-short', needSteps: 336, haveSteps: 192 } as const,
      },
      {
        model: 'naive',
        reason: 'ignores the business events in the horizon',
        cause: { code: 'ignores-events' } as const,
      },
    ];
    // Only what the note reads: no fallback, no accuracy, no LSTM; 15 days of history, no events.
    const outcome = { skipped, fallback: false, startSeconds: 0 } as unknown as ForecastOutcome;
    const notices = forecastNotices(outcome, 360, { horizonHours: 24, events: [] }, []);
    expect(notices).toEqual([
      {
        severity: 'info',
        text:
          'Models not used: seasonal_naive_week (needs 336 steps of history, has 192); naive (ignores the business ' +
          'events in the horizon).',
        code: {
          code: 'models-not-used',
          models: [
            { model: 'seasonal_naive_week', cause: { code: 'too-short', needSteps: 336, haveSteps: 192 } },
            { model: 'naive', cause: { code: 'ignores-events' } },
          ],
        },
      },
    ]);
  });
});
