/**
 * `headroom plan export`: the capacity plan of `headroom capacity` (same Prometheus, selection and planning
 * options, same engine) as Kubernetes objects that act on it, YAML documents on stdout (engine/scaling builds the
 * objects; this file reads flags, serialises, and says what was capped).
 */
import { parse } from 'yaml';

import { calibrateSeries } from '../../alerting/calibrate';
import { thresholdRuleFile } from '../../alerting/prometheusRules';
import { CapacityInputError } from '../../engine/capacity';
import {
  checkSafetyFactor,
  checkTimeZone,
  deployedDiff,
  DEFAULT_EXTERNAL_METRIC,
  DEFAULT_KUBECTL_IMAGE,
  DEFAULT_NODE_CLASS,
  DEFAULT_NODE_POOL,
  DEFAULT_SAFETY_FACTOR,
  DEFAULT_TIME_ZONE,
  diffText,
  manifestsYaml,
  PLAN_FORMATS,
  planDescription,
  planManifests,
  prometheusRule,
  type DiffRow,
  type Emitted,
  type NodeGroup,
  type PlanManifestsInput,
  type RuleFile,
  type Workload,
} from '../../engine/scaling';
import { createPrometheusClient } from '../../prometheus/client';
import { fetchDeployedState } from '../../prometheus/deployedState';
import { createFetchTransport } from '../../prometheus/fetchTransport';
import { chooseInferenceService, fetchInferenceServices } from '../../prometheus/inferenceServices';
import type { PrometheusClient } from '../../prometheus/types';
import { InputError, parseFlags, UsageError } from '../args';
import type { CliCommand } from '../command';
import { reportCommandError } from '../reportError';
import {
  buildReport,
  CAPACITY_FLAGS,
  CAPACITY_OPTIONS_USAGE,
  capacityOptions,
  type CapacityOptions,
  type CapacityReport,
} from './capacity';
import { fetchTrainingSeries } from '../../alerting/recalibration';

const FORMATS = [...PLAN_FORMATS, 'prometheus-rule'] as const;
type Format = (typeof FORMATS)[number];

