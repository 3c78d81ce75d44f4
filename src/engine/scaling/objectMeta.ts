import type { Cap } from './cap';

/** The label every emitted object carries, so `kubectl get -l` finds what Headroom planned. */
export const MANAGED_BY_LABELS = { 'app.kubernetes.io/managed-by': 'headroom' } as const;

/** Annotation keys on emitted objects: what the plan assumed, and a cap when there was one. */
export const PLAN_ANNOTATION = 'headroom/plan';
export const CAPPED_ANNOTATION = 'headroom/capped';

export interface ObjectMeta {
  name: string;
  namespace?: string;
  labels: Record<string, string>;
  annotations?: Record<string, string>;
}

/** Metadata with Headroom's label, the plan's description and, for a capped plan, why it was capped. */
export function objectMeta(name: string, namespace: string | undefined, plan: string, cap?: Cap): ObjectMeta {
  return {
    name,
    ...(namespace === undefined ? {} : { namespace }),
    labels: { ...MANAGED_BY_LABELS },
    annotations: { [PLAN_ANNOTATION]: plan, ...(cap ? { [CAPPED_ANNOTATION]: cap.message } : {}) },
  };
}
