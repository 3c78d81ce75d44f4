import { FragmentationInputError } from './errors';
import type { GpuFree, NodeState, PodRequest, TaskType } from './types';

/** A whole GPU in thousandths: the unit every share is compared in, so 0.3 + 0.7 never misses 1. */
export const GPU_MILLI = 1000;

/** Popularity sums further than this from 1 are renormalised with a warning; closer ones are rounding. */
const POPULARITY_SUM_TOLERANCE = 1e-6;

/** A node after validation; `freeMilli[i]` is GPU i's unallocated share in the order the input listed them. */
export interface CheckedNode {
  name: string;
  gpuModel: string;
  cpuFreeMilli: number;
  gpuIndexes: number[];
  freeMilli: number[];
}

/** A request after validation; `models` is undefined when any GPU model will do. */
export interface CheckedRequest {
  cpuMilli: number;
  gpuCount: number;
  gpuMilli: number;
  models: ReadonlySet<string> | undefined;
}

export interface CheckedTask extends CheckedRequest {
  id: string;
  /** Normalised so the workload's popularities sum to 1. */
  popularity: number;
}

const isCount = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x >= 0;
const isAmount = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x) && x >= 0;

export function checkNodes(nodes: readonly NodeState[]): CheckedNode[] {
  if (!Array.isArray(nodes) || nodes.length === 0) {
    throw new FragmentationInputError('nodes', 'The cluster state lists no nodes; give at least one node with GPUs.');
  }
  const seen = new Set<string>();
  const checked = nodes.map((node, n): CheckedNode => {
    const at = `nodes[${n}]`;
    if (typeof node.name !== 'string' || node.name === '') {
      throw new FragmentationInputError(`${at}.name`, `Node ${n} has no name; every node needs a unique name.`);
    }
    if (seen.has(node.name)) {
      throw new FragmentationInputError(
        `${at}.name`,
        `Node name "${node.name}" appears twice; each node must be listed once (merge or rename the duplicates).`
      );
    }
    seen.add(node.name);
    if (!isCount(node.gpuCount)) {
      throw new FragmentationInputError(
        `${at}.gpu_count`,
        `Node "${node.name}" has gpu_count ${String(node.gpuCount)}; it must be a whole number ≥ 0.`
      );
    }
    const gpus: readonly GpuFree[] = Array.isArray(node.gpus) ? node.gpus : [];
    if (gpus.length !== node.gpuCount) {
      throw new FragmentationInputError(
        `${at}.gpus`,
        `Node "${node.name}" says gpu_count ${node.gpuCount} but lists ${gpus.length} GPUs; list every GPU once.`
      );
    }
    if (node.gpuCount > 0 && (typeof node.gpuModel !== 'string' || node.gpuModel.trim() === '')) {
      throw new FragmentationInputError(
        `${at}.model`,
        `Node "${node.name}" has ${node.gpuCount} GPUs of an unknown model; give its GPU model (e.g. A100, T4) so ` +
          'requests that ask for a model can be matched.'
      );
    }
    if (!isAmount(node.cpuFreeMilli)) {
      throw new FragmentationInputError(
        `${at}.cpu_milli_free`,
        `Node "${node.name}" has free CPU ${String(node.cpuFreeMilli)}; it must be a number of millicores ≥ 0.`
      );
    }
    const indexes = new Set<number>();
    const freeMilli = gpus.map((gpu, g) => {
      if (!isCount(gpu.index) || indexes.has(gpu.index)) {
        throw new FragmentationInputError(
          `${at}.gpus[${g}].index`,
          `Node "${node.name}" GPU ${g} has index ${String(gpu.index)}; indexes must be distinct whole numbers ≥ 0.`
        );
      }
      indexes.add(gpu.index);
      if (!(isAmount(gpu.freeMilli) && gpu.freeMilli <= GPU_MILLI)) {
        throw new FragmentationInputError(
          `${at}.gpus[${g}].free_milli`,
          `Node "${node.name}" GPU ${gpu.index} has free_milli ${String(gpu.freeMilli)}; the unallocated share is ` +
            'in thousandths of a GPU, from 0 (fully allocated) to 1000 (fully free).'
        );
      }
      return gpu.freeMilli;
    });
    return {
      name: node.name,
      gpuModel: node.gpuCount > 0 ? node.gpuModel : '',
      cpuFreeMilli: node.cpuFreeMilli,
      gpuIndexes: gpus.map((gpu) => gpu.index),
      freeMilli,
    };
  });
  if (checked.every((node) => node.freeMilli.length === 0)) {
    throw new FragmentationInputError('nodes', 'No node of the cluster state has GPUs; there is nothing to fragment.');
  }
  return checked;
}