const USAGE = `usage: headroom plan export --format FORMAT --prometheus URL [options]

Plans capacity exactly as \`headroom capacity\` does (forecast, GPUs needed per hour for the --level upper bound,
scale-out schedule a cold-start lead early) and prints Kubernetes objects that act on the plan, as YAML documents
separated by --- (check them with \`kubectl apply --dry-run=server -f FILE\`). The schedule repeats every week (every
day when the horizon is shorter than a week), taking for each time of day or week the plan's largest need then.

formats:
  keda                a KEDA ScaledObject: a cron trigger per schedule step (a cold-start lead before each rise,
                      --cold-start-minutes, default 15) and a prometheus trigger on the live signal above it
  hpa                 an autoscaling/v2 HorizontalPodAutoscaler on the live signal (External metric --hpa-metric,
                      served by prometheus-adapter) and a CronJob per step patching its minReplicas, with the
                      ServiceAccount, Role and RoleBinding allowing that patch
  karpenter           a Karpenter NodePool whose limits.nvidia.com/gpu is the plan's peak × --safety-factor
  cluster-autoscaler  --nodes=MIN:MAX:NAME per GPU node group (--node-group), MIN from the plan's lowest hour and
                      MAX from its peak, each × --safety-factor, in a ConfigMap and as comments
  prometheus-rule     the adaptive alert rule of the demand series (as \`headroom rules export\`) as a
                      prometheus-operator PrometheusRule

A plan needing more GPUs than allowed (--max-gpus, or the node groups' maximum) is capped: a warning on stderr, a
comment above the object and its headroom/capped annotation say so.

plan export options:
  --format FORMAT             ${FORMATS.join(', ')} (required)
  --deployment NAME           the workload to scale (keda, hpa, prometheus-rule); NAMESPACE/NAME also sets its
                              namespace. Without it, the inference service vLLM's metrics show, joined to its
                              Deployment through kube-state-metrics (kube_pod_owner, kube_replicaset_owner), narrowed
                              by one --model or --namespace; an error lists the candidates when several match
  --kind KIND                 Deployment (default) or StatefulSet
  --deployment-namespace NS   its namespace (default: the one --namespace given)
  --gpus-per-replica N        GPUs one replica requests (default 1)
  --live-expr PROMQL          the live signal for the prometheus trigger or the HPA's metric (default: the forecast
                              expression, which averages counters over an hour; a 5m rate reacts sooner)
  --server-address URL        Prometheus as KEDA reaches it in the cluster (default: --prometheus)
  --hpa-metric NAME           the External metric name prometheus-adapter gives the live signal
                              (default ${DEFAULT_EXTERNAL_METRIC})
  --kubectl-image IMAGE       image of the hpa CronJobs (default ${DEFAULT_KUBECTL_IMAGE})
  --repeat daily|weekly       how the schedule repeats (default weekly; daily when the horizon is under a week)
  --time-zone TZ              IANA time zone of the cron schedules (default ${DEFAULT_TIME_ZONE})
  --safety-factor F           multiplies the planned GPUs for node limits and maximum replicas, ≥ 1
                              (default ${DEFAULT_SAFETY_FACTOR}: the plan already covers the --level upper bound)
  --max-gpus N                at most this many GPUs (a quota): the plan is capped there
  --node-pool NAME            the Karpenter NodePool's name (default ${DEFAULT_NODE_POOL})
  --node-class GROUP/KIND/NAME  its nodeClassRef (default ${DEFAULT_NODE_CLASS.group}/${DEFAULT_NODE_CLASS.kind}/${DEFAULT_NODE_CLASS.name})
  --node-group NAME:GPUS[:MAX]  a GPU node group with GPUS per node and at most MAX nodes (repeatable; filled in
                              order; required for cluster-autoscaler)
  --rule-label KEY=VALUE      a label on the PrometheusRule for the Prometheus' ruleSelector (repeatable)
  --diff                      instead of the objects, what they would change: each value they set beside the
                              cluster's now (kube-state-metrics: kube_deployment_spec_replicas and
                              kube_horizontalpodautoscaler_spec_min/max_replicas; karpenter_nodepools_limit;
                              cluster_autoscaler_node_group_min/max_count), "not visible" where no series shows it
  --json                      print the objects as one JSON kubectl List instead of YAML (with --diff, the rows)

capacity options (see \`headroom capacity --help\`):
${CAPACITY_OPTIONS_USAGE}`;

const PLAN_FLAGS = {
  ...CAPACITY_FLAGS,
  format: { type: 'string' },
  deployment: { type: 'string' },
  kind: { type: 'string' },
  'deployment-namespace': { type: 'string' },
  'gpus-per-replica': { type: 'string' },
  'live-expr': { type: 'string' },
  'server-address': { type: 'string' },
  'hpa-metric': { type: 'string' },
  'kubectl-image': { type: 'string' },
  repeat: { type: 'string' },
  'time-zone': { type: 'string' },
  'safety-factor': { type: 'string' },
  'max-gpus': { type: 'string' },
  'node-pool': { type: 'string' },
  'node-class': { type: 'string' },
  'node-group': { type: 'string', multiple: true },
  'rule-label': { type: 'string', multiple: true },
  diff: { type: 'boolean' },
} as const;

/** The engine's export settings (planManifests), less what the plan itself gives, plus the command's own. */
interface ExportOptions extends Omit<PlanManifestsInput, 'format' | 'gpus' | 'liveQuery' | 'description' | 'header'> {
  format: Format;
  capacity: CapacityOptions;
  liveExpr?: string;
  ruleLabels: Record<string, string>;
  /** A workload format without its namespace or name: found from the vLLM and kube-state-metrics series. */
  find?: { deployment?: string; namespace?: string; model?: string };
  diff: boolean;
}

