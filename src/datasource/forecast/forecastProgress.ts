/**
 * A forecast query as a stream, the way Grafana runs long queries: Loading packets while the LSTM trains (with the
 * epoch in a notice), then the frames and Done. Unsubscribing, which Grafana does when the user refreshes or leaves,
 * aborts the query and with it the worker's training.
 *
 * Nothing is sent before there is something to say: Grafana shows Loading by itself when a query has not answered
 * within 200 ms. A Loading packet at once made every panel of a dashboard re-render in the same task (100 forecast
 * panels: a 185 ms main-thread task) and then again for Grafana's own Loading.
 */
import { createDataFrame, type DataFrame, type DataQueryError } from '@grafana/data';
import { t } from '@grafana/i18n';
import { Observable } from 'rxjs';
import type { LstmProgress } from '../../engine/forecast';
import { errorTextFrames } from '../../frames/frameTexts';
import { toDataFrame } from '../frameValues';
import type { RunForecastOptions } from './forecastRunner';

/** A target that has not answered yet. */
export const LOADING_ANSWER: TargetAnswer = { frames: [], loading: true };

export interface TargetAnswer {
  frames: DataFrame[];
  error?: DataQueryError;
  /** Several targets' errors, when one answer speaks for several (the backend's, on the own path). */
  errors?: DataQueryError[];
  /** Still training: more packets follow. */
  loading: boolean;
}

/** Name of the frame that carries the progress notice while the forecast is being computed. */
export const PROGRESS_FRAME = 'Forecast progress';

/**
 * What the panel shows while the LSTM trains, in the user's language: written here, in the browser (the progress
 * frame never leaves it), so Grafana's panel header shows the same words as the forecast panel.
 */
export function progressText(progress: LstmProgress): string {
  const values = { epoch: progress.epoch, epochs: progress.epochs, loss: progress.loss.toPrecision(3) };
  return progress.phase === 'check'
    ? t(
        'forecast.progress.check',
        'Training the LSTM: epoch {{epoch}} of {{epochs}} (checking on held-out history), loss {{loss}}.',
        values
      )
    : t(
        'forecast.progress.final',
        'Training the LSTM: epoch {{epoch}} of {{epochs}} (final fit), loss {{loss}}.',
        values
      );
}

function progressFrame(refId: string, text: string): DataFrame {
  return createDataFrame({ refId, name: PROGRESS_FRAME, fields: [], meta: { notices: [{ severity: 'info', text }] } });
}

export function forecastAnswers(
  refId: string,
  run: (options: Required<RunForecastOptions>) => Promise<DataFrame[]>,
  errorMessage: (error: unknown) => string
): Observable<TargetAnswer> {
  return new Observable<TargetAnswer>((subscriber) => {
    const abort = new AbortController();
    run({
      signal: abort.signal,
      onProgress: (progress) =>
        subscriber.next({ frames: [progressFrame(refId, progressText(progress))], loading: true }),
    }).then(
      (frames) => {
        subscriber.next({ frames, loading: false });
        subscriber.complete();
      },
      (error: unknown) => {
        if (!abort.signal.aborted) {
          const message = errorMessage(error);
          subscriber.next({
            frames: errorTextFrames(refId, message, error, errorMessage).map(toDataFrame),
            error: { refId, message },
            loading: false,
          });
          subscriber.complete();
        }
      }
    );
    return () => abort.abort();
  });
}
