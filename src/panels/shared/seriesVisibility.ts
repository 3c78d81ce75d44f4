import { SeriesVisibilityChangeMode } from '@grafana/ui';

/** The legend labels shown, or null when all are. */
export type VisibleSeries = ReadonlySet<string> | null;

/**
 * Which series stay shown after a click on a legend label, as Grafana's time series legend decides it
 * (`seriesVisibilityConfigFactory`, docs/grafana-compatibility.md): a click shows only that series, or all of them
 * again when it was the only one shown; a click with Ctrl, Cmd or Shift hides or shows that one series.
 */
export function nextVisibleSeries(
  visible: VisibleSeries,
  label: string,
  mode: SeriesVisibilityChangeMode,
  allLabels: readonly string[]
): VisibleSeries {
  if (mode === SeriesVisibilityChangeMode.ToggleSelection) {
    return visible?.size === 1 && visible.has(label) ? null : new Set([label]);
  }
  if (mode !== SeriesVisibilityChangeMode.AppendToSelection) {
    return visible;
  }
  const next = new Set(visible ?? allLabels);
  if (next.has(label)) {
    next.delete(label);
  } else {
    next.add(label);
  }
  return allLabels.every((name) => next.has(name)) ? null : next;
}

export const isShown = (visible: VisibleSeries, label: string) => visible === null || visible.has(label);
