/// <reference lib="webworker" />
/** Runs waste and MFU analyses off the main thread: a week of a thousand GPUs is ten million samples. */
import { runEfficiencyTask, type EfficiencyOutcome, type EfficiencyTask } from './efficiencyTask';

self.onmessage = (event: MessageEvent<{ id: number; task: EfficiencyTask }>) => {
  const { id, task } = event.data;
  let reply: { id: number; outcome: EfficiencyOutcome } | { id: number; error: string };
  try {
    reply = { id, outcome: runEfficiencyTask(task) };
  } catch (error) {
    reply = { id, error: error instanceof Error ? error.message : String(error) };
  }
  self.postMessage(reply);
};
