/**
 * Sends fragmentation tasks to one shared Web Worker, so that analysing a large fleet (or 60 instants of it) never
 * blocks the page. Where no Worker exists (jest's jsdom) the task runs in place, after a turn of the event loop.
 */
import { workerClient, workerScriptUrl } from '../blobWorker';
import {
  runFragmentationTask,
  type FragmentationOutcome,
  type FragmentationTask,
} from '../../frames/fragmentation/fragmentationTask';

const client = workerClient<FragmentationTask, FragmentationOutcome>('fragmentation', () =>
  workerScriptUrl(() => new Worker(new URL('./fragmentation.worker.ts', import.meta.url)))
);

export function runFragmentation<K extends FragmentationTask['kind']>(
  task: FragmentationTask & { kind: K }
): Promise<FragmentationOutcome & { kind: K }> {
  const outcome =
    typeof Worker === 'undefined' ? Promise.resolve().then(() => runFragmentationTask(task)) : client.run(task);
  return outcome.then((answer) => {
    if (answer.kind !== task.kind) {
      throw new Error(`The fragmentation worker answered a ${task.kind} task with a ${answer.kind} result.`);
    }
    return answer as FragmentationOutcome & { kind: K };
  });
}
