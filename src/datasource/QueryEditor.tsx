import React from 'react';
import type { QueryEditorProps, SelectableValue } from '@grafana/data';
import { InlineField, InlineSwitch, Input, RadioButtonGroup, Select, Stack } from '@grafana/ui';

import { ALERT_MEASURES, DEFAULT_WITHIN_DAYS } from '../frames/alert/alertQuery';
import type { HeadroomDataSource } from './datasource';
import { LSTM_MODEL, OFFERED_MODELS } from './forecast/forecastTask';
import { EXPR_TARGET, FORECASTABLE_TARGETS } from './forecast/runForecastQuery';
import { HISTORY_DAYS, MAX_HORIZON_HOURS } from './forecast/forecastQuery';
import {
  DEFAULT_QUERY,
  FORECAST_DEFAULTS,
  QUERY_TYPE_LABELS,
  type AlertMeasure,
  type DemandLevel,
  type EfficiencyView,
  type FragmentationView,
  type HeadroomDataSourceOptions,
  type HeadroomQuery,
  type HeadroomQueryType,
  type InventoryView,
  type PricingTier,
  type ServingView,
  type WasteGroupBy,
} from './types';

type Props = QueryEditorProps<HeadroomDataSource, HeadroomQuery, HeadroomDataSourceOptions>;

const QUERY_TYPE_DESCRIPTIONS: Record<HeadroomQueryType, string> = {
  inventory: 'GPU capacity, allocated, busy and free GPUs',
  forecast: 'History and forecast of one series with 80 and 95 % bands',
  capacity: 'Forecast plus GPUs needed, scale-out schedule, cost mix and exhaustion',
  fragmentation: 'Free GPUs the jobs people submit cannot use, what fits now, and the moves that make room',
  efficiency: 'Idle and wasted GPU-hours and their cost, MFU estimate, monthly burn',
  alert: "One number per series for Grafana's alert rules (reduce and threshold expressions)",
  serving: 'Inference services from vLLM and kube-state-metrics, what one runs now, measured tokens/s per GPU',
};

const SERVING_VIEWS: Array<SelectableValue<ServingView>> = [
  { label: 'Services', value: 'services', description: 'vLLM models joined to the Deployments that serve them' },
  { label: 'Deployed', value: 'deployed', description: "A Deployment's replicas and HPA, a NodePool's GPU limit" },
  {
    label: 'Throughput',
    value: 'throughput',
    description: 'Tokens/s per GPU per model, 0.9 quantile of serving hours',
  },
];

const QUERY_TYPES: Array<SelectableValue<HeadroomQueryType>> = (
  Object.entries(QUERY_TYPE_LABELS) as Array<[HeadroomQueryType, string]>
).map(([value, label]) => ({ label, value, description: QUERY_TYPE_DESCRIPTIONS[value] }));

const FRAGMENTATION_VIEWS: Array<SelectableValue<FragmentationView>> = [
  {
    label: 'Summary',
    value: 'summary',
    description: 'Free, fragmented and fully free GPUs, gangs, at the newest state',
  },
  { label: 'GPU grid', value: 'grid', description: 'One row per node and GPU: free, allocated, shared or MIG' },
  { label: 'Jobs that fit', value: 'jobsFit', description: 'How many more 1/2/4/8-GPU jobs and learnt job types fit' },
  { label: 'Over time', value: 'overTime', description: 'Fragmented share of free GPUs at up to 60 instants' },
  { label: 'Defrag plan', value: 'defragPlan', description: 'Fewest pod moves that let the largest pending job start' },
];

