/// <reference lib="webworker" />
/** Runs fragmentation analyses off the main thread: a 10,000-GPU state takes tens of ms, 60 instants seconds. */
import {
  runFragmentationTask,
  type FragmentationOutcome,
  type FragmentationTask,
} from '../../frames/fragmentation/fragmentationTask';

self.onmessage = (event: MessageEvent<{ id: number; task: FragmentationTask }>) => {
  const { id, task } = event.data;
  let reply: { id: number; outcome: FragmentationOutcome } | { id: number; error: string };
  try {
    reply = { id, outcome: runFragmentationTask(task) };
  } catch (error) {
    reply = { id, error: error instanceof Error ? error.message : String(error) };
  }
  self.postMessage(reply);
};
