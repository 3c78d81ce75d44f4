import React, { useLayoutEffect, useRef, useState } from 'react';
import { css } from '@emotion/css';
import { dateTimeFormat, formattedValueToString, getValueFormat, type GrafanaTheme2 } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';
import type { RowThresholds } from '../../engine/thresholds';
import { DAY_SECONDS } from '../../engine/thresholds/slots';
import { niceTicks, pixelBuckets, runs, stepCorners, valueRange } from './chartGeometry';

interface Props {
  timestampsSeconds: readonly number[];
  values: readonly number[];
  thresholds: RowThresholds;
  /** Rows before this index are the warm-up: learnt from, not judged. */
  warmupRows: number;
  alertStartsSeconds: readonly number[];
  unit: string;
  heightPx: number;
}

const MARGIN = { left: 64, right: 16, top: 16, bottom: 28 };

/** Width of the element, followed as the page resizes (a fixed guess where ResizeObserver is missing). */
function useWidthPx(): [React.RefObject<HTMLDivElement>, number] {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(900);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element || typeof ResizeObserver === 'undefined') {
      return;
    }
    const observer = new ResizeObserver(([entry]) => setWidth(Math.max(300, Math.floor(entry.contentRect.width))));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}

/**
 * The watched series over the range, the adaptive band as it was deployed at each time (recalibrated daily), the
 * warm-up it first learnt from, and a red marker where the rule would have started firing. Times in UTC, the clock
 * PromQL's hour() and day_of_week() use.
 */
