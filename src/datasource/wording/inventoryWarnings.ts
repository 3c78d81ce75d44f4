// The inventory's warnings Headroom words itself (prometheus/inventory.ts), in the user's language from their codes
// and figures (docs/i18n.md). Metric names stay as the catalog names them.
import { t } from '@grafana/i18n';
import type { InventoryWarning } from '../frameTexts';
import { orList } from './errorTexts';
import { listSeparator } from './localeNumbers';

export function inventoryWarning(warning: InventoryWarning): string {
  switch (warning.code) {
    case 'inventory-no-kube-state-metrics':
      return t(
        'overview.warnings.no-kube-state-metrics',
        'kube-state-metrics GPU series ({{metrics}}) are missing in this range: capacity, allocated and free GPUs are unknown (NaN). Deploy kube-state-metrics.',
        { metrics: warning.metrics.join(listSeparator()), interpolation: { escapeValue: false } }
      );
    case 'inventory-no-dcgm-activity':
      return t(
        'overview.warnings.no-dcgm-activity',
        'No DCGM activity metric ({{metrics}}) in this range: busy GPUs are unknown (NaN) and GPU models cannot be shown. Deploy NVIDIA dcgm-exporter.',
        { metrics: orList(warning.metrics), interpolation: { escapeValue: false } }
      );
    case 'inventory-dcgm-profiling-off':
      return t(
        'overview.warnings.dcgm-profiling-off',
        "Busy GPUs come from {{metric}} / 100 because DCGM profiling fields are off; it counts any kernel as busy, so busy GPUs are overstated, and DCGM does not report it for MIG instances, so busy MIG GPUs are missing. Enable DCGM_FI_PROF_GR_ENGINE_ACTIVE in dcgm-exporter's counters CSV.",
        { metric: warning.metric, interpolation: { escapeValue: false } }
      );
    case 'inventory-no-namespace-label':
      return warning.filtered
        ? t(
            'overview.warnings.no-namespace-label-filtered',
            "DCGM series carry no namespace label, so busy GPUs cannot be filtered by namespace and are unknown (NaN). Enable dcgm-exporter's Kubernetes pod mapping."
          )
        : t(
            'overview.warnings.no-namespace-label',
            "DCGM series carry no namespace label: busy GPUs per namespace are unknown. Enable dcgm-exporter's Kubernetes pod mapping."
          );
    case 'inventory-mig-estimated':
      return t(
        'overview.warnings.mig-estimated',
        'MIG GPUs in capacity are estimated as Σ MIG instances × compute slices / 7, because no DCGM series per MIG instance ({{metrics}}) is in this range; a MIG layout that leaves slices unused is undercounted.',
        { metrics: orList(warning.metrics), interpolation: { escapeValue: false } }
      );
  }
}
