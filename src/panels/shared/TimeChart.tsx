import React, { useEffect, useMemo, useState } from 'react';
import type uPlot from 'uplot';
import type { AlignedData } from 'uplot';
import { css } from '@emotion/css';
import { DashboardCursorSync, type GrafanaTheme2 } from '@grafana/data';
import { LegendDisplayMode } from '@grafana/schema';
import {
  EventBusPlugin,
  KeyboardPlugin,
  PanelContextProvider,
  TooltipPlugin2,
  UPLOT_AXIS_FONT_SIZE,
  UPlotChart,
  usePanelContext,
  useStyles2,
  useTheme2,
  VizLegend,
  type SeriesVisibilityChangeMode,
  type UPlotConfigBuilder,
  type VizLegendItem,
} from '@grafana/ui';
import { TimeMarkers, type TimeMarker } from './TimeMarkers';

/**
 * Whether the axis font is ready to measure. @grafana/ui sizes an axis from its labels measured once and cached; measured
 * before the web font has loaded (the first canvas on a fresh page), the labels come out narrower than drawn and are cut.
 */
function useFontLoaded(font: string): boolean {
  const fonts = typeof document !== 'undefined' ? document.fonts : undefined;
  const [loaded, setLoaded] = useState(() => !fonts || fonts.check(font));
  useEffect(() => {
    let current = true;
    if (!loaded && fonts) {
      // A font that fails to load falls back as Grafana's text does; the chart is drawn either way.
      fonts.load(font).finally(() => current && setLoaded(true));
    }
    return () => {
      current = false;
    };
  }, [font, fonts, loaded]);
  return loaded;
}

/** TooltipPlugin2's `hoverMode` for every series at the cursor's time (its `TooltipHoverMode.xAll`, a const enum). */
const HOVER_ALL_SERIES = 1;

export interface TimeChartProps {
  plot: { config: UPlotConfigBuilder; data: AlignedData };
  width: number;
  height: number;
  legendItems: VizLegendItem[];
  onToggleSeries: (label: string, mode: SeriesVisibilityChangeMode) => void;
  /** The tooltip at a row of the aligned data (the row under the cursor). */
  renderTooltip: (u: uPlot, dataIdx: number) => React.ReactNode;
  /** Called with the time range a person selected by dragging across the chart. */
  onZoom: (range: { from: number; to: number }) => void;
  markers?: TimeMarker[];
  /** Test id of the legend, which also holds `children`: notes read with the legend (accuracy, warnings). */
  legendTestId?: string;
  /** What the plot shows, for assistive technology (the canvas itself has no text). */
  ariaLabel: string;
  children?: React.ReactNode;
}

/**
 * A time chart drawn the way Grafana's time series panel draws one: uPlot through @grafana/ui, with its crosshair and
 * tooltip, keyboard control, drag-to-zoom, the dashboard's shared cursor (from the panel context, as the core panel
 * reads it) and a legend whose clicks show or hide series.
 */
export function TimeChart({
  plot,
  width,
  height,
  legendItems,
  onToggleSeries,
  renderTooltip,
  onZoom,
  markers = [],
  legendTestId,
  ariaLabel,
  children,
}: TimeChartProps) {
  const styles = useStyles2(getStyles);
  const fontLoaded = useFontLoaded(`${UPLOT_AXIS_FONT_SIZE}px ${useTheme2().typography.fontFamily}`);
  const outer = usePanelContext();
  // Legend clicks change what this chart shows, not the panel's saved field overrides (the panel draws its own series).
  const context = useMemo(() => ({ ...outer, onToggleSeriesVisibility: onToggleSeries }), [outer, onToggleSeries]);
  const cursorSync = outer.sync?.() ?? DashboardCursorSync.Off;
  const { config, data } = plot;
  return (
    <PanelContextProvider value={context}>
      <div className={styles.container}>
        <div role="img" aria-label={ariaLabel} style={{ minHeight: height }}>
          {/* A new configuration is a new plot: the plugins register their hooks on it before uPlot starts. */}
          {fontLoaded && (
            <UPlotChart key={config.uid} config={config} data={data} width={width} height={height}>
              <KeyboardPlugin config={config} />
              {cursorSync !== DashboardCursorSync.Off && <EventBusPlugin config={config} eventBus={outer.eventBus} />}
              <TooltipPlugin2
                config={config}
                hoverMode={HOVER_ALL_SERIES}
                queryZoom={onZoom}
                syncMode={cursorSync}
                syncScope={outer.eventsScope}
                render={(u, dataIdxs) => {
                  const row = dataIdxs.find((idx, seriesIdx) => seriesIdx > 0 && idx != null) ?? dataIdxs[0];
                  return row == null ? null : renderTooltip(u, row);
                }}
              />
              <TimeMarkers config={config} markers={markers} />
            </UPlotChart>
          )}
        </div>
        <div className={styles.legend} data-testid={legendTestId}>
          <VizLegend placement="bottom" displayMode={LegendDisplayMode.List} items={legendItems} />
          {children}
        </div>
      </div>
    </PanelContextProvider>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  container: css({ display: 'flex', flexDirection: 'column', height: '100%', minHeight: 0 }),
  // Takes the room under the plot and scrolls beyond it, rather than being cut off by the panel.
  legend: css({ flex: '1 1 auto', minHeight: 0, overflowY: 'auto', padding: theme.spacing(0, 1) }),
});
