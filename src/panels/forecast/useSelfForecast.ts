import { useEffect, useState } from 'react';
import { runForecast } from '../../datasource/forecast/forecastRunner';
import { AUTO_MODEL, type ForecastOutcome } from '../../datasource/forecast/forecastTask';
import type { PlainSeries } from './forecastData';

/** Grid steps the panel forecasts on: the first at or above the series' own spacing, so a day is a whole number. */
const STEPS_SECONDS = [60, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];

export function forecastStepSeconds(timestampsSeconds: number[]): number {
  const gaps = timestampsSeconds
    .slice(1)
    .map((t, i) => t - timestampsSeconds[i])
    .sort((a, b) => a - b);
  const median = gaps.length ? gaps[Math.floor(gaps.length / 2)] : 3600;
  return STEPS_SECONDS.find((step) => step >= median) ?? STEPS_SECONDS[STEPS_SECONDS.length - 1];
}

export type SelfForecast =
  | { state: 'idle' }
  | { state: 'running' }
  | { state: 'done'; outcome: ForecastOutcome }
  | { state: 'error'; message: string };

/** Forecasts a plain series in the worker whenever the series or the options change; the newest request wins. */
export function useSelfForecast(series: PlainSeries | undefined, horizonHours: number, levels: number[]): SelfForecast {
  const levelsKey = levels.join(',');
  // The answer remembers what it answered, so a stale one reads as "running" without resetting state in the effect.
  const [answer, setAnswer] = useState<{ request: unknown[]; result: SelfForecast }>();
  const request = [series, horizonHours, levelsKey];
  useEffect(() => {
    if (!series) {
      return;
    }
    let current = true;
    const asked = [series, horizonHours, levelsKey];
    const stepSeconds = forecastStepSeconds(series.timestampsSeconds);
    runForecast({
      timestampsSeconds: series.timestampsSeconds,
      values: series.values,
      stepSeconds,
      horizonSteps: Math.max(1, Math.round((horizonHours * 3600) / stepSeconds)),
      levels: levelsKey.split(',').map(Number),
      model: AUTO_MODEL,
    }).then(
      (outcome) => current && setAnswer({ request: asked, result: { state: 'done', outcome } }),
      (error: unknown) =>
        current &&
        setAnswer({
          request: asked,
          result: { state: 'error', message: error instanceof Error ? error.message : String(error) },
        })
    );
    return () => {
      current = false;
    };
  }, [series, horizonHours, levelsKey]);

  if (!series) {
    return { state: 'idle' };
  }
  const answersThis = answer && answer.request.every((part, i) => part === request[i]);
  return answersThis ? answer.result : { state: 'running' };
}
