/**
 * The Forecast page's launch what-if without React: the form's checks (each bad input under its own field), the
 * launch as the text the page keeps in its `whatif` URL variable (the `headroom capacity --what-if` syntax), the
 * scenario's frames renamed for the page's own panels, and the differences in one sentence.
 */
import type { DataFrame } from '@grafana/data';
import { t } from '@grafana/i18n';
import { launchEventText, parseLaunchEvents } from '../../engine/capacity';
import { FORECAST_FIELDS, FORECAST_FRAMES } from '../../datasource/forecast/forecastFrames';
import { WHAT_IF_FRAMES, WHAT_IF_PREFIX, type WhatIfSummaryMeta } from '../../datasource/forecast/whatIfFrames';

export interface WhatIfForm {
  /** UTC, `2025-06-02 18:00` or ISO 8601. */
  start: string;
  end: string;
  multiplier: string;
}

export type WhatIfErrors = Partial<Record<keyof WhatIfForm, string>>;

export const EMPTY_WHAT_IF_FORM: WhatIfForm = { start: '', end: '', multiplier: '' };
/** The name the page gives its one event (the command line numbers unnamed ones). */
export const LAUNCH_NAME = 'launch';
const TIME_EXAMPLE = '2025-06-02 18:00';

/** The form as the URL's text fills it; an unreadable text leaves it empty (the summary says why). */
export function formOfText(text: string): WhatIfForm {
  try {
    const [event] = parseLaunchEvents([text]);
    return event
      ? { start: utcText(event.startSeconds), end: utcText(event.endSeconds), multiplier: String(event.multiplier) }
      : EMPTY_WHAT_IF_FORM;
  } catch {
    return EMPTY_WHAT_IF_FORM;
  }
}

/**
 * The launch's text for the URL, or the errors of each field: times that are not UTC times, an end not after the
 * start, a multiplier not above 0, an event outside the forecast's horizon (first and last forecast hour, seconds).
 */
export function checkWhatIfForm(
  form: WhatIfForm,
  horizon?: { startSeconds: number; endSeconds: number }
): { text: string } | { errors: WhatIfErrors } {
  const errors: WhatIfErrors = {};
  const start = utcSeconds(form.start);
  const end = utcSeconds(form.end);
  const multiplier = form.multiplier.trim() === '' ? NaN : Number(form.multiplier);
  if (start === undefined) {
    errors.start = t('forecast.what-if.error.start', 'Enter the start as a UTC time, e.g. {{example}}.', {
      example: TIME_EXAMPLE,
      interpolation: { escapeValue: false },
    });
  }
  if (end === undefined) {
    errors.end = t('forecast.what-if.error.end', 'Enter the end as a UTC time, e.g. {{example}}.', {
      example: TIME_EXAMPLE,
      interpolation: { escapeValue: false },
    });
  } else if (start !== undefined && end <= start) {
    errors.end = t('forecast.what-if.error.end-before-start', 'The end must be after the start ({{start}}).', {
      start: utcText(start),
      interpolation: { escapeValue: false },
    });
  }
  if (!(multiplier > 0)) {
    errors.multiplier = t(
      'forecast.what-if.error.multiplier',
      'Enter a number above 0: 2 doubles the traffic, 1.5 adds half, 0.5 halves it.'
    );
  }
  if (horizon && start !== undefined && end !== undefined && end > start) {
    const window = `${utcText(horizon.startSeconds)} – ${utcText(horizon.endSeconds)} UTC`;
    if (start > horizon.endSeconds) {
      errors.start = t(
        'forecast.what-if.error.after-horizon',
        'Starts after the forecast ends ({{window}}): forecast further, or move the launch.',
        { window, interpolation: { escapeValue: false } }
      );
    } else if (end <= horizon.startSeconds) {
      errors.end = t(
        'forecast.what-if.error.before-horizon',
        'Ends before the forecast starts ({{window}}): move the launch into it.',
        { window, interpolation: { escapeValue: false } }
      );
    }
  }
  if (start === undefined || end === undefined || Object.keys(errors).length > 0) {
    return { errors };
  }
  return { text: launchEventText({ name: LAUNCH_NAME, startSeconds: start, endSeconds: end, multiplier }) };
}

/** The forecast's first and last hour in the answer, for checking a launch before it is planned. */
export function forecastHorizon(frames: DataFrame[]): { startSeconds: number; endSeconds: number } | undefined {
  const times = frames
    .find((frame) => frame.name === FORECAST_FRAMES.forecast)
    ?.fields.find((field) => field.name === FORECAST_FIELDS.time)?.values as number[] | undefined;
  return times?.length ? { startSeconds: times[0] / 1000, endSeconds: times[times.length - 1] / 1000 } : undefined;
}

export function whatIfSummary(frames: DataFrame[]): WhatIfSummaryMeta | undefined {
  return frames.find((frame) => frame.name === WHAT_IF_FRAMES.summary)?.meta?.custom as WhatIfSummaryMeta | undefined;
}