const EFFICIENCY_VIEWS: Array<SelectableValue<EfficiencyView>> = [
  { label: 'Waste', value: 'waste', description: 'Allocated, busy and idle GPU-hours and $ wasted, with flags' },
  { label: 'MFU', value: 'mfu', description: 'Per-pod MFU estimate from DCGM tensor activity, and its distribution' },
  { label: 'Burn', value: 'burn', description: 'Month-to-date spend and its projection against the monthly budget' },
  { label: 'Disagreements', value: 'disagreements', description: 'Busy GPUs without a pod, pods DCGM does not see' },
  {
    label: 'Spot interruptions',
    value: 'spot',
    description: 'Share of spot GPUs interrupted per day, from node churn',
  },
];

const ALERT_MEASURE_DESCRIPTIONS: Record<AlertMeasure, string> = {
  exhaustionProbability: 'Highest hourly chance that demand exceeds capacity within the days asked (0 to 1)',
  daysToExhaustion80: 'Days until the upper 80 % forecast exceeds capacity; no value when not within the horizon',
  fragmentedShare: "Share of free GPUs on nodes where the workload's jobs cannot start (0 to 1)",
  largestGang: 'Most GPUs one job can get on one node now',
  idleGpus: 'GPUs held by idle pods, per namespace',
  idleCostPerHour: 'What the GPUs of idle pods cost an hour, per namespace (list prices)',
  budgetRatio: 'Month-end projected GPU spend over the monthly budget (1 = 100 %)',
};

const ALERT_MEASURE_OPTIONS: Array<SelectableValue<AlertMeasure>> = (Object.keys(ALERT_MEASURES) as AlertMeasure[]).map(
  (value) => ({ label: ALERT_MEASURES[value].name, value, description: ALERT_MEASURE_DESCRIPTIONS[value] })
);

const DEFAULT_MEASURE: AlertMeasure = 'exhaustionProbability';
const FORECAST_MEASURES: readonly AlertMeasure[] = ['exhaustionProbability', 'daysToExhaustion80'];
/** The capacity inputs an exhaustion measure reads: the capacity and how demand converts to GPUs. */
const EXHAUSTION_FIELDS: readonly TextKey[] = ['capacity', 'throughputPerGpu'];

const WASTE_GROUPS: Array<SelectableValue<WasteGroupBy>> = [
  { label: 'Pod', value: 'pod' },
  { label: 'Namespace', value: 'namespace' },
  { label: 'GPU model', value: 'gpuModel' },
];

const PRICING_TIERS: Array<SelectableValue<PricingTier>> = [
  { label: 'On-demand', value: 'onDemand' },
  { label: 'Reserved', value: 'reserved' },
  { label: 'Spot', value: 'spot' },
];

const TARGETS: Array<SelectableValue<string>> = [
  ...FORECASTABLE_TARGETS.map((t) => ({ label: t.label, value: t.id, description: t.unit })),
  { label: 'PromQL', value: EXPR_TARGET, description: 'Any expression returning one series' },
];

const MODELS: Array<SelectableValue<string>> = OFFERED_MODELS.map((value) => ({
  label: value,
  value,
  description:
    value === LSTM_MODEL ? 'Neural network trained in the browser: seconds per series, not in auto' : undefined,
}));

const DEMAND_LEVELS: Array<SelectableValue<DemandLevel>> = [
  { label: 'Mean', value: 'mean' },
  { label: 'Upper 80 %', value: '80' },
  { label: 'Upper 95 %', value: '95' },
];

type TextKey =
  | 'horizonHours'
  | 'capacity'
  | 'targetUtilisationPercent'
  | 'throughputPerGpu'
  | 'coldStartHours'
  | 'priceGpuModel'
  | 'withinDays'
  | 'monthlyBudget';

