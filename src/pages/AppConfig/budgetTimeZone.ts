/**
 * The budget's time zone as the settings page stores it: a zone name from the list Grafana's TimeZonePicker offers
 * (moment-timezone's zones that belong to a country, tzdb's canonical names such as Asia/Kolkata), or nothing for
 * UTC. The browser's Intl accepts all of them, but names them differently from one engine to the next (Chrome and
 * Node answer Asia/Calcutta, Firefox Asia/Kolkata), so the picker's name is stored rather than Intl's.
 */
import { getTimeZones, InternalTimeZones } from '@grafana/data';
import { checkTimeZone } from '../../engine/efficiency';

/** What the picker holds for "no zone saved": UTC, the engine's default. */
export const PICKER_UTC = InternalTimeZones.utc;

/** The zone the picker shows for what is saved; a saved text no zone matches is returned as it is, to be flagged. */
export function pickerZone(saved: string | undefined): string {
  const text = saved?.trim() ?? '';
  if (text === '') {
    return PICKER_UTC;
  }
  const listed = listedZones();
  const exact = listed.get(text.toLowerCase());
  if (exact) {
    return exact;
  }
  let resolved: string;
  try {
    resolved = checkTimeZone(text);
  } catch {
    return text;
  }
  if (resolved === 'UTC') {
    return PICKER_UTC;
  }
  // An alias typed before the picker existed (US/Pacific, EST, Asia/Calcutta): the listed zone Intl takes it for.
  return listed.get(resolved.toLowerCase()) ?? sameZoneForIntl(resolved) ?? resolved;
}

/** The name stored in the settings for the picker's choice: nothing for UTC. */
export function storedZone(picked: string): string | undefined {
  return picked === PICKER_UTC || picked.trim() === '' ? undefined : picked;
}

let byLowerName: Map<string, string> | undefined;
function listedZones(): Map<string, string> {
  byLowerName ??= new Map(getTimeZones().map((zone) => [zone.toLowerCase(), zone]));
  return byLowerName;
}

function sameZoneForIntl(resolved: string): string | undefined {
  for (const zone of listedZones().values()) {
    try {
      if (checkTimeZone(zone) === resolved) {
        return zone;
      }
    } catch {
      // A zone newer than this browser's Intl: not the one sought.
    }
  }
  return undefined;
}
