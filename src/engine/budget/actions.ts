/**
 * What the control and circuit-break guard rails would do to a cluster, as the Kubernetes objects and patches a person
 * applies after reading them: Headroom applies nothing. Control stops spot scale-out (a Karpenter NodePool's GPU limit
 * at 0, KEDA ScaledObjects paused at their current replicas) and lowers the priority of non-critical workloads (a
 * PriorityClass below the default 0, set on their Deployments' pod templates). Circuit-break scales non-critical
 * Deployments to zero, pausing their KEDA ScaledObjects at 0 so KEDA does not scale them back.
 */
import { BudgetInputError } from './errors';
import type { BudgetLevelName } from './levels';

export interface NamespacedName {
  namespace: string;
  name: string;
}

export interface BudgetActionInput {
  /** The project's non-critical Deployments (e.g. those labelled `headroom.dev/criticality=non-critical`). */
  nonCriticalDeployments: readonly NamespacedName[];
  /** Karpenter NodePools that provision spot GPU nodes. */
  spotNodePools?: readonly string[];
  /** KEDA ScaledObjects of the non-critical or spot-backed workloads. */
  scaledObjects?: readonly NamespacedName[];
  /** Name of the low PriorityClass (default `headroom-budget-low`). */
  lowPriorityClassName?: string;
  /** Its value, below the default priority 0 so any ordinary pod may preempt these (default −1000). */
  lowPriorityValue?: number;
  /** The GPU resource name in NodePool limits (default `nvidia.com/gpu`). */
  gpuResource?: string;
}

export interface ObjectRef {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}

/** One step: create `body` (a whole object), or patch `target` with `body` of `patchType`. */
export interface BudgetAction {
  level: Exclude<BudgetLevelName, 'notify'>;
  /** For a person: what the step does and why. */
  what: string;
  target: ObjectRef;
  operation: 'create' | 'patch';
  /** Strategic merge for built-in kinds; JSON merge for custom resources (Kubernetes has no strategy for CRDs). */
  patchType?: 'strategic' | 'merge';
  body: Record<string, unknown>;
  /** The kubectl command that applies it (the body on stdin or inline). */
  command: string;
}

export const DEFAULT_LOW_PRIORITY_CLASS = 'headroom-budget-low';
export const DEFAULT_LOW_PRIORITY_VALUE = -1000;
/** KEDA ≥ 2.13: pauses autoscaling at the current replica count (keda.sh/docs, "Pausing autoscaling"). */
export const KEDA_PAUSED = 'autoscaling.keda.sh/paused';
/** KEDA: scales the target to this many replicas and holds it there. */
export const KEDA_PAUSED_REPLICAS = 'autoscaling.keda.sh/paused-replicas';

