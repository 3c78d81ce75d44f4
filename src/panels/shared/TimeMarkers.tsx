import React, { useLayoutEffect, useReducer, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { css } from '@emotion/css';
import type uPlot from 'uplot';
import { colorManipulator, type GrafanaTheme2 } from '@grafana/data';
import { useStyles2, useTheme2, type UPlotConfigBuilder } from '@grafana/ui';

/** A time (or, with `endMs`, a span) marked on a time chart, as Grafana marks an annotation. */
export interface TimeMarker {
  timeMs: number;
  /** A region from `timeMs` to `endMs`, shaded; without it, a vertical line. */
  endMs?: number;
  color: string;
  /** Said on hover, and read by assistive technology. */
  title: string;
  /** Drawn beside the line (or inside the region) at the top of the plot. */
  label?: string;
  /** Solid line instead of Grafana's dashed annotation line. */
  solid?: boolean;
  testId?: string;
}

const REGION_ALPHA = 0.1;
/**
 * Canvas pixels per CSS pixel, as uPlot scales its canvas (its `uPlot.pxRatio`, read from the window rather than
 * imported: uPlot is not among the modules Grafana shares with plugins, so importing it would bundle a second copy).
 */
const pxRatio = () => window.devicePixelRatio || 1;

/**
 * Draws markers as Grafana's time series panel draws annotations (`AnnotationsPlugin2`): a line (or a shaded region)
 * across the plot on the canvas, and a small marker under the plot, in the x axis, that says what it is on hover.
 */
export function TimeMarkers({ config, markers }: { config: UPlotConfigBuilder; markers: TimeMarker[] }) {
  const theme = useTheme2();
  const styles = useStyles2(getStyles);
  const [plot, setPlot] = useState<{ u: uPlot; xAxis: HTMLElement }>();
  // The markers under the plot are placed from uPlot's scales: placed again after every draw (new size, data, zoom).
  const [, placeAgain] = useReducer((draws: number) => draws + 1, 0);
  // The draw hook reads the newest markers; updated before the plot redraws with new data (the parent's update).
  const markersRef = useRef(markers);
  useLayoutEffect(() => {
    markersRef.current = markers;
  }, [markers]);

  useLayoutEffect(() => {
    config.addHook('ready', (u) => {
      const xAxis = u.root.querySelector<HTMLElement>('.u-axis');
      if (xAxis) {
        setPlot({ u, xAxis });
      }
    });
    config.addHook('draw', (u) => {
      drawMarkers(u, markersRef.current, theme);
      placeAgain();
    });
  }, [config, theme]);

  if (!plot) {
    return null;
  }
  const { u, xAxis } = plot;
  const shown = markers.flatMap((marker) => {
    const left = Math.round(u.valToPos(marker.timeMs, 'x'));
    const right = marker.endMs === undefined ? left : Math.round(u.valToPos(marker.endMs, 'x'));
    if (right < 0 || left > u.bbox.width / pxRatio()) {
      return [];
    }
    const isRegion = marker.endMs !== undefined;
    const style: React.CSSProperties = isRegion
      ? { left: Math.max(0, left), width: Math.max(1, right - Math.max(0, left)), background: marker.color }
      : { left, borderBottomColor: marker.color };
    return [
      <div
        key={`${marker.timeMs}-${marker.title}`}
        className={isRegion ? styles.region : styles.marker}
        style={style}
        title={marker.title}
        aria-label={marker.title}
        role="img"
        data-testid={marker.testId}
      />,
    ];
  });
  return createPortal(shown, xAxis);
}

function drawMarkers(u: uPlot, markers: TimeMarker[], theme: GrafanaTheme2) {
  const { ctx, bbox } = u;
  const px = pxRatio();
  const top = bbox.top;
  const bottom = bbox.top + bbox.height;
  ctx.save();
  ctx.beginPath();
  ctx.rect(bbox.left, bbox.top, bbox.width, bbox.height);
  ctx.clip();
  ctx.font = `${theme.typography.fontWeightMedium} ${Math.round(12 * px)}px ${theme.typography.fontFamily}`;
  ctx.textBaseline = 'top';
  for (const marker of markers) {
    const x0 = u.valToPos(marker.timeMs, 'x', true);
    if (marker.endMs !== undefined) {
      const x1 = u.valToPos(marker.endMs, 'x', true);
      ctx.fillStyle = colorManipulator.alpha(marker.color, REGION_ALPHA);
      ctx.fillRect(x0, top, x1 - x0, bbox.height);
      // Labelled only where enough of the region is in view to hold the label.
      const shownLeft = Math.max(x0, bbox.left);
      const shownWidth = Math.min(x1, bbox.left + bbox.width) - shownLeft;
      if (marker.label && ctx.measureText(marker.label).width + 12 * px <= shownWidth) {
        ctx.fillStyle = theme.colors.text.secondary;
        ctx.textAlign = 'left';
        ctx.fillText(marker.label, shownLeft + 6 * px, top + 4 * px);
      }
      continue;
    }
    ctx.beginPath();
    ctx.lineWidth = 2 * px;
    ctx.setLineDash(marker.solid ? [] : [5 * px, 5 * px]);
    ctx.strokeStyle = marker.color;
    ctx.moveTo(x0, top);
    ctx.lineTo(x0, bottom);
    ctx.stroke();
    if (marker.label) {
      // Left of the line, unless that runs past the plot's left edge.
      const width = ctx.measureText(marker.label).width;
      const leftOfLine = x0 - width - 6 * px >= bbox.left;
      ctx.fillStyle = marker.color;
      ctx.textAlign = leftOfLine ? 'right' : 'left';
      ctx.fillText(marker.label, x0 + (leftOfLine ? -6 : 6) * px, top + 4 * px);
    }
  }
  ctx.restore();
}

const getStyles = (theme: GrafanaTheme2) => ({
  // Grafana's annotation marker: a small triangle under the plot, pointing up at the line.
  marker: css({
    position: 'absolute',
    top: 0,
    width: 0,
    height: 0,
    borderLeft: '5px solid transparent',
    borderRight: '5px solid transparent',
    borderBottomWidth: 5,
    borderBottomStyle: 'solid',
    transform: 'translateX(-50%)',
    zIndex: 1,
  }),
  region: css({
    position: 'absolute',
    top: 0,
    height: 5,
    zIndex: 1,
    opacity: 0.6,
    borderRadius: theme.shape.radius.default,
  }),
});
