import React from 'react';
import type { QueryEditorProps, SelectableValue } from '@grafana/data';
import { t } from '@grafana/i18n';
import { InlineField, InlineSwitch, Input, RadioButtonGroup, Select, Stack } from '@grafana/ui';

import { ALERT_MEASURES, DEFAULT_WITHIN_DAYS } from '../frames/alert/alertQuery';
import type { HeadroomDataSource } from './datasource';
import { LSTM_MODEL, OFFERED_MODELS } from './forecast/forecastTask';
import { EXPR_TARGET, FORECASTABLE_TARGETS } from './forecast/runForecastQuery';
import { HISTORY_DAYS, MAX_HORIZON_HOURS } from './forecast/forecastQuery';
import { queryTypeText } from './queryTypeText';
import { targetLabel } from './targetLabels';
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

// The editor's words in the user's language (docs/i18n.md): built at render, since `t` is bound to this plugin's
// namespace only once the module has loaded. Query types, measures and targets keep their ids; only labels change.

const queryTypes = (): Array<SelectableValue<HeadroomQueryType>> =>
  (Object.keys(QUERY_TYPE_LABELS) as HeadroomQueryType[]).map((value) => ({ value, ...queryTypeText(value) }));

const servingViews = (): Array<SelectableValue<ServingView>> => [
  {
    label: t('datasource.query-editor.serving.services.label', 'Services'),
    value: 'services',
    description: t(
      'datasource.query-editor.serving.services.description',
      'vLLM models joined to the Deployments that serve them'
    ),
  },
  {
    label: t('datasource.query-editor.serving.deployed.label', 'Deployed'),
    value: 'deployed',
    description: t(
      'datasource.query-editor.serving.deployed.description',
      "A Deployment's replicas and HPA, a NodePool's GPU limit"
    ),
  },
  {
    label: t('datasource.query-editor.serving.throughput.label', 'Throughput'),
    value: 'throughput',
    description: t(
      'datasource.query-editor.serving.throughput.description',
      'Tokens/s per GPU per model, 0.9 quantile of serving hours'
    ),
  },
];

const fragmentationViews = (): Array<SelectableValue<FragmentationView>> => [
  {
    label: t('datasource.query-editor.fragmentation.summary.label', 'Summary'),
    value: 'summary',
    description: t(
      'datasource.query-editor.fragmentation.summary.description',
      'Free, fragmented and fully free GPUs, gangs, at the newest state'
    ),
  },
  {
    label: t('datasource.query-editor.fragmentation.grid.label', 'GPU grid'),
    value: 'grid',
    description: t(
      'datasource.query-editor.fragmentation.grid.description',
      'One row per node and GPU: free, allocated, shared or MIG'
    ),
  },
  {
    label: t('datasource.query-editor.fragmentation.jobs-fit.label', 'Jobs that fit'),
    value: 'jobsFit',
    description: t(
      'datasource.query-editor.fragmentation.jobs-fit.description',
      'How many more 1/2/4/8-GPU jobs and learnt job types fit'
    ),
  },
  {
    label: t('datasource.query-editor.fragmentation.over-time.label', 'Over time'),
    value: 'overTime',
    description: t(
      'datasource.query-editor.fragmentation.over-time.description',
      'Fragmented share of free GPUs at up to 60 instants'
    ),
  },
  {
    label: t('datasource.query-editor.fragmentation.defrag-plan.label', 'Defrag plan'),
    value: 'defragPlan',
    description: t(
      'datasource.query-editor.fragmentation.defrag-plan.description',
      'Fewest pod moves that let the largest pending job start'
    ),
  },
];

