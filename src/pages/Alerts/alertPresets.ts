/**
 * What the Alerts page can watch: presets that each give one series of the fleet (GPU utilisation of the fleet, a
 * node or a namespace, vLLM queue depth, TTFT p95, KV-cache usage, power, the cost of allocated-but-idle GPUs), or
 * any PromQL a person types. Each preset reuses the forecast targets' and inventory's PromQL where one exists, so a
 * rule watches exactly the number the other pages show.
 */
import { t } from '@grafana/i18n';
import type { GpuPrice } from '../../datasource/appSettings';
import type { ValueRange } from '../../engine/thresholds';
import type { MetricCatalog } from '../../prometheus/catalog';
import type { FamilyDetection } from '../../prometheus/detect';
import { buildInventoryQueries, chooseActivitySource } from '../../prometheus/inventoryQueries';
import { quotePromQLString, selector } from '../../prometheus/promql';
import { targetExpr, TargetUnavailableError } from '../../prometheus/targets';

export type AlertPresetId =
  | 'gpu_utilisation'
  | 'gpu_utilisation_node'
  | 'gpu_utilisation_namespace'
  | 'queue_depth'
  | 'ttft_p95'
  | 'kv_cache_usage'
  | 'power'
  | 'waste_cost'
  | 'promql';

export interface AlertPreset {
  id: AlertPresetId;
  label: string;
  /** Grafana unit id of the series, for axis and table numbers. */
  unit: string;
  description: string;
  /** The preset watches one node or one namespace, chosen beside it. */
  scope?: 'node' | 'namespace';
  /** What the series can take (a ratio in [0, 1], a count or a cost ≥ 0): the band is clamped into it. */
  valueRange?: ValueRange;
}

const RATIO: ValueRange = { min: 0, max: 1 };
const NON_NEGATIVE: ValueRange = { min: 0 };

export const ALERT_PRESETS: readonly AlertPreset[] = [
  {
    id: 'gpu_utilisation',
    label: 'GPU utilisation (fleet)',
    unit: 'percentunit',
    description: 'Mean DCGM activity of every GPU.',
    valueRange: RATIO,
  },
  {
    id: 'gpu_utilisation_node',
    label: 'GPU utilisation (one node)',
    unit: 'percentunit',
    description: 'Mean DCGM activity of the GPUs of one node.',
    scope: 'node',
    valueRange: RATIO,
  },
  {
    id: 'gpu_utilisation_namespace',
    label: 'GPU utilisation (one namespace)',
    unit: 'percentunit',
    description: 'Mean DCGM activity of the GPUs one namespace holds.',
    scope: 'namespace',
    valueRange: RATIO,
  },
  {
    id: 'queue_depth',
    label: 'Queue depth (vLLM)',
    unit: 'short',
    description: 'Requests waiting in vLLM.',
    valueRange: NON_NEGATIVE,
  },
  {
    id: 'ttft_p95',
    label: 'Time to first token p95 (vLLM)',
    unit: 's',
    description: '95th percentile of time to first token over 5 minutes.',
    valueRange: NON_NEGATIVE,
  },
  {
    id: 'kv_cache_usage',
    label: 'KV-cache usage (vLLM)',
    unit: 'percentunit',
    description: 'Mean KV-cache usage.',
    valueRange: RATIO,
  },
  {
    id: 'power',
    label: 'GPU power',
    unit: 'watt',
    description: 'Power drawn by every GPU, summed.',
    valueRange: NON_NEGATIVE,
  },
  {
    id: 'waste_cost',
    label: 'Idle GPU cost',
    unit: 'currencyUSD',
    description: 'Allocated minus busy GPUs per model, at the on-demand price per GPU-hour of the app configuration.',
    valueRange: NON_NEGATIVE,
  },
  { id: 'promql', label: 'Custom PromQL', unit: 'short', description: 'Any PromQL expression giving one series.' },
];

