/** Options of the Forecast panel; they apply when the panel forecasts a plain series itself. */
export interface ForecastPanelOptions {
  horizonHours: number;
  /** Interval levels in percent, comma-separated ("80, 95"). */
  levels: string;
  /** Capacity in the series' unit; drawn with the date the forecast exceeds it. */
  capacity?: number;
}

export const DEFAULT_FORECAST_PANEL_OPTIONS: ForecastPanelOptions = { horizonHours: 24, levels: '80, 95' };

/** Levels a person typed, kept when they are percentages strictly between 0 and 100; 80 and 95 when none are. */
export function parseLevels(text: string): number[] {
  const levels = text
    .split(',')
    .map((part) => Number(part.trim()))
    .filter((level) => level > 0 && level < 100);
  return levels.length ? [...new Set(levels)].sort((a, b) => a - b) : [80, 95];
}