/**
 * The frames as the scenario's: each `What-if X` renamed `X` in place of the baseline's `X`, the rest (history,
 * progress) kept, so the page's forecast panel and tables draw the scenario unchanged.
 */
export function scenarioFrames(frames: DataFrame[]): DataFrame[] {
  const replaced = new Set(
    frames.flatMap((frame) => (frame.name?.startsWith(WHAT_IF_PREFIX) ? [frame.name.slice(WHAT_IF_PREFIX.length)] : []))
  );
  return frames
    .filter((frame) => frame.name === undefined || !replaced.has(frame.name))
    .map((frame) =>
      frame.name?.startsWith(WHAT_IF_PREFIX) ? { ...frame, name: frame.name.slice(WHAT_IF_PREFIX.length) } : frame
    );
}

/**
 * What the launch changes, read at a glance: "+15 GPUs at peak (15 → 30), for 4 hours, +60 GPU-hours, +$172.80 over
 * the horizon, capacity exceeded 6 hours earlier."
 */
export function whatIfSentence(summary: Extract<WhatIfSummaryMeta, { events: unknown }>): string {
  const { baseline, scenario, difference, hoursMore, hoursFewer } = summary;
  const parts: string[] = [];
  if (difference.peakGpus !== undefined) {
    parts.push(
      t('forecast.what-if.sentence.peak', '{{difference}} GPUs at peak ({{baseline}} → {{scenario}})', {
        difference: signed(difference.peakGpus),
        baseline: baseline.peakGpus,
        scenario: scenario.peakGpus,
      })
    );
  }
  if (hoursMore > 0) {
    parts.push(t('forecast.what-if.sentence.more', 'more for {{duration}}', { duration: duration(hoursMore) }));
  }
  if (hoursFewer > 0) {
    parts.push(t('forecast.what-if.sentence.fewer', 'fewer for {{duration}}', { duration: duration(hoursFewer) }));
  }
  if (difference.gpuHours !== undefined) {
    parts.push(
      t('forecast.what-if.sentence.gpu-hours', '{{difference}} GPU-hours', {
        difference: signed(round(difference.gpuHours, 1)),
      })
    );
  }
  if (difference.cost !== undefined) {
    parts.push(
      t('forecast.what-if.sentence.cost', '{{difference}} over the horizon', {
        difference: signedUsd(difference.cost),
      })
    );
  }
  if (difference.exhaustionEarlierSeconds !== undefined && difference.exhaustionEarlierSeconds !== 0) {
    const hours = round(Math.abs(difference.exhaustionEarlierSeconds) / 3600, 1);
    parts.push(
      difference.exhaustionEarlierSeconds > 0
        ? t('forecast.what-if.sentence.earlier', 'capacity exceeded {{hours}} hours earlier', { hours })
        : t('forecast.what-if.sentence.later', 'capacity exceeded {{hours}} hours later', { hours })
    );
  } else if (baseline.exhaustionSeconds === undefined && scenario.exhaustionSeconds !== undefined) {
    parts.push(
      t('forecast.what-if.sentence.exceeded-from', 'capacity exceeded from {{time}} UTC (not without the launch)', {
        time: utcText(scenario.exhaustionSeconds),
        interpolation: { escapeValue: false },
      })
    );
  }
  if (hoursMore === 0 && hoursFewer === 0) {
    parts.unshift(t('forecast.what-if.sentence.unchanged', 'No hour needs a different number of GPUs'));
  }
  return `${parts.join(', ')}.`;
}

/** `2025-06-02 18:00` (UTC); ISO 8601 with or without a zone (none: UTC). */
function utcSeconds(text: string): number | undefined {
  const trimmed = text.trim();
  const match = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(Z|[+-]\d{2}:?\d{2})?$/.exec(trimmed);
  if (!match) {
    return undefined;
  }
  const ms = Date.parse(`${match[1]}T${match[2]}${match[3] ?? 'Z'}`);
  return Number.isNaN(ms) ? undefined : ms / 1000;
}

function utcText(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(0, 16).replace('T', ' ');
}

function duration(hours: number): string {
  return hours >= 48 && hours % 24 === 0
    ? t('forecast.what-if.duration.days', '{{days}} days', { days: hours / 24 })
    : hours === 1
      ? t('forecast.what-if.duration.one-hour', '1 hour')
      : t('forecast.what-if.duration.hours', '{{hours}} hours', { hours });
}

function round(x: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(x * f) / f;
}

function signed(x: number): string {
  return x > 0 ? `+${x}` : x < 0 ? `−${-x}` : '±0';
}

/** Whole dollars from $100, cents below. */
function signedUsd(x: number): string {
  const digits = Math.abs(x) >= 100 ? 0 : 2;
  const text = Math.abs(x).toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  return `${x > 0 ? '+' : x < 0 ? '−' : '±'}$${text}`;
}