const CAPACITY_FIELDS: Array<{ key: TextKey; label: string; tooltip: string; placeholder: string }> = [
  {
    key: 'capacity',
    label: 'Capacity (GPUs)',
    tooltip: 'A number, or gpu_capacity for the fleet capacity read from Prometheus',
    placeholder: FORECAST_DEFAULTS.capacity,
  },
  {
    key: 'targetUtilisationPercent',
    label: 'Target utilisation (%)',
    tooltip: 'Plan GPUs so none runs above this; the rest is the safety buffer',
    placeholder: FORECAST_DEFAULTS.targetUtilisationPercent,
  },
  {
    key: 'throughputPerGpu',
    label: 'Throughput per GPU',
    tooltip:
      "Demand one fully busy GPU serves, in the target's unit, or calibrated to regress it on busy GPUs. Empty: GPU " +
      'counts need none, tokens/s are calibrated, PromQL counts GPUs. Ratios and queues get no GPU plan.',
    placeholder: 'by unit',
  },
  {
    key: 'coldStartHours',
    label: 'Cold start (h)',
    tooltip: 'Hours from requesting GPUs to serving with them',
    placeholder: FORECAST_DEFAULTS.coldStartHours,
  },
  {
    key: 'priceGpuModel',
    label: 'Priced as',
    tooltip:
      "GPU model of the app configuration's price catalog. Empty: the fleet's GPU models, each priced for its share " +
      'of the GPUs (the GPU model filter narrows them)',
    placeholder: 'fleet models',
  },
];

const VIEWS: Array<SelectableValue<InventoryView>> = [
  { label: 'Fleet', value: 'fleet', description: 'Totals of the whole fleet over time' },
  { label: 'By GPU model', value: 'byModel', description: 'One series per GPU model' },
  { label: 'By namespace', value: 'byNamespace', description: 'Allocated and busy GPUs per namespace' },
  { label: 'Nodes', value: 'nodes', description: 'A table, one row per node, at the end of the range' },
];

type FilterKey = 'node' | 'namespace' | 'gpuModel';

const FILTERS: Array<{ key: FilterKey; label: string; placeholder: string; tooltip: string }> = [
  { key: 'node', label: 'Node', placeholder: 'all, or e.g. $node', tooltip: 'Kubernetes node name' },
  { key: 'namespace', label: 'Namespace', placeholder: 'all, or e.g. $namespace', tooltip: 'Namespace of the pods' },
  { key: 'gpuModel', label: 'GPU model', placeholder: 'all, or e.g. $gpu_model', tooltip: 'DCGM modelName' },
];

const FILTER_TOOLTIP_SUFFIX =
  '. Empty means all. A value, a template variable (multi-value and All work), or several values as a JSON array.';

