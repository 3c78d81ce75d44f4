/**
 * Sends efficiency tasks to one shared Web Worker, so that analysing a week of a large fleet never blocks the page.
 * Series travel as transferred Float64Arrays (moved, not copied). Where no Worker exists (jest's jsdom) the task runs
 * in place.
 */
import type { PodUtilisation } from '../../engine/efficiency';
import { workerClient, workerScriptUrl } from '../blobWorker';
import { runEfficiencyInPlace, type EfficiencyOutcome, type EfficiencyTask } from './efficiencyTask';

const client = workerClient<EfficiencyTask, EfficiencyOutcome>('efficiency', () =>
  workerScriptUrl(() => new Worker(new URL('./efficiency.worker.ts', import.meta.url)))
);

/** The pods with every series as a Float64Array, and the buffers to transfer. */
function packed(pods: PodUtilisation[]): { pods: PodUtilisation[]; transfer: ArrayBuffer[] } {
  const transfer: ArrayBuffer[] = [];
  const typed = (values: ArrayLike<number> | undefined) => {
    if (values === undefined) {
      return undefined;
    }
    const array = Float64Array.from(values);
    transfer.push(array.buffer);
    return array;
  };
  return {
    pods: pods.map((pod) => ({
      ...pod,
      timestampsSeconds: typed(pod.timestampsSeconds)!,
      activityPercent: typed(pod.activityPercent)!,
      memoryTimestampsSeconds: typed(pod.memoryTimestampsSeconds),
      memoryBytes: typed(pod.memoryBytes),
    })),
    transfer,
  };
}

export function runEfficiency(task: EfficiencyTask): Promise<EfficiencyOutcome> {
  if (typeof Worker === 'undefined') {
    return runEfficiencyInPlace(task);
  }
  if (task.kind === 'waste') {
    const { pods, transfer } = packed(task.pods);
    return client.run({ ...task, pods }, { transfer });
  }
  return client.run(task);
}
