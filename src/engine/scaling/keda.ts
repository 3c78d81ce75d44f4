import { cronAt } from './cron';
import { objectMeta } from './objectMeta';
import type { ReplicaPlan } from './replicaPlan';
import { perReplicaQuantity, scaleTargetRef, type LiveSignal, type Workload } from './workload';

export interface KedaInput {
  workload: Workload;
  plan: ReplicaPlan;
  live: LiveSignal;
  /** Prometheus as KEDA reaches it from inside the cluster. */
  serverAddress: string;
  /** What the plan assumed, for the `headroom/plan` annotation. */
  description: string;
}

/**
 * A KEDA ScaledObject (keda.sh/v1alpha1): one cron trigger per step of the repeating schedule above its lowest
 * level, from the step (a cold-start lead before the need rises) to the next step, holding that step's replicas; a
 * prometheus trigger on the live signal, so that demand above the forecast still scales out. KEDA (through the HPA
 * it manages) takes the largest of the triggers' replica counts, so the schedule is a floor, never a ceiling.
 */
export function kedaScaledObject(input: KedaInput) {
  const { workload, plan, live } = input;
  const { schedule } = plan;
  const steps = schedule.steps;
  const cron = steps.flatMap((step, i) => {
    if (step.level <= plan.minReplicas) {
      return [];
    }
    const next = steps[(i + 1) % steps.length];
    return [
      {
        type: 'cron',
        name: `schedule-${i + 1}`,
        metadata: {
          timezone: schedule.timeZone,
          start: cronAt(step.offsetSeconds, schedule.repeat),
          end: cronAt(next.offsetSeconds, schedule.repeat),
          desiredReplicas: String(step.level),
        },
      },
    ];
  });
  return {
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'ScaledObject',
    metadata: objectMeta(workload.name, workload.namespace, input.description, plan.cap),
    spec: {
      scaleTargetRef: scaleTargetRef(workload),
      minReplicaCount: plan.minReplicas,
      maxReplicaCount: Math.max(plan.maxReplicas, plan.minReplicas),
      triggers: [
        ...cron,
        {
          type: 'prometheus',
          name: 'live-demand',
          metadata: {
            serverAddress: input.serverAddress,
            query: live.query,
            threshold: perReplicaQuantity(live),
          },
        },
      ],
    },
  };
}
