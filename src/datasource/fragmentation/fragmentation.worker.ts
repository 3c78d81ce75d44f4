/// <reference lib="webworker" />
/** Runs fragmentation analyses off the main thread: a 10,000-GPU state takes tens of ms, 60 instants seconds. */
import {
  runFragmentationTask,
  type FragmentationOutcome,
  type FragmentationTask,
} from '../../frames/fragmentation/fragmentationTask';
import { errorReply, type WorkerReply } from '../blobWorker';

self.onmessage = (event: MessageEvent<{ id: number; task: FragmentationTask }>) => {
  const { id, task } = event.data;
  let reply: WorkerReply<FragmentationOutcome>;
  try {
    reply = { id, outcome: runFragmentationTask(task) };
  } catch (error) {
    reply = errorReply(id, error);
  }
  self.postMessage(reply);
};
