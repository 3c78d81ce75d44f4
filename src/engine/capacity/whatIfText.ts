/**
 * Launch events as one line of text, `start=<ISO>,end=<ISO>,multiplier=<x>[,name=<text>]`, events separated by
 * `;`: what `headroom capacity --what-if` takes (one event per flag) and what the Forecast page keeps in its URL, read
 * by one parser so a link and a command mean the same launch.
 */
import { isoSeconds, parseTimeText } from '../series/timeText';
import { CapacityInputError } from './errors';
import type { LaunchEvent } from './whatIf';

export const WHAT_IF_FORMAT = 'start=<ISO>,end=<ISO>,multiplier=<x>[,name=<text>]';
const KEYS = new Set(['start', 'end', 'multiplier', 'name']);
/** Between events of one text; a comma already separates an event's keys. */
export const EVENT_SEPARATOR = ';';

/**
 * The events of each text (several per text when separated by `;`), named `what-if N` unless `name=` says otherwise.
 * A malformed value throws CapacityInputError whose message starts with the quoted text. The engine's own checks
 * (end after start, multiplier ≥ 0, inside the horizon) stay in `whatIf`.
 */
export function parseLaunchEvents(texts: readonly string[]): LaunchEvent[] {
  const parts = texts.flatMap((text) => text.split(EVENT_SEPARATOR).filter((part) => part.trim() !== ''));
  return parts.map((text, i) => parseOne(text.trim(), i));
}

function parseOne(text: string, index: number): LaunchEvent {
  const fields = new Map<string, string>();
  for (const part of text.split(',')) {
    const at = part.indexOf('=');
    const key = part.slice(0, at).trim();
    if (at < 0 || !KEYS.has(key) || fields.has(key)) {
      throw eventError(text, `expected ${WHAT_IF_FORMAT}, each key once.`);
    }
    fields.set(key, part.slice(at + 1).trim());
  }
  const missing = ['start', 'end', 'multiplier'].filter((k) => !fields.get(k));
  if (missing.length > 0) {
    throw eventError(text, `${missing.join(', ')} missing; expected ${WHAT_IF_FORMAT}.`);
  }
  const multiplier = Number(fields.get('multiplier'));
  if (Number.isNaN(multiplier)) {
    throw eventError(text, `multiplier must be a number ≥ 0, got "${fields.get('multiplier')}".`);
  }
  return {
    name: fields.get('name') || `what-if ${index + 1}`,
    startSeconds: timeSeconds(text, 'start', fields.get('start')!),
    endSeconds: timeSeconds(text, 'end', fields.get('end')!),
    multiplier,
  };
}

/** An event as the text `parseLaunchEvents` reads back; times in ISO 8601 UTC without milliseconds. */
export function launchEventText(event: LaunchEvent): string {
  const name = event.name ? `,name=${event.name}` : '';
  return `start=${isoSeconds(event.startSeconds)},end=${isoSeconds(event.endSeconds)},multiplier=${event.multiplier}${name}`;
}

/** ISO 8601 (2024-06-01T00:00:00Z; without a zone, UTC, as the page's form writes it) or unix seconds. */
function timeSeconds(text: string, key: string, value: string): number {
  const seconds = parseTimeText(value);
  if (seconds === undefined) {
    throw eventError(text, `${key} "${value}" is neither ISO 8601 (2024-06-01T00:00:00Z) nor unix seconds.`);
  }
  return seconds;
}

export { isoSeconds };

function eventError(text: string, reason: string): CapacityInputError {
  return new CapacityInputError('events', `"${text}": ${reason}`);
}
