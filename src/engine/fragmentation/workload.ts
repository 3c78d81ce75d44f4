import { FragmentationInputError } from './errors';
import type { PodRequest, TaskType } from './types';
import { checkRequest } from './validate';

export interface LearnWorkloadOptions {
  /**
   * Width of the CPU buckets in millicores (default 1000): requests of 3.1 and 3.9 cores are one type, so the
   * workload has a few dozen types rather than one per distinct CPU number.
   */
  cpuBucketMilli?: number;
  /**
   * Keep the most frequent types until they cover this share of the pods (default 1, all types), then renormalise:
   * the long tail of one-off requests otherwise dominates the type count while hardly moving F.
   */
  coverageShare?: number;
}

/**
 * The target workload M learnt from recent requests: pods grouped by (GPU count, GPU share, CPU bucket, GPU model),
 * popularity = the group's share of pods. A type's CPU request is the largest in its group, so "a pod of this type
 * fits" holds for every pod it stands for. Types are ordered by count (ties by their request), ids `m01`, `m02`, ….
 */
export function learnWorkload(requests: readonly PodRequest[], options: LearnWorkloadOptions = {}): TaskType[] {
  const cpuBucketMilli = options.cpuBucketMilli ?? 1000;
  const coverageShare = options.coverageShare ?? 1;
  if (!(cpuBucketMilli > 0)) {
    throw new FragmentationInputError(
      'cpuBucketMilli',
      `The CPU bucket must be > 0 millicores, got ${cpuBucketMilli}.`
    );
  }
  if (!(coverageShare > 0 && coverageShare <= 1)) {
    throw new FragmentationInputError('coverageShare', `The coverage share must be in (0, 1], got ${coverageShare}.`);
  }
  if (requests.length === 0) {
    throw new FragmentationInputError(
      'requests',
      'No pod requests to learn the workload from; take the pods created over the last days (running, finished and ' +
        'pending alike).'
    );
  }
  const groups = new Map<string, { request: PodRequest; count: number }>();
  requests.forEach((request, i) => {
    checkRequest(request, `requests[${i}]`, `Pod request ${i}`);
    const gpuSpec = request.gpuSpec.trim();
    const key = [request.gpuCount, request.gpuMilli, Math.floor(request.cpuMilli / cpuBucketMilli), gpuSpec].join('/');
    const group = groups.get(key);
    if (group) {
      group.count++;
      group.request.cpuMilli = Math.max(group.request.cpuMilli, request.cpuMilli);
    } else {
      groups.set(key, { request: { ...request, gpuSpec }, count: 1 });
    }
  });
  const ranked = [...groups.values()].sort(
    (a, b) =>
      b.count - a.count ||
      a.request.gpuCount - b.request.gpuCount ||
      a.request.gpuMilli - b.request.gpuMilli ||
      a.request.cpuMilli - b.request.cpuMilli ||
      a.request.gpuSpec.localeCompare(b.request.gpuSpec)
  );
  const kept: typeof ranked = [];
  let covered = 0;
  for (const group of ranked) {
    kept.push(group);
    covered += group.count;
    if (covered >= coverageShare * requests.length) {
      break;
    }
  }
  const width = Math.max(2, String(kept.length).length);
  return kept.map((group, i) => ({
    id: `m${String(i + 1).padStart(width, '0')}`,
    ...group.request,
    popularity: group.count / covered,
  }));
}