export function QueryEditor({ query, onChange, onRunQuery }: Props) {
  const change = (next: Partial<HeadroomQuery>, run: boolean) => {
    onChange({ ...query, ...next });
    if (run) {
      onRunQuery();
    }
  };

  const queryType = query.queryType ?? DEFAULT_QUERY.queryType;
  const measure = query.measure ?? DEFAULT_MEASURE;
  const alertOn = (measures: readonly AlertMeasure[]) => queryType === 'alert' && measures.includes(measure);
  const forecastInputs = queryType === 'forecast' || queryType === 'capacity' || alertOn(FORECAST_MEASURES);
  const textField = (key: TextKey, label: string, tooltip: string, placeholder: string) => (
    <InlineField key={key} label={label} tooltip={tooltip}>
      <Input
        aria-label={label}
        width={16}
        placeholder={placeholder}
        value={query[key] ?? ''}
        onChange={(event) => change({ [key]: event.currentTarget.value }, false)}
        onBlur={() => onRunQuery()}
      />
    </InlineField>
  );

  const workloadDaysField = (
    <InlineField label="Workload (days)" tooltip="Days of GPU requests the job mix is learnt from; default 7">
      <Input
        aria-label="Workload days"
        width={10}
        placeholder="7"
        value={query.workloadDays ?? ''}
        onChange={(event) => change({ workloadDays: event.currentTarget.value }, false)}
        onBlur={() => onRunQuery()}
      />
    </InlineField>
  );
  const pricingTierField = (
    <InlineField label="Priced at" tooltip="Which price of the app configuration's catalog">
      <RadioButtonGroup
        options={PRICING_TIERS}
        value={query.pricingTier ?? 'onDemand'}
        onChange={(pricingTier) => change({ pricingTier }, true)}
      />
    </InlineField>
  );

  return (
    <Stack direction="column" gap={1}>
      <Stack gap={2} wrap="wrap">
        <InlineField label="Query" tooltip="What Headroom computes">
          <RadioButtonGroup
            options={QUERY_TYPES}
            value={query.queryType ?? DEFAULT_QUERY.queryType}
            // An alert query always names its measure, so the rule's model says what it measures.
            onChange={(queryType) => change(queryType === 'alert' ? { queryType, measure } : { queryType }, true)}
          />
        </InlineField>
        {queryType === 'inventory' && (
          <InlineField label="View" tooltip="How the inventory is grouped">
            <RadioButtonGroup
              options={VIEWS}
              value={query.inventoryView ?? DEFAULT_QUERY.inventoryView}
              onChange={(inventoryView) => change({ inventoryView }, true)}
            />
          </InlineField>
        )}
      </Stack>
      {queryType === 'efficiency' && (
        <Stack gap={1} wrap="wrap">
          <InlineField label="View" tooltip="Which part of the efficiency analysis">
            <RadioButtonGroup
              options={EFFICIENCY_VIEWS}
              value={query.efficiencyView ?? 'waste'}
              onChange={(efficiencyView) => change({ efficiencyView }, true)}
            />
          </InlineField>
          {(query.efficiencyView ?? 'waste') === 'waste' && (
            <InlineField label="Rows" tooltip="One row per pod, or pods summed by namespace or GPU model">
              <RadioButtonGroup
                options={WASTE_GROUPS}
                value={query.wasteGroupBy ?? 'pod'}
                onChange={(wasteGroupBy) => change({ wasteGroupBy }, true)}
              />
            </InlineField>
          )}
          {pricingTierField}
        </Stack>
      )}
      {queryType === 'serving' && (
        <Stack gap={1} wrap="wrap">
          <InlineField label="View" tooltip="Which part of what the inference services run">
            <RadioButtonGroup
              options={SERVING_VIEWS}
              value={query.servingView ?? 'services'}
              onChange={(servingView) => change({ servingView }, true)}
            />
          </InlineField>
          {query.servingView === 'deployed' && (
            <InlineField label="Deployment" tooltip="NAMESPACE/NAME">
              <Input
                aria-label="Deployment"
                width={30}
                placeholder="inference/vllm-llama"
                value={query.deployment ?? ''}
                onChange={(event) => change({ deployment: event.currentTarget.value }, false)}
                onBlur={() => onRunQuery()}
              />
            </InlineField>
          )}
        </Stack>
      )}
      {queryType === 'fragmentation' && (
        <Stack gap={1} wrap="wrap">
          <InlineField label="View" tooltip="Which part of the fragmentation analysis">
            <RadioButtonGroup
              options={FRAGMENTATION_VIEWS}
              value={query.fragmentationView ?? 'summary'}
              onChange={(fragmentationView) => change({ fragmentationView }, true)}
            />
          </InlineField>
          {workloadDaysField}
        </Stack>
      )}
      {queryType === 'alert' && (
        <Stack gap={1} wrap="wrap">
          <InlineField
            label="Measure"
            tooltip="The number each series answers; the rule's reduce and threshold compare it"
          >
            <Select
              aria-label="Alert measure"
              width={40}
              options={ALERT_MEASURE_OPTIONS}
              value={measure}
              onChange={(option) => change({ measure: option.value }, true)}
            />
          </InlineField>
          {measure === 'exhaustionProbability' &&
            textField(
              'withinDays',
              'Within (days)',
              `Days ahead the chance of running out counts, 1 to ${MAX_HORIZON_HOURS / 24}`,
              String(DEFAULT_WITHIN_DAYS)
            )}
          {alertOn(['fragmentedShare', 'largestGang']) && workloadDaysField}
          {alertOn(['idleCostPerHour', 'budgetRatio']) && pricingTierField}
          {measure === 'budgetRatio' &&
            textField(
              'monthlyBudget',
              'Monthly budget ($)',
              "US dollars a month. Empty: the app configuration's budget, in panels only: an alert rule, evaluated " +
                "by Headroom's backend, needs it here",
              'app setting'
            )}
        </Stack>
      )}
      {forecastInputs && (
        <Stack gap={1} wrap="wrap">
          <InlineField label="Target" tooltip="What to forecast: a preset of the fleet, or any PromQL">
            <Select
              aria-label="Forecast target"
              width={28}
              options={TARGETS}
              value={query.target ?? FORECAST_DEFAULTS.target}
              onChange={(option) => change({ target: option.value }, true)}
            />
          </InlineField>
          {query.target === EXPR_TARGET && (
            <InlineField label="PromQL" grow tooltip="Must return one series; aggregate with sum(...) if needed">
              <Input
                aria-label="PromQL expression"
                width={60}
                value={query.expr ?? ''}
                placeholder='sum(kube_pod_container_resource_requests{resource="nvidia_com_gpu"})'
                onChange={(event) => change({ expr: event.currentTarget.value }, false)}
                onBlur={() => onRunQuery()}
              />
            </InlineField>
          )}
          {!alertOn(['exhaustionProbability']) &&
            textField(
              'horizonHours',
              'Horizon (h)',
              `Hours to forecast, up to ${MAX_HORIZON_HOURS} (the ${HISTORY_DAYS} days of history a forecast reads) and at most the history there is; the first hours do not change with the horizon`,
              FORECAST_DEFAULTS.horizonHours
            )}
          <InlineField label="Model" tooltip="auto backtests every model on this series and combines the best">
            <Select
              aria-label="Forecast model"
              width={20}
              options={MODELS}
              value={query.model ?? FORECAST_DEFAULTS.model}
              onChange={(option) => change({ model: option.value }, true)}
            />
          </InlineField>
          <InlineField label="Business calendar" tooltip="Use the events of the app configuration">
            <InlineSwitch
              aria-label="Use business calendar"
              value={query.useCalendar ?? false}
              onChange={(event) => change({ useCalendar: event.currentTarget.checked }, true)}
            />
          </InlineField>
        </Stack>
      )}
      {alertOn(FORECAST_MEASURES) && (
        <Stack gap={1} wrap="wrap">
          {CAPACITY_FIELDS.filter((field) => EXHAUSTION_FIELDS.includes(field.key)).map((field) =>
            textField(field.key, field.label, field.tooltip, field.placeholder)
          )}
        </Stack>
      )}
      {queryType === 'capacity' && (
        <Stack gap={1} wrap="wrap">
          {CAPACITY_FIELDS.map((field) => textField(field.key, field.label, field.tooltip, field.placeholder))}
          <InlineField label="Plan for" tooltip="Which forecast the GPUs are planned for">
            <RadioButtonGroup
              options={DEMAND_LEVELS}
              value={query.demandLevel ?? FORECAST_DEFAULTS.demandLevel}
              onChange={(demandLevel) => change({ demandLevel }, true)}
            />
          </InlineField>
        </Stack>
      )}
      <Stack gap={1} wrap="wrap">
        {FILTERS.map((filter) => (
          <InlineField key={filter.key} label={filter.label} tooltip={filter.tooltip + FILTER_TOOLTIP_SUFFIX}>
            <Input
              aria-label={`${filter.label} filter`}
              width={30}
              placeholder={filter.placeholder}
              value={query[filter.key] ?? ''}
              // Typing updates the query; leaving the field runs it, so half-typed names do not hit Prometheus.
              onChange={(event) => change({ [filter.key]: event.currentTarget.value }, false)}
              onBlur={() => onRunQuery()}
            />
          </InlineField>
        ))}
      </Stack>
    </Stack>
  );
}
