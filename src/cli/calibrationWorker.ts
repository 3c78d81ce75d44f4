/** A `CalibrationPool` thread: runs each job it is sent and answers with the rules or the error. */
import { parentPort } from 'node:worker_threads';

import { CalibrationError } from '../alerting/calibrate';
import { calibrateRules } from '../alerting/calibrationJob';
import type { WireJob, WireResult } from './calibrationPool';

const port = parentPort!;

port.on('message', (job: WireJob) => {
  let answer: WireResult;
  try {
    const result = calibrateRules({
      ...job,
      timestampsSeconds: Array.from(job.timestampsSeconds),
      values: Array.from(job.values),
    });
    answer = { id: job.id, result };
  } catch (error) {
    const { message, stack } = error instanceof Error ? error : new Error(String(error));
    answer = { id: job.id, error: { message, stack, calibration: error instanceof CalibrationError } };
  }
  port.postMessage(answer);
});