/** Validates one request; `what` names it in messages (`Task type "m3"`, `Pod "p-1"`). */
export function checkRequest(request: PodRequest, field: string, what: string): CheckedRequest {
  const { cpuMilli, gpuCount, gpuMilli } = request;
  if (!isAmount(cpuMilli)) {
    throw new FragmentationInputError(
      `${field}.cpu_milli`,
      `${what} asks for CPU ${String(cpuMilli)}; give millicores ≥ 0.`
    );
  }
  if (!isCount(gpuCount)) {
    throw new FragmentationInputError(
      `${field}.num_gpu`,
      `${what} asks for ${String(gpuCount)} GPUs; the GPU count is a whole number ≥ 0.`
    );
  }
  if (gpuCount === 0 ? gpuMilli !== 0 : !(isAmount(gpuMilli) && gpuMilli > 0 && gpuMilli <= GPU_MILLI)) {
    throw new FragmentationInputError(
      `${field}.gpu_milli`,
      `${what} asks for ${gpuCount} GPUs with gpu_milli ${String(gpuMilli)}; gpu_milli is the share of each GPU in ` +
        `thousandths, ${gpuCount === 0 ? '0 for a CPU-only pod' : 'in (0, 1000]'}.`
    );
  }
  // Sharing in the Alibaba trace and in GPU-sharing schedulers is of one GPU; k partial GPUs has no agreed meaning.
  if (gpuCount > 1 && gpuMilli !== GPU_MILLI) {
    throw new FragmentationInputError(
      `${field}.gpu_milli`,
      `${what} asks for ${gpuCount} GPUs at ${gpuMilli} milli each; a shared request asks for one GPU, a ` +
        'multi-GPU request for whole GPUs (gpu_milli 1000).'
    );
  }
  if (gpuCount === 0 && cpuMilli === 0) {
    throw new FragmentationInputError(`${field}`, `${what} asks for neither CPU nor GPU; drop it from the workload.`);
  }
  const spec = typeof request.gpuSpec === 'string' ? request.gpuSpec.trim() : '';
  const models = spec === '' ? undefined : new Set(spec.split('|').map((m) => m.trim()));
  return { cpuMilli, gpuCount, gpuMilli, models };
}

export function checkWorkload(
  workload: readonly TaskType[],
  nodes: readonly CheckedNode[],
  warnings: string[]
): CheckedTask[] {
  if (!Array.isArray(workload) || workload.length === 0) {
    throw new FragmentationInputError(
      'workload',
      'The target workload is empty. Fragmentation is measured against the requests people actually submit: learn ' +
        'the workload from recent pod requests (learnWorkload / the pods of the last days) and pass it in.'
    );
  }
  const ids = new Set<string>();
  const tasks = workload.map((task, t) => {
    const field = `workload[${t}]`;
    if (typeof task.id !== 'string' || task.id === '' || ids.has(task.id)) {
      throw new FragmentationInputError(`${field}.id`, `Task type ${t} needs a unique, non-empty id.`);
    }
    ids.add(task.id);
    if (!isAmount(task.popularity)) {
      throw new FragmentationInputError(
        `${field}.popularity`,
        `Task type "${task.id}" has popularity ${String(task.popularity)}; it must be a share ≥ 0.`
      );
    }
    return { ...checkRequest(task, field, `Task type "${task.id}"`), id: task.id, popularity: task.popularity };
  });
  const sum = tasks.reduce((acc, task) => acc + task.popularity, 0);
  if (!(sum > 0)) {
    throw new FragmentationInputError('workload', 'All popularities are 0; give each task type its share of pods.');
  }
  if (Math.abs(sum - 1) > POPULARITY_SUM_TOLERANCE) {
    warnings.push(`popularities sum to ${sum.toPrecision(6)}, not 1; they were rescaled to sum to 1`);
  }
  const models = new Set(nodes.filter((n) => n.freeMilli.length > 0).map((n) => n.gpuModel));
  for (const task of tasks) {
    task.popularity /= sum;
    if (task.gpuCount === 0) {
      continue;
    }
    const hosts = nodes.filter((n) => n.freeMilli.length > 0 && (!task.models || task.models.has(n.gpuModel)));
    if (hosts.length === 0) {
      warnings.push(
        `task type "${task.id}" asks for GPU model ${[...task.models!].join('|')}, which no node has ` +
          `(models: ${[...models].sort().join(', ')}); it fits nowhere and counts every free GPU as fragmented`
      );
      continue;
    }
    const largest = Math.max(...hosts.map((n) => n.freeMilli.length));
    if (task.gpuCount > largest) {
      warnings.push(
        `task type "${task.id}" asks for ${task.gpuCount} GPUs but the largest node it may use has ${largest}; ` +
          'it fits nowhere and counts every free GPU as fragmented'
      );
    }
  }
  return tasks;
}

export const modelAllows = (request: CheckedRequest, gpuModel: string): boolean =>
  !request.models || request.models.has(gpuModel);
