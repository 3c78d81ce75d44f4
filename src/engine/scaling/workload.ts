/** The workload a plan scales: a Deployment (or StatefulSet) by name, in a namespace. */
export interface Workload {
  name: string;
  namespace: string;
  kind: 'Deployment' | 'StatefulSet';
}

export const scaleTargetRef = (workload: Workload) => ({
  apiVersion: 'apps/v1',
  kind: workload.kind,
  name: workload.name,
});

/**
 * The live signal the workload is also scaled on, above the scheduled floor: a PromQL expression of demand and how
 * much of it one replica serves (GPUs per replica × throughput per GPU × target utilisation).
 */
export interface LiveSignal {
  query: string;
  perReplica: number;
}

/** A Kubernetes object name derived from another, within `max` characters (names are DNS labels). */
export function derivedName(base: string, suffix: string, max = 63): string {
  return `${base.slice(0, max - suffix.length - 1).replace(/[-.]+$/, '')}-${suffix}`;
}

/**
 * A per-replica target as a Kubernetes quantity: at most milli precision, which the API server keeps (it rounds
 * finer values up), so the object applied is the object printed.
 */
export const perReplicaQuantity = (live: LiveSignal) => String(Math.round(live.perReplica * 1000) / 1000);
