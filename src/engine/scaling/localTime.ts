import { CapacityInputError } from '../capacity/errors';

/** A moment as the wall clock of a time zone shows it: what a cron expression with that time zone matches. */
export interface LocalTime {
  /** 0 = Sunday … 6 = Saturday, as cron's day-of-week field counts. */
  dayOfWeek: number;
  secondsOfDay: number;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** A formatter for an IANA time zone ("Etc/UTC", "Europe/Paris"); an unknown zone is bad input. */
export function wallClock(timeZone: string): (tSeconds: number) => LocalTime {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
  } catch {
    throw new CapacityInputError(
      'timeZone',
      `"${timeZone}" is not an IANA time zone; use one such as Etc/UTC or Europe/Paris.`
    );
  }
  return (tSeconds) => {
    const parts = Object.fromEntries(format.formatToParts(new Date(tSeconds * 1000)).map((p) => [p.type, p.value]));
    return {
      dayOfWeek: WEEKDAYS.indexOf(parts.weekday),
      secondsOfDay: Number(parts.hour) * 3600 + Number(parts.minute) * 60 + Number(parts.second),
    };
  };
}

/** Refuses an unknown time zone before anything is computed with it. */
export function checkTimeZone(timeZone: string): void {
  wallClock(timeZone);
}
