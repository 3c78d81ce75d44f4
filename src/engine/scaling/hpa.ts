import { cronAt } from './cron';
import { MANAGED_BY_LABELS, objectMeta } from './objectMeta';
import type { ReplicaPlan } from './replicaPlan';
import { derivedName, perReplicaQuantity, scaleTargetRef, type LiveSignal, type Workload } from './workload';

export interface HpaInput {
  workload: Workload;
  plan: ReplicaPlan;
  live: LiveSignal;
  /** The live signal as an external metric (prometheus-adapter's `externalRules` expose it under this name). */
  externalMetricName: string;
  /** The image the CronJobs run `kubectl patch` in; its entrypoint is kubectl. */
  kubectlImage: string;
  description: string;
}

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
/** Kubernetes appends 11 characters to a CronJob's name for each Job, and a Job's name is at most 63. */
const CRONJOB_NAME_MAX = 52;

/**
 * The HPA alternative for clusters without KEDA: an autoscaling/v2 HorizontalPodAutoscaler on the live signal, and
 * one batch/v1 CronJob per step of the repeating schedule that patches the HPA's minReplicas to the step's level
 * (`kubectl patch hpa NAME --type merge -p '{"spec":{"minReplicas":N}}'`), with the ServiceAccount, Role and
 * RoleBinding that allow exactly that patch. The HPA's maxReplicas is at least every level a CronJob sets, because
 * the API server refuses a minReplicas above it.
 */
export function hpaManifests(input: HpaInput) {
  const { workload, plan, live } = input;
  const { schedule } = plan;
  // The HPA's minReplicas is at least 1 unless the HPAScaleToZero feature gate is on.
  const floor = (replicas: number) => Math.max(1, replicas);
  const maxReplicas = Math.max(plan.maxReplicas, floor(schedule.peak));
  const meta = (name: string) => objectMeta(name, workload.namespace, input.description, plan.cap);
  const hpa = {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: meta(workload.name),
    spec: {
      scaleTargetRef: scaleTargetRef(workload),
      minReplicas: floor(plan.minReplicas),
      maxReplicas,
      metrics: [
        {
          type: 'External',
          external: {
            metric: { name: input.externalMetricName },
            target: { type: 'AverageValue', averageValue: perReplicaQuantity(live) },
          },
        },
      ],
    },
  };
  const patcher = derivedName(workload.name, 'headroom-hpa-patch');
  const rbac = [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(patcher) },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: meta(patcher),
      rules: [
        {
          apiGroups: ['autoscaling'],
          resources: ['horizontalpodautoscalers'],
          resourceNames: [workload.name],
          verbs: ['get', 'patch'],
        },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: meta(patcher),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: patcher },
      subjects: [{ kind: 'ServiceAccount', name: patcher, namespace: workload.namespace }],
    },
  ];
  const cronJobs =
    schedule.steps.length < 2
      ? []
      : schedule.steps.map((step) => {
          const minutes = Math.floor(step.offsetSeconds / 60);
          const hhmm = `${String(Math.floor(minutes / 60) % 24).padStart(2, '0')}${String(minutes % 60).padStart(2, '0')}`;
          const when = schedule.repeat === 'weekly' ? `${WEEKDAYS[Math.floor(minutes / 1440) % 7]}-${hhmm}` : hhmm;
          return {
            apiVersion: 'batch/v1',
            kind: 'CronJob',
            metadata: meta(derivedName(workload.name, `min-${when}`, CRONJOB_NAME_MAX)),
            spec: {
              schedule: cronAt(step.offsetSeconds, schedule.repeat),
              timeZone: schedule.timeZone,
              // A late run still sets the right floor; two at once would race.
              concurrencyPolicy: 'Forbid',
              startingDeadlineSeconds: 600,
              successfulJobsHistoryLimit: 1,
              failedJobsHistoryLimit: 3,
              jobTemplate: {
                spec: {
                  backoffLimit: 3,
                  template: {
                    metadata: { labels: { ...MANAGED_BY_LABELS } },
                    spec: {
                      serviceAccountName: patcher,
                      restartPolicy: 'OnFailure',
                      containers: [
                        {
                          name: 'kubectl',
                          image: input.kubectlImage,
                          args: [
                            'patch',
                            'hpa',
                            workload.name,
                            '--namespace',
                            workload.namespace,
                            '--type',
                            'merge',
                            '--patch',
                            JSON.stringify({ spec: { minReplicas: floor(step.level) } }),
                          ],
                        },
                      ],
                    },
                  },
                },
              },
            },
          };
        });
  return [hpa, ...rbac, ...cronJobs];
}