function parseExportOptions(args: string[]): ExportOptions | 'help' {
  const values = parseFlags(args, PLAN_FLAGS);
  if (values.help) {
    return 'help';
  }
  const format = values.format as Format | undefined;
  if (!format || !FORMATS.includes(format)) {
    throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, got ${JSON.stringify(values.format ?? '')}.`);
  }
  const capacity = capacityOptions(values);
  // Checked before Prometheus is asked anything: a plan is not worth forecasting for input that cannot be used.
  const positive = (flag: string, fallback?: number) => {
    const text = values[flag as keyof typeof values] as string | undefined;
    if (text === undefined) {
      return fallback;
    }
    const x = Number(text);
    if (text.trim() === '' || !(Number.isFinite(x) && x > 0)) {
      throw new UsageError(`--${flag} must be a positive number, got "${text}".`);
    }
    return x;
  };
  const repeat = values.repeat;
  if (repeat !== undefined && repeat !== 'daily' && repeat !== 'weekly') {
    throw new UsageError(`--repeat must be daily or weekly, got "${repeat}".`);
  }
  const safetyFactor = positive('safety-factor', DEFAULT_SAFETY_FACTOR)!;
  checkSafetyFactor(safetyFactor);
  const timeZone = values['time-zone'] ?? DEFAULT_TIME_ZONE;
  checkTimeZone(timeZone);
  const kind = values.kind ?? 'Deployment';
  if (kind !== 'Deployment' && kind !== 'StatefulSet') {
    throw new UsageError(`--kind must be Deployment or StatefulSet, got "${kind}".`);
  }
  const workload = workloadOf(format, values.deployment, kind, values['deployment-namespace'], values.namespace);
  const workloadFormat = format !== 'karpenter' && format !== 'cluster-autoscaler';
  // The metrics find only Deployments (kube_replicaset_owner), so a StatefulSet is named, never guessed.
  if (workloadFormat && !workload && kind === 'StatefulSet') {
    throw new UsageError('--kind StatefulSet needs its name and namespace: --deployment NAMESPACE/NAME.');
  }
  const single = (list: string[] | undefined) => (list?.length === 1 ? list[0] : undefined);
  return {
    format,
    capacity,
    workload,
    find:
      workloadFormat && !workload
        ? { deployment: values.deployment, namespace: single(values.namespace), model: single(values.model) }
        : undefined,
    diff: values.diff === true,
    gpusPerReplica: positive('gpus-per-replica', 1)!,
    liveExpr: values['live-expr'],
    serverAddress: values['server-address'] ?? capacity.prometheusUrl,
    hpaMetric: values['hpa-metric'] ?? DEFAULT_EXTERNAL_METRIC,
    kubectlImage: values['kubectl-image'] ?? DEFAULT_KUBECTL_IMAGE,
    repeat,
    timeZone,
    safetyFactor,
    maxGpus: positive('max-gpus'),
    nodePool: values['node-pool'] ?? DEFAULT_NODE_POOL,
    nodeClass: nodeClassOf(values['node-class']),
    nodeGroups: (values['node-group'] ?? []).map(nodeGroupOf),
    ruleLabels: labelsOf(values['rule-label'] ?? []),
  };
}

function workloadOf(
  format: Format,
  name: string | undefined,
  kind: Workload['kind'],
  namespace: string | undefined,
  namespaceFilters: string[] | undefined
): Workload | undefined {
  if (format === 'karpenter' || format === 'cluster-autoscaler') {
    return undefined;
  }
  if (name?.includes('/')) {
    const [ns, deployment, ...rest] = name.split('/');
    if (!ns || !deployment || rest.length > 0) {
      throw new UsageError(`--deployment takes NAME or NAMESPACE/NAME, got "${name}".`);
    }
    return { name: deployment, namespace: ns, kind };
  }
  const chosen = namespace ?? (namespaceFilters?.length === 1 ? namespaceFilters[0] : undefined);
  // Without a name or its namespace the workload is found from the metrics (findWorkload).
  return name && chosen ? { name, namespace: chosen, kind } : undefined;
}

/** The inference service the metrics show (chooseInferenceService: one, or an error listing the candidates). */
async function findWorkload(client: PrometheusClient, options: ExportOptions, atSeconds: number): Promise<Workload> {
  const found = await fetchInferenceServices(client, options.capacity.catalog, atSeconds);
  const service = chooseInferenceService(found, options.find ?? {});
  process.stderr.write(
    `headroom plan export: deployment ${service.namespace}/${service.deployment} (serves ${service.models.join(', ')})\n`
  );
  return { name: service.deployment, namespace: service.namespace, kind: 'Deployment' };
}

function nodeClassOf(text: string | undefined): ExportOptions['nodeClass'] {
  if (text === undefined) {
    return DEFAULT_NODE_CLASS;
  }
  const [group, kind, name, ...rest] = text.split('/');
  if (!group || !kind || !name || rest.length > 0) {
    throw new UsageError(
      `--node-class takes GROUP/KIND/NAME, e.g. karpenter.k8s.aws/EC2NodeClass/default; got "${text}".`
    );
  }
  return { group, kind, name };
}

function nodeGroupOf(text: string): NodeGroup {
  const [name, gpus, max, ...rest] = text.split(':');
  const whole = (s: string | undefined) => (s !== undefined && /^\d+$/.test(s) ? Number(s) : undefined);
  if (!name || whole(gpus) === undefined || (max !== undefined && whole(max) === undefined) || rest.length > 0) {
    throw new UsageError(`--node-group takes NAME:GPUS_PER_NODE[:MAX_NODES], e.g. gpu-a100:8:10; got "${text}".`);
  }
  return { name, gpusPerNode: whole(gpus)!, maxNodes: whole(max) };
}

function labelsOf(entries: string[]): Record<string, string> {
  return Object.fromEntries(
    entries.map((entry) => {
      const at = entry.indexOf('=');
      if (at <= 0) {
        throw new UsageError(`--rule-label takes KEY=VALUE, e.g. release=kube-prometheus; got "${entry}".`);
      }
      return [entry.slice(0, at), entry.slice(at + 1)];
    })
  );
}

interface Exported {
  emitted: Emitted[];
  warnings: string[];
  /** With --diff: what the objects would change. */
  diff?: DiffRow[];
}

async function exportPlan(options: ExportOptions): Promise<Exported> {
  const client = createPrometheusClient(createFetchTransport(options.capacity.prometheusUrl));
  const report = await buildReport(options.capacity);
  // The values the history ends at: the cluster as the plan last saw it.
  const atSeconds = report.history.endSeconds;
  if (options.find) {
    options = { ...options, workload: await findWorkload(client, options, atSeconds) };
  }
  const gpus = report.plan.gpus;
  if (!gpus) {
    throw new InputError(
      `no GPUs are planned for ${report.target.label}, so there is nothing to scale: ${report.plan.notes.join(' ')}`
    );
  }
  const description = describe(report, options);
  const header = `headroom plan export --format ${options.format}: ${description}`;
  const liveQuery = options.liveExpr ?? report.target.expr;
  if (options.format === 'prometheus-rule') {
    const warnings = [...report.warnings];
    const object = await ruleObject(report, options, liveQuery, description, warnings);
    return { emitted: [{ object, comment: header }], warnings };
  }
  if (options.format === 'cluster-autoscaler' && options.nodeGroups.length === 0) {
    throw new UsageError('--format cluster-autoscaler sizes GPU node groups: give --node-group NAME:GPUS[:MAX].');
  }
  const format = options.format;
  const manifests = planManifests({
    ...options,
    format,
    gpus: { ...gpus, timestampsSeconds: report.plan.timestampsSeconds },
    liveQuery,
    description,
    header,
  });
  const warnings = [...report.warnings, ...manifests.warnings];
  if (!options.diff) {
    return { emitted: manifests.emitted, warnings };
  }
  const { workload } = options;
  const deployed = await fetchDeployedState(
    client,
    {
      namespace: workload?.namespace,
      deployment: workload?.name,
      nodePool: format === 'karpenter' ? options.nodePool : undefined,
      nodeGroups: format === 'cluster-autoscaler' ? options.nodeGroups.map((g) => g.name) : undefined,
    },
    atSeconds
  );
  const diff = deployedDiff(format, manifests, { workload, nodePool: options.nodePool }, deployed.values);
  return { emitted: manifests.emitted, warnings, diff };
}

/**
 * The adaptive rule of `headroom rules export` on the live signal, calibrated at the end of the history; its
 * warnings (a short history) join the command's.
 */
async function ruleObject(
  report: CapacityReport,
  options: ExportOptions,
  expr: string,
  description: string,
  warnings: string[]
) {
  const client = createPrometheusClient(createFetchTransport(options.capacity.prometheusUrl));
  const at = report.history.endSeconds;
  const history = await fetchTrainingSeries(client, expr, at);
  const calibrated = calibrateSeries(history.timestamps, history.values, at);
  const { calibration, timing } = calibrated;
  warnings.push(...calibrated.warnings);
  const workload = options.workload!;
  const ruleFile = thresholdRuleFile({
    name: workload.name.replace(/[^A-Za-z0-9_]/g, '_').replace(/^(?=\d)/, '_'),
    selector: expr,
    band: calibration.band,
    forSeconds: timing.forSeconds,
    keepFiringForSeconds: timing.keepFiringForSeconds,
    evaluationIntervalSeconds: calibration.stepSeconds,
  });
  return prometheusRule(
    parse(ruleFile) as RuleFile,
    workload.name,
    workload.namespace,
    description,
    options.ruleLabels
  );
}

function describe(report: CapacityReport, options: ExportOptions): string {
  const gpus = report.plan.gpus!;
  return planDescription({
    level: report.plan.demand.level,
    model: report.forecast.model,
    label: report.target.label,
    startSeconds: report.plan.timestampsSeconds[0],
    hours: report.plan.timestampsSeconds.length,
    targetUtilisation: gpus.targetUtilisation,
    coldStartLeadSeconds: gpus.coldStartLeadSeconds,
    safetyFactor: options.safetyFactor,
  });
}

async function runExport(args: string[]): Promise<number> {
  const options = parseExportOptions(args);
  if (options === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  if (options.diff && options.format === 'prometheus-rule') {
    throw new UsageError(
      '--diff compares replicas and node limits: use it with keda, hpa, karpenter or cluster-autoscaler.'
    );
  }
  const { emitted, warnings, diff } = await exportPlan(options);
  if (diff) {
    process.stdout.write(options.capacity.json ? `${JSON.stringify(diff, null, 2)}\n` : `${diffText(diff)}\n`);
  } else {
    process.stdout.write(
      options.capacity.json
        ? `${JSON.stringify({ apiVersion: 'v1', kind: 'List', items: emitted.map((e) => e.object) }, null, 2)}\n`
        : manifestsYaml(emitted)
    );
  }
  for (const warning of warnings) {
    process.stderr.write(`headroom plan export: warning: ${warning}\n`);
  }
  return 0;
}

export const planCommand: CliCommand = {
  summary: 'export the capacity plan as Kubernetes objects: KEDA, HPA, Karpenter, cluster autoscaler, PrometheusRule',
  async run(args) {
    const [sub, ...rest] = args;
    if (sub !== 'export') {
      const help = sub === '--help' || sub === '-h';
      (help ? process.stdout : process.stderr).write(USAGE);
      return help ? 0 : 2;
    }
    try {
      return await runExport(rest);
    } catch (error) {
      return reportCommandError('plan export', error, { usage: [CapacityInputError] });
    }
  },
};