const efficiencyViews = (): Array<SelectableValue<EfficiencyView>> => [
  {
    label: t('datasource.query-editor.efficiency.waste.label', 'Waste'),
    value: 'waste',
    description: t(
      'datasource.query-editor.efficiency.waste.description',
      'Allocated, busy and idle GPU-hours and $ wasted, with flags'
    ),
  },
  {
    // A name, the same in every language.
    // eslint-disable-next-line @grafana/i18n/no-untranslated-strings
    label: 'MFU',
    value: 'mfu',
    description: t(
      'datasource.query-editor.efficiency.mfu.description',
      'Per-pod MFU estimate from DCGM tensor activity, and its distribution'
    ),
  },
  {
    label: t('datasource.query-editor.efficiency.burn.label', 'Burn'),
    value: 'burn',
    description: t(
      'datasource.query-editor.efficiency.burn.description',
      'Month-to-date spend and its projection against the monthly budget'
    ),
  },
  {
    label: t('datasource.query-editor.efficiency.disagreements.label', 'Disagreements'),
    value: 'disagreements',
    description: t(
      'datasource.query-editor.efficiency.disagreements.description',
      'Busy GPUs without a pod, pods DCGM does not see'
    ),
  },
  {
    label: t('datasource.query-editor.efficiency.spot.label', 'Spot interruptions'),
    value: 'spot',
    description: t(
      'datasource.query-editor.efficiency.spot.description',
      'Share of spot GPUs interrupted per day, from node churn'
    ),
  },
];

function alertMeasureText(measure: AlertMeasure): { label: string; description: string } {
  switch (measure) {
    case 'exhaustionProbability':
      return {
        label: t('datasource.query-editor.measures.exhaustion-probability.label', 'Exhaustion probability'),
        description: t(
          'datasource.query-editor.measures.exhaustion-probability.description',
          'Highest hourly chance that demand exceeds capacity within the days asked (0 to 1)'
        ),
      };
    case 'daysToExhaustion80':
      return {
        label: t('datasource.query-editor.measures.days-to-exhaustion.label', 'Days until upper 80 % exceeds capacity'),
        description: t(
          'datasource.query-editor.measures.days-to-exhaustion.description',
          'Days until the upper 80 % forecast exceeds capacity; no value when not within the horizon'
        ),
      };
    case 'fragmentedShare':
      return {
        label: t('datasource.query-editor.measures.fragmented-share.label', 'Fragmented share of free GPUs'),
        description: t(
          'datasource.query-editor.measures.fragmented-share.description',
          "Share of free GPUs on nodes where the workload's jobs cannot start (0 to 1)"
        ),
      };
    case 'largestGang':
      return {
        label: t('datasource.query-editor.measures.largest-gang.label', 'Largest placeable gang'),
        description: t(
          'datasource.query-editor.measures.largest-gang.description',
          'Most GPUs one job can get on one node now'
        ),
      };
    case 'idleGpus':
      return {
        label: t('datasource.query-editor.measures.idle-gpus.label', 'Idle GPUs'),
        description: t(
          'datasource.query-editor.measures.idle-gpus.description',
          'GPUs held by idle pods, per namespace'
        ),
      };
    case 'idleCostPerHour':
      return {
        label: t('datasource.query-editor.measures.idle-cost.label', 'Idle cost per hour'),
        description: t(
          'datasource.query-editor.measures.idle-cost.description',
          'What the GPUs of idle pods cost an hour, per namespace (list prices)'
        ),
      };
    case 'budgetRatio':
      return {
        label: t('datasource.query-editor.measures.budget-ratio.label', 'Projected month spend / budget'),
        description: t(
          'datasource.query-editor.measures.budget-ratio.description',
          'Month-end projected GPU spend over the monthly budget (1 = 100 %)'
        ),
      };
  }
}

const alertMeasureOptions = (): Array<SelectableValue<AlertMeasure>> =>
  (Object.keys(ALERT_MEASURES) as AlertMeasure[]).map((value) => ({ value, ...alertMeasureText(value) }));

const DEFAULT_MEASURE: AlertMeasure = 'exhaustionProbability';
const FORECAST_MEASURES: readonly AlertMeasure[] = ['exhaustionProbability', 'daysToExhaustion80'];
/** The capacity inputs an exhaustion measure reads: the capacity and how demand converts to GPUs. */
const EXHAUSTION_FIELDS: readonly TextKey[] = ['capacity', 'throughputPerGpu'];

const wasteGroups = (): Array<SelectableValue<WasteGroupBy>> => [
  // Kubernetes' and AWS's names, kept as they are in Chinese too.
  // eslint-disable-next-line @grafana/i18n/no-untranslated-strings
  { label: 'Pod', value: 'pod' },
  { label: t('datasource.query-editor.waste-groups.namespace', 'Namespace'), value: 'namespace' },
  { label: t('datasource.query-editor.waste-groups.gpu-model', 'GPU model'), value: 'gpuModel' },
];