export function alertPreset(id: string): AlertPreset {
  const preset = ALERT_PRESETS.find((p) => p.id === id);
  if (!preset) {
    throw new TargetUnavailableError(
      t('alerts.presets.unknown', 'Unknown preset "{{id}}"; choose one of {{ids}}.', {
        id,
        ids: ALERT_PRESETS.map((p) => p.id).join(', '),
        interpolation: { escapeValue: false },
      })
    );
  }
  return preset;
}

/** A preset's name and description in the user's language (`label` and `description` above are the English). */
export function presetText(id: AlertPresetId): { label: string; description: string } {
  switch (id) {
    case 'gpu_utilisation':
      return {
        label: t('alerts.presets.gpu-utilisation.label', 'GPU utilisation (fleet)'),
        description: t('alerts.presets.gpu-utilisation.description', 'Mean DCGM activity of every GPU.'),
      };
    case 'gpu_utilisation_node':
      return {
        label: t('alerts.presets.gpu-utilisation-node.label', 'GPU utilisation (one node)'),
        description: t(
          'alerts.presets.gpu-utilisation-node.description',
          'Mean DCGM activity of the GPUs of one node.'
        ),
      };
    case 'gpu_utilisation_namespace':
      return {
        label: t('alerts.presets.gpu-utilisation-namespace.label', 'GPU utilisation (one namespace)'),
        description: t(
          'alerts.presets.gpu-utilisation-namespace.description',
          'Mean DCGM activity of the GPUs one namespace holds.'
        ),
      };
    case 'queue_depth':
      return {
        label: t('alerts.presets.queue-depth.label', 'Queue depth (vLLM)'),
        description: t('alerts.presets.queue-depth.description', 'Requests waiting in vLLM.'),
      };
    case 'ttft_p95':
      return {
        label: t('alerts.presets.ttft-p95.label', 'Time to first token p95 (vLLM)'),
        description: t('alerts.presets.ttft-p95.description', '95th percentile of time to first token over 5 minutes.'),
      };
    case 'kv_cache_usage':
      return {
        label: t('alerts.presets.kv-cache-usage.label', 'KV-cache usage (vLLM)'),
        description: t('alerts.presets.kv-cache-usage.description', 'Mean KV-cache usage.'),
      };
    case 'power':
      return {
        label: t('alerts.presets.power.label', 'GPU power'),
        description: t('alerts.presets.power.description', 'Power drawn by every GPU, summed.'),
      };
    case 'waste_cost':
      return {
        label: t('alerts.presets.waste-cost.label', 'Idle GPU cost'),
        description: t(
          'alerts.presets.waste-cost.description',
          'Allocated minus busy GPUs per model, at the on-demand price per GPU-hour of the app configuration.'
        ),
      };
    case 'promql':
      return {
        label: t('alerts.presets.promql.label', 'Custom PromQL'),
        description: t('alerts.presets.promql.description', 'Any PromQL expression giving one series.'),
      };
  }
}

export interface PresetContext {
  catalog: MetricCatalog;
  detection: FamilyDetection;
  prices: readonly GpuPrice[];
  /** The node or namespace of a scoped preset. */
  scopeValue?: string;
  /** The expression of the Custom PromQL preset. */
  promql?: string;
}

/** The window of rate() in the TTFT quantile: several scrapes, like the forecast targets' default. */
const TTFT_RATE_WINDOW = '5m';