export function BandChart({
  timestampsSeconds,
  values,
  thresholds,
  warmupRows,
  alertStartsSeconds,
  unit,
  heightPx,
}: Props) {
  const theme = useTheme2();
  const styles = useStyles2(getStyles);
  const [ref, widthPx] = useWidthPx();
  const n = timestampsSeconds.length;
  if (n < 2) {
    return null;
  }
  const t0 = timestampsSeconds[0];
  const t1 = timestampsSeconds[n - 1];
  const plotWidth = widthPx - MARGIN.left - MARGIN.right;
  const plotHeight = heightPx - MARGIN.top - MARGIN.bottom;
  const { min, max } = valueRange(values, thresholds.upper, thresholds.lower);
  const x = (t: number) => MARGIN.left + ((t - t0) / (t1 - t0)) * plotWidth;
  const y = (v: number) => MARGIN.top + (1 - (v - min) / (max - min)) * plotHeight;
  const clampY = (v: number) => y(Math.min(max, Math.max(min, v)));
  const format = getValueFormat(unit);
  const label = (v: number) => formattedValueToString(format(v, 2));

  const seriesColor = theme.visualization.getColorByName('blue');
  const bandColor = theme.visualization.getColorByName('green');
  const alertColor = theme.colors.error.main;

  const line = pixelBuckets(timestampsSeconds, values, x)
    .map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x},${y(p.high)}${p.low !== p.high ? `L${p.x},${y(p.low)}` : ''}`)
    .join('');
  const finite = (side: 'upper' | 'lower') => (i: number) => Number.isFinite(thresholds[side][i]);
  const at = (side: 'upper' | 'lower') => (i: number) => thresholds[side][i];
  const edgePath = (side: 'upper' | 'lower') =>
    runs(n, finite(side))
      .map(([a, b]) =>
        stepCorners(a, b, at(side))
          .map((i, k) => `${k === 0 ? 'M' : 'L'}${x(timestampsSeconds[i])},${clampY(thresholds[side][i])}`)
          .join('')
      )
      .join('');
  // The band's area where both edges exist; with one side watched, from that edge to the plot's border.
  const area = runs(n, (i) => finite('upper')(i) || finite('lower')(i))
    .map(([a, b]) => {
      const top = stepCorners(a, b, at('upper')).map(
        (i) => `${x(timestampsSeconds[i])},${clampY(Math.min(max, thresholds.upper[i]))}`
      );
      const bottom = stepCorners(a, b, at('lower'))
        .reverse()
        .map((i) => `${x(timestampsSeconds[i])},${clampY(Math.max(min, thresholds.lower[i]))}`);
      return `M${top.join('L')}L${bottom.join('L')}Z`;
    })
    .join('');

  const dayStep = t1 - t0 > 16 * DAY_SECONDS ? 7 : t1 - t0 > 8 * DAY_SECONDS ? 2 : 1;
  const timeTicks: number[] = [];
  for (let t = Math.ceil(t0 / DAY_SECONDS) * DAY_SECONDS; t <= t1; t += dayStep * DAY_SECONDS) {
    timeTicks.push(t);
  }
  const warmupEnd = warmupRows < n ? timestampsSeconds[warmupRows] : t1;

  return (
    <div ref={ref} className={styles.wrapper} data-testid="headroom-band-chart">
      <svg width={widthPx} height={heightPx} role="img" aria-label="Learnt band over history">
        <rect
          x={MARGIN.left}
          y={MARGIN.top}
          width={x(warmupEnd) - MARGIN.left}
          height={plotHeight}
          fill={theme.colors.action.hover}
        />
        <text x={MARGIN.left + 6} y={MARGIN.top + 14} className={styles.note}>
          warm-up
        </text>
        {niceTicks(min, max, 5).map((v) => (
          <g key={`y${v}`}>
            <line x1={MARGIN.left} x2={MARGIN.left + plotWidth} y1={y(v)} y2={y(v)} stroke={theme.colors.border.weak} />
            <text x={MARGIN.left - 6} y={y(v) + 4} textAnchor="end" className={styles.axis}>
              {label(v)}
            </text>
          </g>
        ))}
        {timeTicks.map((t) => (
          <text key={`t${t}`} x={x(t)} y={heightPx - 8} textAnchor="middle" className={styles.axis}>
            {dateTimeFormat(t * 1000, { format: 'MMM D', timeZone: 'utc' })}
          </text>
        ))}
        <path d={area} fill={bandColor} fillOpacity={0.15} />
        <path d={edgePath('upper')} fill="none" stroke={bandColor} strokeWidth={1.5} strokeDasharray="4 3" />
        <path d={edgePath('lower')} fill="none" stroke={bandColor} strokeWidth={1.5} strokeDasharray="4 3" />
        <path d={line} fill="none" stroke={seriesColor} strokeWidth={1.5} />
        {alertStartsSeconds.map((t) => (
          <g key={`a${t}`} data-testid="headroom-alert-start">
            <line
              x1={x(t)}
              x2={x(t)}
              y1={MARGIN.top}
              y2={MARGIN.top + plotHeight}
              stroke={alertColor}
              strokeWidth={1}
            />
            <path
              d={`M${x(t) - 5},${MARGIN.top}L${x(t) + 5},${MARGIN.top}L${x(t)},${MARGIN.top + 8}Z`}
              fill={alertColor}
            />
          </g>
        ))}
      </svg>
      <div className={styles.legend}>
        <span>
          <i className={styles.swatch} style={{ background: seriesColor }} /> Watched series
        </span>
        <span>
          <i className={styles.swatch} style={{ background: bandColor, opacity: 0.5 }} /> Learnt band (as deployed,
          recalibrated daily)
        </span>
        <span>
          <i className={styles.swatch} style={{ background: alertColor }} /> Alert start ({alertStartsSeconds.length})
        </span>
        <span className={styles.note}>Times in UTC, the clock of PromQL&apos;s hour()</span>
      </div>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  wrapper: css({ width: '100%', overflow: 'hidden' }),
  axis: css({ fill: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
  note: css({
    fill: theme.colors.text.secondary,
    color: theme.colors.text.secondary,
    fontSize: theme.typography.bodySmall.fontSize,
  }),
  legend: css({
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(2),
    fontSize: theme.typography.bodySmall.fontSize,
    color: theme.colors.text.primary,
    paddingLeft: MARGIN.left,
  }),
  swatch: css({
    display: 'inline-block',
    width: 12,
    height: 4,
    verticalAlign: 'middle',
    marginRight: theme.spacing(0.5),
  }),
});