const pricingTiers = (): Array<SelectableValue<PricingTier>> => [
  { label: t('datasource.query-editor.pricing.on-demand', 'On-demand'), value: 'onDemand' },
  { label: t('datasource.query-editor.pricing.reserved', 'Reserved'), value: 'reserved' },
  // eslint-disable-next-line @grafana/i18n/no-untranslated-strings
  { label: 'Spot', value: 'spot' },
];

/** A target's unit, as the description under its name. */
function unitText(unit: string): string {
  switch (unit) {
    case 'GPUs':
      return t('datasource.query-editor.units.gpus', 'GPUs');
    case 'ratio':
      return t('datasource.query-editor.units.ratio', 'ratio');
    case 'tokens/s':
      return t('datasource.query-editor.units.tokens-per-second', 'tokens/s');
    case 'requests':
      return t('datasource.query-editor.units.requests', 'requests');
    default:
      return unit;
  }
}

const targets = (): Array<SelectableValue<string>> => [
  ...FORECASTABLE_TARGETS.map((target) => ({
    label: targetLabel(target.id, target.label),
    value: target.id,
    description: unitText(target.unit),
  })),
  {
    // The query language's name.
    // eslint-disable-next-line @grafana/i18n/no-untranslated-strings
    label: 'PromQL',
    value: EXPR_TARGET,
    description: t('datasource.query-editor.targets.promql', 'Any expression returning one series'),
  },
];

const models = (): Array<SelectableValue<string>> =>
  OFFERED_MODELS.map((value) => ({
    label: value,
    value,
    description:
      value === LSTM_MODEL
        ? t(
            'datasource.query-editor.models.lstm',
            'Neural network trained in the browser: seconds per series, not in auto'
          )
        : undefined,
  }));