/** The PromQL of a preset; throws TargetUnavailableError with what is missing. */
export function presetExpr(id: AlertPresetId, context: PresetContext): string {
  const preset = alertPreset(id);
  const { catalog, detection } = context;
  const { label } = presetText(id);
  const missing = (what: string) =>
    new TargetUnavailableError(
      t('alerts.presets.missing', '{{preset}} needs {{what}}, and this Prometheus has none in the range.', {
        preset: label,
        what,
        interpolation: { escapeValue: false },
      })
    );
  const scopeValue = context.scopeValue?.trim() ?? '';
  if (preset.scope && !scopeValue) {
    // "whose gpu utilisation (one node)" in English; other languages keep their case (Chinese keeps "GPU").
    const whose = label === preset.label ? label.toLowerCase() : label;
    throw new TargetUnavailableError(
      preset.scope === 'node'
        ? t('alerts.presets.choose-node', 'Choose the node whose {{preset}} to watch.', {
            preset: whose,
            interpolation: { escapeValue: false },
          })
        : t('alerts.presets.choose-namespace', 'Choose the namespace whose {{preset}} to watch.', {
            preset: whose,
            interpolation: { escapeValue: false },
          })
    );
  }
  switch (id) {
    case 'gpu_utilisation':
    case 'queue_depth':
    case 'kv_cache_usage':
      return targetExpr(id, catalog, detection);
    case 'gpu_utilisation_node':
      return targetExpr('gpu_utilisation', catalog, detection, { nodes: [scopeValue] });
    case 'gpu_utilisation_namespace':
      return targetExpr('gpu_utilisation', catalog, detection, { namespaces: [scopeValue] });
    case 'ttft_p95': {
      if (!detection.vllm) {
        throw missing(t('alerts.presets.vllm-metrics', 'vLLM metrics'));
      }
      const buckets = `${catalog.name('vllm:time_to_first_token_seconds')}_bucket`;
      return `histogram_quantile(0.95, sum by (le) (rate(${selector(buckets, [])}[${TTFT_RATE_WINDOW}])))`;
    }
    case 'power': {
      if (!detection.present.includes('DCGM_FI_DEV_POWER_USAGE')) {
        throw missing('DCGM_FI_DEV_POWER_USAGE');
      }
      return `sum(${selector(catalog.name('DCGM_FI_DEV_POWER_USAGE'), [])})`;
    }
    case 'waste_cost':
      return wasteCostExpr(context, missing);
    case 'promql': {
      const text = context.promql?.trim() ?? '';
      if (!text) {
        throw new TargetUnavailableError(
          t('alerts.presets.enter-promql', 'Enter a PromQL expression that gives one series, or choose a preset.')
        );
      }
      return text;
    }
  }
}

/**
 * Σ over GPU models of max(allocated − busy, 0) × on-demand price: dollars per hour spent on GPUs that are held but
 * idle. Models without a price drop out of the sum, as PromQL's one-to-one matching does.
 */
function wasteCostExpr(context: PresetContext, missing: (what: string) => Error): string {
  const queries = buildInventoryQueries(context.catalog, context.detection);
  const allocated = queries.allocated?.byModel;
  const busy = queries.busy?.byModel;
  if (!allocated || !busy) {
    throw missing(
      t('alerts.presets.inventory-metrics', 'kube-state-metrics GPU requests and DCGM activity with GPU model labels')
    );
  }
  if (context.prices.length === 0) {
    throw new TargetUnavailableError(
      t('alerts.presets.no-prices', 'Idle GPU cost needs GPU prices; enter them on the app configuration page.')
    );
  }
  const model = queries.labels.gpuModel;
  const prices = context.prices
    .map((p) => `label_replace(vector(${p.onDemandPerGpuHour}), "${model}", ${quotePromQLString(p.gpuModel)}, "", "")`)
    .join(' or ');
  return `sum(clamp_min(${allocated} - ${busy}, 0) * (${prices}))`;
}

/** The label whose values a scoped preset offers: DCGM's host name, or the namespace label DCGM series carry. */
export function scopeLabel(
  scope: 'node' | 'namespace',
  catalog: MetricCatalog,
  detection: FamilyDetection
): { label: string; metric: string } | undefined {
  const activity = chooseActivitySource(detection, catalog);
  const label = scope === 'node' ? catalog.name('Hostname') : detection.dcgmLabels.namespace;
  return activity && label ? { label, metric: activity.metric } : undefined;
}
