import type { ForecastOutcome, ForecastTask } from './forecastTask';

/** What the page sends the forecast worker; `id` pairs a reply with its request. */
export interface WorkerRequest {
  id: number;
  task: ForecastTask;
}

export type WorkerReply = { id: number; outcome: ForecastOutcome } | { id: number; error: string };
