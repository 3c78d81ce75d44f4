/**
 * Prometheus' duration grammar, which Grafana uses for an alert rule's `for` and `keep_firing_for` (the provisioning
 * API's `model.Duration`, prometheus/common model/time.go): `<digits><unit>` repeated, units `y w d h m s ms` (a year
 * is 365 days, a week 7 days), each at most once and from largest to smallest; `0` alone needs no unit. No decimals,
 * no sign. Grafana prints a stored duration back in the shortest form (`90s` → `1m30s`, `36h` → `1d12h`, `7d` → `1w`).
 */

/** Milliseconds in each unit, largest first; years and weeks are printed only when they divide the rest exactly. */
const UNITS: ReadonlyArray<{ unit: string; ms: number; exact: boolean }> = [
  { unit: 'y', ms: 365 * 86_400_000, exact: true },
  { unit: 'w', ms: 7 * 86_400_000, exact: true },
  { unit: 'd', ms: 86_400_000, exact: false },
  { unit: 'h', ms: 3_600_000, exact: false },
  { unit: 'm', ms: 60_000, exact: false },
  { unit: 's', ms: 1000, exact: false },
  { unit: 'ms', ms: 1, exact: false },
];
const UNIT_INDEX = new Map(UNITS.map((u, index) => [u.unit, index]));
/** Go's time.Duration holds at most 2^63 − 1 nanoseconds; Prometheus refuses durations beyond it. */
// Written out: the build targets ES2018, where `**` becomes Math.pow, which refuses BigInts.
const TWO_TO_63 = BigInt('9223372036854775808');
const MAX_NANOSECONDS = TWO_TO_63 - BigInt(1);
/** Go's ParseUint limit for the digits of one component. */
const TWO_TO_64 = BigInt('18446744073709551616');
const NANOSECONDS_PER_MS = BigInt(1_000_000);

/** Text that is not a Prometheus duration; the message is Prometheus' own. */
export class DurationSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DurationSyntaxError';
  }
}

/** The duration in milliseconds, as Prometheus' ParseDuration reads it (same accepted inputs, same messages). */
export function parseDurationMs(text: string): number {
  if (text === '0') {
    return 0;
  }
  if (text === '') {
    throw new DurationSyntaxError('empty duration string');
  }
  const invalid = () => new DurationSyntaxError(`not a valid duration string: ${JSON.stringify(text)}`);
  let rest = text;
  let totalNs = BigInt(0);
  let lastIndex = -1;
  while (rest !== '') {
    const digits = /^[0-9]+/.exec(rest)?.[0];
    if (digits === undefined || BigInt(digits) >= TWO_TO_64) {
      throw invalid();
    }
    rest = rest.slice(digits.length);
    const unit = /^[^0-9]*/.exec(rest)![0];
    if (unit === '') {
      throw invalid();
    }
    rest = rest.slice(unit.length);
    const index = UNIT_INDEX.get(unit);
    if (index === undefined) {
      throw new DurationSyntaxError(`unknown unit ${JSON.stringify(unit)} in duration ${JSON.stringify(text)}`);
    }
    // Largest unit first, each once: "1m1d" is refused rather than read as a minute and a day.
    if (index <= lastIndex) {
      throw invalid();
    }
    lastIndex = index;
    const multiplierNs = BigInt(UNITS[index].ms) * NANOSECONDS_PER_MS;
    if (BigInt(digits) > TWO_TO_63 / multiplierNs) {
      throw new DurationSyntaxError('duration out of range');
    }
    totalNs += BigInt(digits) * multiplierNs;
    if (totalNs > MAX_NANOSECONDS) {
      throw new DurationSyntaxError('duration out of range');
    }
  }
  return Number(totalNs / NANOSECONDS_PER_MS);
}

/** A whole number of milliseconds as Prometheus prints it (model.Duration.String): `0s`, `1m30s`, `1d12h`, `2w`. */
export function formatDurationMs(durationMs: number): string {
  if (!Number.isSafeInteger(durationMs)) {
    throw new RangeError(`A duration is a whole number of milliseconds, got ${durationMs}.`);
  }
  if (durationMs === 0) {
    return '0s';
  }
  let rest = Math.abs(durationMs);
  let text = '';
  for (const { unit, ms, exact } of UNITS) {
    if (exact && rest % ms !== 0) {
      continue;
    }
    const count = Math.floor(rest / ms);
    if (count > 0) {
      text += `${count}${unit}`;
      rest -= count * ms;
    }
  }
  return durationMs < 0 ? `-${text}` : text;
}
