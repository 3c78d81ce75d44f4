/** Times as people type them: ISO 8601 or unix seconds, read the same in a browser and in the backend. */

// A date and time without a zone: Date.parse reads it as local time, which differs between a browser and a server.
const ZONELESS_DATE_TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(:\d{2}(\.\d+)?)?)$/;

/** ISO 8601 (`2024-06-01T00:00:00Z`; without a zone, UTC) or unix seconds (`1717200000`); undefined when neither. */
export function parseTimeText(text: string): number | undefined {
  if (/^\d+(\.\d+)?$/.test(text)) {
    return Number(text);
  }
  const zoneless = ZONELESS_DATE_TIME.exec(text);
  const ms = Date.parse(zoneless ? `${zoneless[1]}T${zoneless[2]}Z` : text);
  return Number.isNaN(ms) ? undefined : ms / 1000;
}

/** Unix seconds as ISO 8601 without milliseconds, e.g. `2024-06-01T00:00:00Z`. */
export function isoSeconds(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
}

/** Unix seconds as ISO 8601 with milliseconds, as `Date.toISOString` writes it (Headroom's rule annotations). */
export function isoMilliseconds(seconds: number): string {
  return new Date(seconds * 1000).toISOString();
}