const demandLevels = (): Array<SelectableValue<DemandLevel>> => [
  { label: t('datasource.query-editor.demand.mean', 'Mean'), value: 'mean' },
  { label: t('datasource.query-editor.demand.upper', 'Upper {{level}} %', { level: 80 }), value: '80' },
  { label: t('datasource.query-editor.demand.upper', 'Upper {{level}} %', { level: 95 }), value: '95' },
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

const capacityFields = (): Array<{ key: TextKey; label: string; tooltip: string; placeholder: string }> => [
  {
    key: 'capacity',
    label: t('datasource.query-editor.capacity.capacity.label', 'Capacity (GPUs)'),
    tooltip: t(
      'datasource.query-editor.capacity.capacity.tooltip',
      'A number, or gpu_capacity for the fleet capacity read from Prometheus'
    ),
    placeholder: FORECAST_DEFAULTS.capacity,
  },
  {
    key: 'targetUtilisationPercent',
    label: t('datasource.query-editor.capacity.target-utilisation.label', 'Target utilisation (%)'),
    tooltip: t(
      'datasource.query-editor.capacity.target-utilisation.tooltip',
      'Plan GPUs so none runs above this; the rest is the safety buffer'
    ),
    placeholder: FORECAST_DEFAULTS.targetUtilisationPercent,
  },
  {
    key: 'throughputPerGpu',
    label: t('datasource.query-editor.capacity.throughput.label', 'Throughput per GPU'),
    tooltip: t(
      'datasource.query-editor.capacity.throughput.tooltip',
      "Demand one fully busy GPU serves, in the target's unit, or calibrated to regress it on busy GPUs. Empty: GPU counts need none, tokens/s are calibrated, PromQL counts GPUs. Ratios and queues get no GPU plan."
    ),
    placeholder: t('datasource.query-editor.capacity.throughput.placeholder', 'by unit'),
  },
  {
    key: 'coldStartHours',
    label: t('datasource.query-editor.capacity.cold-start.label', 'Cold start (h)'),
    tooltip: t(
      'datasource.query-editor.capacity.cold-start.tooltip',
      'Hours from requesting GPUs to serving with them'
    ),
    placeholder: FORECAST_DEFAULTS.coldStartHours,
  },
  {
    key: 'priceGpuModel',
    label: t('datasource.query-editor.capacity.priced-as.label', 'Priced as'),
    tooltip: t(
      'datasource.query-editor.capacity.priced-as.tooltip',
      "GPU model of the app configuration's price catalog. Empty: the fleet's GPU models, each priced for its share of the GPUs (the GPU model filter narrows them)"
    ),
    placeholder: t('datasource.query-editor.capacity.priced-as.placeholder', 'fleet models'),
  },
];

const inventoryViews = (): Array<SelectableValue<InventoryView>> => [
  {
    label: t('datasource.query-editor.inventory.fleet.label', 'Fleet'),
    value: 'fleet',
    description: t('datasource.query-editor.inventory.fleet.description', 'Totals of the whole fleet over time'),
  },
  {
    label: t('datasource.query-editor.inventory.by-model.label', 'By GPU model'),
    value: 'byModel',
    description: t('datasource.query-editor.inventory.by-model.description', 'One series per GPU model'),
  },
  {
    label: t('datasource.query-editor.inventory.by-namespace.label', 'By namespace'),
    value: 'byNamespace',
    description: t(
      'datasource.query-editor.inventory.by-namespace.description',
      'Allocated and busy GPUs per namespace'
    ),
  },
  {
    label: t('datasource.query-editor.inventory.nodes.label', 'Nodes'),
    value: 'nodes',
    description: t(
      'datasource.query-editor.inventory.nodes.description',
      'A table, one row per node, at the end of the range'
    ),
  },
];

type FilterKey = 'node' | 'namespace' | 'gpuModel';

/** The filters; `aria` names the input (screen readers and the browser tests find it by that name). */
const filters = (): Array<{ key: FilterKey; label: string; aria: string; placeholder: string; tooltip: string }> => {
  // Every filter's tooltip ends with how an empty field and several values read.
  const suffix = t(
    'datasource.query-editor.filters.tooltip-suffix',
    'Empty means all. A value, a template variable (multi-value and All work), or several values as a JSON array.'
  );
  const filter = (key: FilterKey, label: string, aria: string, example: string, what: string) => ({
    key,
    label,
    aria,
    placeholder: t('datasource.query-editor.filters.placeholder', 'all, or e.g. {{example}}', { example }),
    tooltip: t('datasource.query-editor.filters.tooltip', '{{what}}. {{suffix}}', {
      what,
      suffix,
      interpolation: { escapeValue: false },
    }),
  });
  return [
    filter(
      'node',
      t('datasource.query-editor.filters.node.label', 'Node'),
      t('datasource.query-editor.filters.node.aria', 'Node filter'),
      '$node',
      t('datasource.query-editor.filters.node.tooltip', 'Kubernetes node name')
    ),
    filter(
      'namespace',
      t('datasource.query-editor.filters.namespace.label', 'Namespace'),
      t('datasource.query-editor.filters.namespace.aria', 'Namespace filter'),
      '$namespace',
      t('datasource.query-editor.filters.namespace.tooltip', 'Namespace of the pods')
    ),
    filter(
      'gpuModel',
      t('datasource.query-editor.filters.gpu-model.label', 'GPU model'),
      t('datasource.query-editor.filters.gpu-model.aria', 'GPU model filter'),
      '$gpu_model',
      t('datasource.query-editor.filters.gpu-model.tooltip', 'DCGM modelName')
    ),
  ];
};

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
    <InlineField
      label={t('datasource.query-editor.workload.label', 'Workload (days)')}
      tooltip={t(
        'datasource.query-editor.workload.tooltip',
        'Days of GPU requests the job mix is learnt from; default 7'
      )}
    >
      <Input
        aria-label={t('datasource.query-editor.workload.aria', 'Workload days')}
        width={10}
        // A number of days and examples of names and PromQL: the same in every language.
        // eslint-disable-next-line @grafana/i18n/no-untranslated-strings
        placeholder="7"
        value={query.workloadDays ?? ''}
        onChange={(event) => change({ workloadDays: event.currentTarget.value }, false)}
        onBlur={() => onRunQuery()}
      />
    </InlineField>
  );
  const pricingTierField = (
    <InlineField
      label={t('datasource.query-editor.pricing.label', 'Priced at')}
      tooltip={t('datasource.query-editor.pricing.tooltip', "Which price of the app configuration's catalog")}
    >
      <RadioButtonGroup
        options={pricingTiers()}
        value={query.pricingTier ?? 'onDemand'}
        onChange={(pricingTier) => change({ pricingTier }, true)}
      />
    </InlineField>
  );

  return (
    <Stack direction="column" gap={1}>
      <Stack gap={2} wrap="wrap">
        <InlineField
          label={t('datasource.query-editor.query.label', 'Query')}
          tooltip={t('datasource.query-editor.query.tooltip', 'What Headroom computes')}
        >
          <RadioButtonGroup
            options={queryTypes()}
            value={query.queryType ?? DEFAULT_QUERY.queryType}
            // An alert query always names its measure, so the rule's model says what it measures.
            onChange={(queryType) => change(queryType === 'alert' ? { queryType, measure } : { queryType }, true)}
          />
        </InlineField>
        {queryType === 'inventory' && (
          <InlineField
            label={t('datasource.query-editor.view.label', 'View')}
            tooltip={t('datasource.query-editor.inventory.tooltip', 'How the inventory is grouped')}
          >
            <RadioButtonGroup
              options={inventoryViews()}
              value={query.inventoryView ?? DEFAULT_QUERY.inventoryView}
              onChange={(inventoryView) => change({ inventoryView }, true)}
            />
          </InlineField>
        )}
      </Stack>
      {queryType === 'efficiency' && (
        <Stack gap={1} wrap="wrap">
          <InlineField
            label={t('datasource.query-editor.view.label', 'View')}
            tooltip={t('datasource.query-editor.efficiency.tooltip', 'Which part of the efficiency analysis')}
          >
            <RadioButtonGroup
              options={efficiencyViews()}
              value={query.efficiencyView ?? 'waste'}
              onChange={(efficiencyView) => change({ efficiencyView }, true)}
            />
          </InlineField>
          {(query.efficiencyView ?? 'waste') === 'waste' && (
            <InlineField
              label={t('datasource.query-editor.waste-groups.label', 'Rows')}
              tooltip={t(
                'datasource.query-editor.waste-groups.tooltip',
                'One row per pod, or pods summed by namespace or GPU model'
              )}
            >
              <RadioButtonGroup
                options={wasteGroups()}
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
          <InlineField
            label={t('datasource.query-editor.view.label', 'View')}
            tooltip={t('datasource.query-editor.serving.tooltip', 'Which part of what the inference services run')}
          >
            <RadioButtonGroup
              options={servingViews()}
              value={query.servingView ?? 'services'}
              onChange={(servingView) => change({ servingView }, true)}
            />
          </InlineField>
          {query.servingView === 'deployed' && (
            <InlineField
              label={t('datasource.query-editor.deployment.label', 'Deployment')}
              tooltip={t('datasource.query-editor.deployment.tooltip', 'NAMESPACE/NAME')}
            >
              <Input
                aria-label={t('datasource.query-editor.deployment.label', 'Deployment')}
                width={30}
                // eslint-disable-next-line @grafana/i18n/no-untranslated-strings
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
          <InlineField
            label={t('datasource.query-editor.view.label', 'View')}
            tooltip={t('datasource.query-editor.fragmentation.tooltip', 'Which part of the fragmentation analysis')}
          >
            <RadioButtonGroup
              options={fragmentationViews()}
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
            label={t('datasource.query-editor.measure.label', 'Measure')}
            tooltip={t(
              'datasource.query-editor.measure.tooltip',
              "The number each series answers; the rule's reduce and threshold compare it"
            )}
          >
            <Select
              aria-label={t('datasource.query-editor.measure.aria', 'Alert measure')}
              width={40}
              options={alertMeasureOptions()}
              value={measure}
              onChange={(option) => change({ measure: option.value }, true)}
            />
          </InlineField>
          {measure === 'exhaustionProbability' &&
            textField(
              'withinDays',
              t('datasource.query-editor.within.label', 'Within (days)'),
              t(
                'datasource.query-editor.within.tooltip',
                'Days ahead the chance of running out counts, 1 to {{maxDays}}',
                {
                  maxDays: MAX_HORIZON_HOURS / 24,
                }
              ),
              String(DEFAULT_WITHIN_DAYS)
            )}
          {alertOn(['fragmentedShare', 'largestGang']) && workloadDaysField}
          {alertOn(['idleCostPerHour', 'budgetRatio']) && pricingTierField}
          {measure === 'budgetRatio' &&
            textField(
              'monthlyBudget',
              t('datasource.query-editor.budget.label', 'Monthly budget ($)'),
              t(
                'datasource.query-editor.budget.tooltip',
                "US dollars a month. Empty: the app configuration's budget, in panels only: an alert rule, evaluated by Headroom's backend, needs it here"
              ),
              t('datasource.query-editor.budget.placeholder', 'app setting')
            )}
        </Stack>
      )}
      {forecastInputs && (
        <Stack gap={1} wrap="wrap">
          <InlineField
            label={t('datasource.query-editor.target.label', 'Target')}
            tooltip={t(
              'datasource.query-editor.target.tooltip',
              'What to forecast: a preset of the fleet, or any PromQL'
            )}
          >
            <Select
              aria-label={t('datasource.query-editor.target.aria', 'Forecast target')}
              width={28}
              options={targets()}
              value={query.target ?? FORECAST_DEFAULTS.target}
              onChange={(option) => change({ target: option.value }, true)}
            />
          </InlineField>
          {query.target === EXPR_TARGET && (
            <InlineField
              // eslint-disable-next-line @grafana/i18n/no-untranslated-strings
              label="PromQL"
              grow
              tooltip={t(
                'datasource.query-editor.promql.tooltip',
                'Must return one series; aggregate with sum(...) if needed'
              )}
            >
              <Input
                aria-label={t('datasource.query-editor.promql.aria', 'PromQL expression')}
                width={60}
                value={query.expr ?? ''}
                // eslint-disable-next-line @grafana/i18n/no-untranslated-strings
                placeholder='sum(kube_pod_container_resource_requests{resource="nvidia_com_gpu"})'
                onChange={(event) => change({ expr: event.currentTarget.value }, false)}
                onBlur={() => onRunQuery()}
              />
            </InlineField>
          )}
          {!alertOn(['exhaustionProbability']) &&
            textField(
              'horizonHours',
              t('datasource.query-editor.horizon.label', 'Horizon (h)'),
              t(
                'datasource.query-editor.horizon.tooltip',
                'Hours to forecast, up to {{maxHours}} (the {{historyDays}} days of history a forecast reads) and at most the history there is; the first hours do not change with the horizon',
                { maxHours: MAX_HORIZON_HOURS, historyDays: HISTORY_DAYS }
              ),
              FORECAST_DEFAULTS.horizonHours
            )}
          <InlineField
            label={t('datasource.query-editor.model.label', 'Model')}
            tooltip={t(
              'datasource.query-editor.model.tooltip',
              'auto backtests every model on this series and combines the best'
            )}
          >
            <Select
              aria-label={t('datasource.query-editor.model.aria', 'Forecast model')}
              width={20}
              options={models()}
              value={query.model ?? FORECAST_DEFAULTS.model}
              onChange={(option) => change({ model: option.value }, true)}
            />
          </InlineField>
          <InlineField
            label={t('datasource.query-editor.calendar.label', 'Business calendar')}
            tooltip={t('datasource.query-editor.calendar.tooltip', 'Use the events of the app configuration')}
          >
            <InlineSwitch
              aria-label={t('datasource.query-editor.calendar.aria', 'Use business calendar')}
              value={query.useCalendar ?? false}
              onChange={(event) => change({ useCalendar: event.currentTarget.checked }, true)}
            />
          </InlineField>
        </Stack>
      )}
      {alertOn(FORECAST_MEASURES) && (
        <Stack gap={1} wrap="wrap">
          {capacityFields()
            .filter((field) => EXHAUSTION_FIELDS.includes(field.key))
            .map((field) => textField(field.key, field.label, field.tooltip, field.placeholder))}
        </Stack>
      )}
      {queryType === 'capacity' && (
        <Stack gap={1} wrap="wrap">
          {capacityFields().map((field) => textField(field.key, field.label, field.tooltip, field.placeholder))}
          <InlineField
            label={t('datasource.query-editor.demand.label', 'Plan for')}
            tooltip={t('datasource.query-editor.demand.tooltip', 'Which forecast the GPUs are planned for')}
          >
            <RadioButtonGroup
              options={demandLevels()}
              value={query.demandLevel ?? FORECAST_DEFAULTS.demandLevel}
              onChange={(demandLevel) => change({ demandLevel }, true)}
            />
          </InlineField>
        </Stack>
      )}
      <Stack gap={1} wrap="wrap">
        {filters().map((filter) => (
          <InlineField key={filter.key} label={filter.label} tooltip={filter.tooltip}>
            <Input
              aria-label={filter.aria}
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
