import { ShortHistoryError } from './forecast/forecastQuery';
import { ERROR_TEXT_FRAME, errorTextFrames } from './frameTexts';

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
    expect(errorTextFrames('capacity', 'the answer’s message', error)).toEqual([
      {
        name: ERROR_TEXT_FRAME,
        refId: 'capacity',
        fields: [],
        meta: { custom: { texts: { errors: { 'the answer’s message': text } } } },
      },
    ]);
  });

  it('gives no frame for an error without a code', () => {
    expect(errorTextFrames('A', 'boom', new Error('boom'))).toEqual([]);
    expect(errorTextFrames('A', 'boom', 'boom')).toEqual([]);
  });
});
