import type { LstmProgress } from '../../engine/forecast';
import type { WorkerReply as BlobWorkerReply, WorkerRequest as BlobWorkerRequest } from '../blobWorker';
import type { ForecastOutcome, ForecastTask } from './forecastTask';

/** What the page sends the forecast worker; `id` pairs replies with their request, and names the task to cancel. */
export type WorkerRequest = BlobWorkerRequest<ForecastTask>;

/** Any number of progress replies (LSTM training only), then one outcome or error. */
export type WorkerReply = BlobWorkerReply<ForecastOutcome, LstmProgress>;
