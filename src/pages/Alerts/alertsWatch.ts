/**
 * The Alerts page's state: what it watches and how sensitive the rule is, in a scene object synced to the URL so a
 * shared link reproduces the band and the backtest (the scene object is in alertsScene.ts).
 */
import type { SceneObjectState } from '@grafana/scenes';
import type { BandDirection } from '../../engine/thresholds';
import { DEFAULT_SENSITIVITY, type Sensitivity } from './alertAnalysis';
import { ALERT_PRESETS, type AlertPresetId } from './alertPresets';

export interface AlertsWatchState extends SceneObjectState, Sensitivity {
  preset: AlertPresetId;
  /** Node or namespace of a scoped preset. */
  scope: string;
  /** Expression of the Custom PromQL preset. */
  promql: string;
}

export const DEFAULT_WATCH: Omit<AlertsWatchState, 'key'> = {
  preset: 'gpu_utilisation',
  scope: '',
  promql: '',
  ...DEFAULT_SENSITIVITY,
};

export const WATCH_URL_KEYS = ['watch', 'scope', 'promql', 'width', 'margin', 'for', 'side'] as const;

const numberOr = (text: unknown, fallback: number, min: number, max: number) => {
  const value = typeof text === 'string' && text.trim() !== '' ? Number(text) : NaN;
  return Number.isFinite(value) && value >= min && value <= max ? value : fallback;
};

/** Limits of the sensitivity controls; a URL outside them falls back to the default. */
export const SENSITIVITY_LIMITS = {
  widthMads: { min: 1, max: 8 },
  minMarginPercent: { min: 0, max: 50 },
  forMinutes: { min: 0, max: 120 },
};

export type WatchUrlValues = Partial<Record<(typeof WATCH_URL_KEYS)[number], string | string[] | null>>;

/** The watch as URL values: a shared link reproduces the band and the backtest. */
export function watchToUrl(s: Omit<AlertsWatchState, 'key'>): WatchUrlValues {
  return {
    watch: s.preset,
    scope: s.scope || null,
    promql: s.promql || null,
    width: String(s.widthMads),
    margin: String(s.minMarginPercent),
    for: String(s.forMinutes),
    side: s.direction,
  };
}

/** The watch from URL values; anything missing or out of range falls back to the default. */
export function watchFromUrl(values: WatchUrlValues): Omit<AlertsWatchState, 'key'> {
  const text = (key: (typeof WATCH_URL_KEYS)[number]) => {
    const value = values[key];
    return typeof value === 'string' ? value : undefined;
  };
  const preset = ALERT_PRESETS.find((p) => p.id === text('watch'))?.id ?? DEFAULT_WATCH.preset;
  const side = text('side');
  const L = SENSITIVITY_LIMITS;
  return {
    preset,
    scope: text('scope') ?? '',
    promql: text('promql') ?? '',
    widthMads: numberOr(text('width'), DEFAULT_WATCH.widthMads, L.widthMads.min, L.widthMads.max),
    minMarginPercent: numberOr(
      text('margin'),
      DEFAULT_WATCH.minMarginPercent,
      L.minMarginPercent.min,
      L.minMarginPercent.max
    ),
    forMinutes: numberOr(text('for'), DEFAULT_WATCH.forMinutes, L.forMinutes.min, L.forMinutes.max),
    direction: (['upper', 'lower', 'both'] as BandDirection[]).includes(side as BandDirection)
      ? (side as BandDirection)
      : DEFAULT_WATCH.direction,
  };
}

export function sensitivityOfWatch(state: AlertsWatchState): Sensitivity {
  return {
    widthMads: state.widthMads,
    minMarginPercent: state.minMarginPercent,
    forMinutes: state.forMinutes,
    direction: state.direction,
  };
}
