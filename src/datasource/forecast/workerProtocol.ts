import type { LstmProgress } from '../../engine/forecast';
import type { ForecastOutcome, ForecastTask } from './forecastTask';

/** What the page sends the forecast worker; `id` pairs replies with their request, and names the task to cancel. */
export type WorkerRequest = { id: number; task: ForecastTask } | { id: number; cancel: true };

/** Any number of progress replies (LSTM training only), then one outcome or error. */
export type WorkerReply =
  { id: number; outcome: ForecastOutcome } | { id: number; error: string } | { id: number; progress: LstmProgress };

/** Global the worker bootstrap sets to the page's base URL, against which the plugin's public path resolves. */
export const WORKER_BASE_URL_GLOBAL = '__headroomWorkerBaseUrl';
