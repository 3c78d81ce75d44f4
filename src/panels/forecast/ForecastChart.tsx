import React, { useId } from 'react';
import { css } from '@emotion/css';
import { dateTimeFormat, formattedValueToString, getValueFormat, type GrafanaTheme2 } from '@grafana/data';
import type { TimeZone } from '@grafana/schema';
import { useStyles2, useTheme2 } from '@grafana/ui';
import { niceScale, timeTicks } from './chartScale';
import type { ChartData } from './forecastData';

interface Props {
  data: ChartData;
  width: number;
  height: number;
  timeZone: TimeZone;
  /** Earliest history time to draw (the dashboard's range start); the forecast is always drawn whole. */
  fromMs: number;
}

const MARGIN = { top: 12, right: 16, bottom: 28, left: 64 };
/** Minimum horizontal pixels per date label, so labels never overlap. */
const PX_PER_TIME_TICK = 110;

export const exhaustionDateFormat = 'YYYY-MM-DD HH:mm';

/** History, forecast mean, interval bands, capacity and exhaustion, drawn in SVG with the theme's colours. */
export function ForecastChart({ data, width, height, timeZone, fromMs }: Props) {
  const theme = useTheme2();
  const styles = useStyles2(getStyles);
  const clipId = `headroom-forecast-clip-${useId().replace(/:/g, '')}`;
  const colours = chartColours(theme);
  const format = getValueFormat(data.unit);
  const plotWidth = Math.max(10, width - MARGIN.left - MARGIN.right);
  const plotHeight = Math.max(10, height - MARGIN.top - MARGIN.bottom);

  const historyIndex = data.history.timesMs.map((t, i) => i).filter((i) => data.history.timesMs[i] >= fromMs);
  const startMs = Math.min(
    historyIndex.length ? data.history.timesMs[historyIndex[0]] : Infinity,
    data.forecast.timesMs[0]
  );
  const endMs = data.forecast.timesMs[data.forecast.timesMs.length - 1];
  const shown = [
    ...historyIndex.map((i) => data.history.values[i]).filter((v): v is number => v !== null),
    ...data.forecast.mean,
    ...data.forecast.bands.flatMap((band) => [...band.lower, ...band.upper]),
    ...(data.capacity !== undefined ? [data.capacity] : []),
  ].filter(Number.isFinite);
  // A series that never goes negative (GPU counts, ratios) keeps a zero floor: bands below it are clipped.
  const observed = historyIndex.map((i) => data.history.values[i]).filter((v): v is number => v !== null);
  const floor = observed.length > 0 && observed.every((v) => v >= 0) ? 0 : Math.min(...shown);
  const y = niceScale(Math.min(floor, ...observed), Math.max(...shown), Math.max(2, Math.floor(plotHeight / 50)));
  const xOf = (ms: number) => MARGIN.left + ((ms - startMs) / Math.max(1, endMs - startMs)) * plotWidth;
  const yOf = (v: number) => MARGIN.top + (1 - (v - y.min) / (y.max - y.min)) * plotHeight;

  const line = (times: number[], values: Array<number | null>) => {
    let path = '';
    let pen = false;
    values.forEach((v, i) => {
      if (v === null || !Number.isFinite(v)) {
        pen = false;
        return;
      }
      path += `${pen ? 'L' : 'M'}${xOf(times[i]).toFixed(1)},${yOf(v).toFixed(1)}`;
      pen = true;
    });
    return path;
  };
  const area = (times: number[], lower: number[], upper: number[]) =>
    `M${times.map((t, i) => `${xOf(t).toFixed(1)},${yOf(upper[i]).toFixed(1)}`).join('L')}` +
    `L${[...times.keys()]
      .reverse()
      .map((i) => `${xOf(times[i]).toFixed(1)},${yOf(lower[i]).toFixed(1)}`)
      .join('L')}Z`;

  const valueText = (v: number) => formattedValueToString(format(v, undefined));
  const dateText = (ms: number, withDate: boolean) =>
    dateTimeFormat(ms, { timeZone, format: withDate ? 'MM-DD HH:mm' : 'HH:mm' });
  const xTicks = timeTicks(startMs, endMs, Math.max(2, Math.floor(plotWidth / PX_PER_TIME_TICK)));
  const historyTimes = historyIndex.map((i) => data.history.timesMs[i]);
  const historyValues = historyIndex.map((i) => data.history.values[i]);

  return (
    <svg width={width} height={height} className={styles.svg} role="img" aria-label={`Forecast of ${data.targetName}`}>
      {y.ticks.map((tick) => (
        <g key={`y${tick}`}>
          <line x1={MARGIN.left} x2={MARGIN.left + plotWidth} y1={yOf(tick)} y2={yOf(tick)} stroke={colours.grid} />
          <text x={MARGIN.left - 6} y={yOf(tick)} textAnchor="end" dominantBaseline="middle" className={styles.tick}>
            {valueText(tick)}
          </text>
        </g>
      ))}
      {xTicks.map((tick) => (
        <g key={`x${tick}`}>
          <line x1={xOf(tick)} x2={xOf(tick)} y1={MARGIN.top} y2={MARGIN.top + plotHeight} stroke={colours.grid} />
          <text x={xOf(tick)} y={height - 8} textAnchor="middle" className={styles.tick}>
            {dateText(tick, xTicks.length < 2 || xTicks[1] - xTicks[0] >= 86_400_000 || tick % 86_400_000 === 0)}
          </text>
        </g>
      ))}
      <clipPath id={clipId}>
        <rect x={MARGIN.left} y={MARGIN.top} width={plotWidth} height={plotHeight} />
      </clipPath>
      {data.forecast.bands.map((band, i) => (
        <path
          key={band.level}
          d={area(data.forecast.timesMs, band.lower, band.upper)}
          fill={colours.forecast}
          fillOpacity={i === 0 ? 0.15 : 0.3}
          stroke="none"
          clipPath={`url(#${clipId})`}
        />
      ))}
      <path d={line(historyTimes, historyValues)} fill="none" stroke={colours.history} strokeWidth={1.5} />
      <path d={line(data.forecast.timesMs, data.forecast.mean)} fill="none" stroke={colours.forecast} strokeWidth={2} />
      {data.capacity !== undefined && (
        <line
          x1={MARGIN.left}
          x2={MARGIN.left + plotWidth}
          y1={yOf(data.capacity)}
          y2={yOf(data.capacity)}
          stroke={colours.capacity}
          strokeWidth={1.5}
          strokeDasharray="6 4"
        />
      )}
      {typeof data.exhaustionMs === 'number' && (
        <g>
          <line
            x1={xOf(data.exhaustionMs)}
            x2={xOf(data.exhaustionMs)}
            y1={MARGIN.top}
            y2={MARGIN.top + plotHeight}
            stroke={colours.exhaustion}
            strokeWidth={2}
          />
          <text
            x={xOf(data.exhaustionMs) - 4}
            y={MARGIN.top + 12}
            textAnchor="end"
            className={styles.marker}
            fill={colours.exhaustion}
          >
            {dateTimeFormat(data.exhaustionMs, { timeZone, format: exhaustionDateFormat })}
          </text>
        </g>
      )}
      <line
        x1={MARGIN.left}
        x2={MARGIN.left + plotWidth}
        y1={MARGIN.top + plotHeight}
        y2={MARGIN.top + plotHeight}
        stroke={colours.axis}
      />
    </svg>
  );
}

export function chartColours(theme: GrafanaTheme2) {
  const named = (name: string) => theme.visualization.getColorByName(name);
  return {
    history: theme.colors.text.primary,
    forecast: named('blue'),
    capacity: named('red'),
    exhaustion: named('orange'),
    grid: theme.colors.border.weak,
    axis: theme.colors.border.medium,
  };
}

function getStyles(theme: GrafanaTheme2) {
  return {
    svg: css({ display: 'block', overflow: 'visible' }),
    tick: css({ fill: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
    marker: css({ fontSize: theme.typography.bodySmall.fontSize, fontWeight: theme.typography.fontWeightMedium }),
  };
}
