import { createDataFrame, type DataFrame } from '@grafana/data';
import type { RunForecastOptions } from './forecastRunner';
import { forecastAnswers, PROGRESS_FRAME, type TargetAnswer } from './forecastProgress';

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));
const forecastFrame = createDataFrame({ name: 'Forecast', fields: [] });

function controlled() {
  let options: Required<RunForecastOptions> | undefined;
  let settle: { resolve: (frames: DataFrame[]) => void; reject: (error: Error) => void } | undefined;
  const run = (given: Required<RunForecastOptions>) =>
    new Promise<DataFrame[]>((resolve, reject) => {
      options = given;
      settle = { resolve, reject };
    });
  return { run, options: () => options!, settle: () => settle! };
}

describe('forecastAnswers', () => {
  it('is Loading with a progress notice while training, then the frames and done', async () => {
    const query = controlled();
    const answers: TargetAnswer[] = [];
    const done = new Promise<void>((complete) =>
      forecastAnswers('A', query.run, message).subscribe({ next: (a) => answers.push(a), complete })
    );
    query.options().onProgress({ phase: 'check', epoch: 3, epochs: 40, loss: 0.01234 });
    query.settle().resolve([forecastFrame]);
    await done;

    // No packet before the first progress: Grafana shows Loading by itself after 200 ms.
    expect(answers.map((a) => a.loading)).toEqual([true, false]);
    expect(answers[0].frames[0].name).toBe(PROGRESS_FRAME);
    expect(answers[0].frames[0].meta?.notices).toEqual([
      {
        severity: 'info',
        text: 'Training the LSTM: epoch 3 of 40 (checking on held-out history), loss 0.0123.',
      },
    ]);
    expect(answers[1].frames).toEqual([forecastFrame]);
  });

  it('answers a failure as the query error of its refId', async () => {
    const query = controlled();
    const answers: TargetAnswer[] = [];
    const done = new Promise<void>((complete) =>
      forecastAnswers('B', query.run, message).subscribe({ next: (a) => answers.push(a), complete })
    );
    query.settle().reject(new Error('Prometheus is down'));
    await done;
    expect(answers[answers.length - 1]).toEqual({
      frames: [],
      error: { refId: 'B', message: 'Prometheus is down' },
      loading: false,
    });
  });

  it('aborts the run when Grafana unsubscribes, and reports nothing after', async () => {
    const query = controlled();
    const answers: TargetAnswer[] = [];
    const subscription = forecastAnswers('C', query.run, message).subscribe((a) => answers.push(a));
    expect(query.options().signal.aborted).toBe(false);
    subscription.unsubscribe();
    expect(query.options().signal.aborted).toBe(true);
    query.settle().reject(new DOMException('cancelled', 'AbortError'));
    await Promise.resolve();
    expect(answers).toHaveLength(0);
  });
});
