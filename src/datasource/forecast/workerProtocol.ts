import type { ForecastOutcome, ForecastTask } from './forecastTask';

/** What the page sends the forecast worker; `id` pairs a reply with its request. */
export interface WorkerRequest {
  id: number;
  task: ForecastTask;
}

export type WorkerReply = { id: number; outcome: ForecastOutcome } | { id: number; error: string };

/** Global the worker bootstrap sets to the page's base URL, against which the plugin's public path resolves. */
export const WORKER_BASE_URL_GLOBAL = '__headroomWorkerBaseUrl';