/** RFC 1123 subdomain (object names) and label (namespaces), as the API server checks them. */
const SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^(?=.{1,63}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** PriorityClass values a person may create: at most one billion (higher is reserved for system classes). */
const MAX_USER_PRIORITY = 1_000_000_000;

function checkName(field: string, name: string): void {
  if (!SUBDOMAIN.test(name)) {
    throw new BudgetInputError(
      field,
      `"${name}" is not a Kubernetes object name: lower-case letters, digits, '-' and '.', starting and ending with a ` +
        'letter or digit.'
    );
  }
}

function checkNamespaced(field: string, ref: NamespacedName): void {
  if (!DNS_LABEL.test(ref.namespace)) {
    throw new BudgetInputError(field, `"${ref.namespace}" is not a namespace name (RFC 1123 label, at most 63).`);
  }
  checkName(field, ref.name);
}

const json = (body: unknown) => `'${JSON.stringify(body)}'`;

function patch(
  level: BudgetAction['level'],
  what: string,
  target: ObjectRef,
  patchType: 'strategic' | 'merge',
  body: Record<string, unknown>
): BudgetAction {
  const resource = `${target.kind.toLowerCase()}/${target.name}`;
  const namespace = target.namespace ? ` -n ${target.namespace}` : '';
  return {
    level,
    what,
    target,
    operation: 'patch',
    patchType,
    body,
    command: `kubectl patch ${resource}${namespace} --type ${patchType} -p ${json(body)}`,
  };
}

const pauseScaledObject = (level: BudgetAction['level'], ref: NamespacedName, annotations: Record<string, string>) =>
  patch(
    level,
    level === 'control'
      ? `Pause KEDA scaling of ${ref.namespace}/${ref.name} at its current replicas: no scale-out onto spot.`
      : `Hold KEDA's ${ref.namespace}/${ref.name} at 0 replicas, so it does not scale its target back up.`,
    { apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', ...ref },
    'merge',
    { metadata: { annotations } }
  );

function controlActions(input: BudgetActionInput): BudgetAction[] {
  const className = input.lowPriorityClassName ?? DEFAULT_LOW_PRIORITY_CLASS;
  const value = input.lowPriorityValue ?? DEFAULT_LOW_PRIORITY_VALUE;
  checkName('lowPriorityClassName', className);
  if (!Number.isInteger(value) || value > MAX_USER_PRIORITY || value < -2_147_483_648) {
    throw new BudgetInputError(
      'lowPriorityValue',
      `A priority is a whole number ≤ ${MAX_USER_PRIORITY}, got ${value}.`
    );
  }
  const gpu = input.gpuResource ?? 'nvidia.com/gpu';
  const priorityClass = {
    apiVersion: 'scheduling.k8s.io/v1',
    kind: 'PriorityClass',
    metadata: { name: className, labels: { 'app.kubernetes.io/managed-by': 'headroom' } },
    value,
    globalDefault: false,
    // Lowered workloads wait for room rather than evicting anything themselves.
    preemptionPolicy: 'Never',
    description: 'Non-critical GPU workloads while the month projects over its GPU budget (Headroom control level).',
  };
  return [
    ...(input.spotNodePools ?? []).map((name) => {
      checkName('spotNodePools', name);
      // Karpenter launches no node while a NodePool is at or over its limits and removes none because of them.
      return patch(
        'control',
        `Stop spot scale-out: Karpenter NodePool ${name} launches no more GPU nodes (its ${gpu} limit at 0; nodes ` +
          'it has stay). Note the current limit first to restore it.',
        { apiVersion: 'karpenter.sh/v1', kind: 'NodePool', name },
        'merge',
        { spec: { limits: { [gpu]: '0' } } }
      );
    }),
    ...(input.scaledObjects ?? []).map((ref) => {
      checkNamespaced('scaledObjects', ref);
      return pauseScaledObject('control', ref, { [KEDA_PAUSED]: 'true' });
    }),
    {
      level: 'control',
      what: `A PriorityClass ${className} (${value}) for non-critical workloads: any pod at the default priority 0 may preempt them.`,
      target: { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', name: className },
      operation: 'create',
      body: priorityClass,
      command: 'kubectl apply -f -',
    },
    ...input.nonCriticalDeployments.map((ref) => {
      checkNamespaced('nonCriticalDeployments', ref);
      return patch(
        'control',
        `Lower ${ref.namespace}/${ref.name} to ${className} (its pods restart with the new priority).`,
        { apiVersion: 'apps/v1', kind: 'Deployment', ...ref },
        'strategic',
        { spec: { template: { spec: { priorityClassName: className } } } }
      );
    }),
  ];
}

function circuitBreakActions(input: BudgetActionInput): BudgetAction[] {
  return [
    ...(input.scaledObjects ?? []).map((ref) => {
      checkNamespaced('scaledObjects', ref);
      return pauseScaledObject('circuit-break', ref, { [KEDA_PAUSED_REPLICAS]: '0' });
    }),
    ...input.nonCriticalDeployments.map((ref) => {
      checkNamespaced('nonCriticalDeployments', ref);
      // `kubectl scale --replicas=0` as a patch; an HPA leaves a Deployment at 0 replicas alone.
      return patch(
        'circuit-break',
        `Scale ${ref.namespace}/${ref.name} to zero (kubectl scale --replicas=0).`,
        { apiVersion: 'apps/v1', kind: 'Deployment', ...ref },
        'strategic',
        { spec: { replicas: 0 } }
      );
    }),
  ];
}

/** The steps of one level, in the order to apply them; refuses names Kubernetes would refuse. */
export function budgetActions(level: BudgetAction['level'], input: BudgetActionInput): BudgetAction[] {
  const actions = level === 'control' ? controlActions(input) : circuitBreakActions(input);
  if (actions.every((action) => action.operation === 'create')) {
    throw new BudgetInputError(
      'nonCriticalDeployments',
      `Nothing to act on at ${level}: name the non-critical Deployments (namespace/name)` +
        (level === 'control' ? ', spot NodePools or KEDA ScaledObjects.' : ' or KEDA ScaledObjects.')
    );
  }
  return actions;
}
