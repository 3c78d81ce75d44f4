// Forecast targets' names in the user's language, for the query editor and for the forecast panel's legend.
import { t } from '@grafana/i18n';
import { PROMQL_TARGET_NAME } from '../frames/forecast/runForecastQuery';
import { FORECAST_TARGETS } from '../prometheus/targets';

/** A forecast target's name; an id this list does not know keeps the name it came with. */
export function targetLabel(id: string, fallback: string): string {
  switch (id) {
    case 'gpus_allocated':
      return t('datasource.query-editor.targets.gpus-allocated', 'Allocated GPUs');
    case 'gpus_busy':
      return t('datasource.query-editor.targets.gpus-busy', 'Busy GPUs');
    case 'gpu_utilisation':
      return t('datasource.query-editor.targets.gpu-utilisation', 'GPU utilisation');
    case 'tokens_per_second':
      return t('datasource.query-editor.targets.tokens-per-second', 'Generated tokens/s');
    case 'queue_depth':
      return t('datasource.query-editor.targets.queue-depth', 'Queued requests');
    case 'kv_cache_usage':
      return t('datasource.query-editor.targets.kv-cache-usage', 'KV-cache usage');
    case 'gpu_capacity':
      return t('datasource.query-editor.targets.gpu-capacity', 'GPU capacity');
    default:
      return fallback;
  }
}

/**
 * The name a forecast frame gives what it forecast (`targetName`: a preset's English label or `PromQL result`, as
 * frames/forecast/runForecastQuery.ts names it, the same for every viewer) in the user's language; any other name (a
 * series fed to the panel) as it is.
 */
export function shownTargetName(targetName: string): string {
  if (targetName === PROMQL_TARGET_NAME) {
    return t('datasource.query-editor.targets.promql-result', 'PromQL result');
  }
  const preset = FORECAST_TARGETS.find((target) => target.label === targetName);
  return preset ? targetLabel(preset.id, targetName) : targetName;
}
