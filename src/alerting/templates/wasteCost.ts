/**
 * Alert-rule template for the cost of idle GPUs, in PromQL people would write by hand: the dollars per hour spent on
 * GPUs that pods hold (kube-state-metrics says the pod requests a GPU) while DCGM shows them idle, each GPU priced at
 * its model's price as a constant. "Idle" is the product's rule: at least 90 % of the last 6 hours' one-minute steps
 * under 5 % activity. Exported as a Prometheus rule file (Grafana imports the same expression as a data-source rule).
 */
import { dcgmGpuEquivalents } from '../../prometheus/inventoryQueries';
import { anyOfMatcher, matcher, regexEscape, selector } from '../../prometheus/promql';
import { runbookLine, RUNBOOKS } from '../runbooks';
import { costByModelExpr, pricedModels } from './pricedGpus';

export interface WasteCostRuleSpec {
  /** Dollars per GPU-hour by DCGM `modelName`; GPUs of other models are not priced (and not alerted on). */
  pricesPerGpuHour: Record<string, number>;
  /** Fire when idle GPUs cost more than this many dollars per hour. */
  thresholdDollarsPerHour: number;
  /** Activity metric: `DCGM_FI_DEV_GPU_UTIL` (percent) or `DCGM_FI_PROF_GR_ENGINE_ACTIVE` (ratio). */
  activityMetric?: 'DCGM_FI_DEV_GPU_UTIL' | 'DCGM_FI_PROF_GR_ENGINE_ACTIVE';
  idleActivityPercent?: number;
  idleSampleShare?: number;
  windowHours?: number;
  forMinutes?: number;
  evaluationIntervalSeconds?: number;
  /** Workload labels on DCGM series (`exported_namespace` / `exported_pod` when relabelled on scrape). */
  namespaceLabel?: string;
  podLabel?: string;
  /** Grafana's URL: the alert links the GPU waste review dashboard (`runbook_url`); no link without it. */
  grafanaUrl?: string;
}

export const WASTE_COST_RECORD = 'headroom:idle_gpu_cost_dollars_per_hour';
export const WASTE_COST_ALERT = 'HeadroomIdleGpuCost';

const quote = (text: string) => JSON.stringify(text);

/**
 * Σ over models of (idle held GPUs of that model) × its price: dollars per hour burnt on idle GPUs. A MIG instance of
 * an `Ng` profile counts N/7 of a GPU, as inventory and the efficiency analysis count it (`gpuEquivalents`).
 */
export function wasteCostExpr(spec: WasteCostRuleSpec): string {
  const metric = spec.activityMetric ?? 'DCGM_FI_DEV_GPU_UTIL';
  const idlePercent = spec.idleActivityPercent ?? 5;
  const floor = metric === 'DCGM_FI_DEV_GPU_UTIL' ? idlePercent : idlePercent / 100;
  const share = spec.idleSampleShare ?? 0.9;
  const hours = spec.windowHours ?? 6;
  const namespace = spec.namespaceLabel ?? 'namespace';
  const pod = spec.podLabel ?? 'pod';
  const models = pricedModels(spec.pricesPerGpuHour, 'waste-cost');
  const requested = selector('kube_pod_container_resource_requests', [
    matcher('resource', '=~', `nvidia_com_gpu|${regexEscape('nvidia_com_mig_')}.+`),
  ]);
  return costByModelExpr(models, (model) => {
    const idleHeld = (profile: string) => {
      const held = selector(metric, [profile, matcher(pod, '!=', ''), anyOfMatcher('modelName', [model])]);
      return (
        `count without () (\n` +
        `    avg_over_time((${held} < bool ${floor})[${hours}h:1m]) >= ${share}\n` +
        `    and on (${namespace}, ${pod}) ${requested} > 0\n` +
        `  )`
      );
    };
    return dcgmGpuEquivalents(idleHeld);
  });
}

/** The rule file (YAML): the recording rule and the alert on it. */
export function wasteCostRuleFile(spec: WasteCostRuleSpec): string {
  if (!(spec.thresholdDollarsPerHour >= 0)) {
    throw new RangeError(`The threshold must be ≥ 0 dollars per hour, got ${spec.thresholdDollarsPerHour}.`);
  }
  const indent = (text: string, spaces: number) => text.split('\n').join(`\n${' '.repeat(spaces)}`);
  return [
    'groups:',
    '  - name: "headroom_waste_cost"',
    `    interval: ${spec.evaluationIntervalSeconds ?? 60}s`,
    '    rules:',
    `      - record: ${WASTE_COST_RECORD}`,
    '        expr: |',
    `          ${indent(wasteCostExpr(spec), 10)}`,
    `      - alert: ${WASTE_COST_ALERT}`,
    `        expr: ${WASTE_COST_RECORD} > ${spec.thresholdDollarsPerHour}`,
    `        for: ${spec.forMinutes ?? 30}m`,
    '        labels:',
    '          managed_by: "headroom"',
    '        annotations:',
    `          summary: ${quote('Idle GPUs held by pods cost {{ $value | printf "%.2f" }} $/h')}`,
    `          description: ${quote(
      `GPUs held by pods with at least ${Math.round((spec.idleSampleShare ?? 0.9) * 100)} % of the last ` +
        `${spec.windowHours ?? 6} h under ${spec.idleActivityPercent ?? 5} % activity cost more than ` +
        `${spec.thresholdDollarsPerHour} $/h. See the Headroom Efficiency page for the pods.`
    )}`,
    ...runbookLine(RUNBOOKS.idleGpuCost, spec.grafanaUrl),
    '',
  ].join('\n');
}
