/**
 * Input that names nothing Prometheus holds: a filter value no series carries (a typo, a node that left) or a time
 * outside the data. Every command with node / namespace / GPU-model / served-model filters, or a time, checks through
 * here, so each says the same thing: what matched nothing, what exists instead (a bounded list, closest first), and
 * exit code 2. PromQL never leads such a message.
 */
import { DEFAULT_GPU_RESOURCE, type MetricCatalog } from '../prometheus/catalog';
import type { FamilyDetection } from '../prometheus/detect';
import {
  checkFilterValues,
  type FilterCheck,
  type FilterDimension,
  type FilterValues,
} from '../prometheus/filterValues';
import { matcher, selector } from '../prometheus/promql';
import { findSampleSpan } from '../prometheus/sampleSpan';
import type { PrometheusClient, TimeRangeSeconds } from '../prometheus/types';
import { isoSeconds, UsageError } from './args';

/** A filter value, or the filters together, matched no series in the range. Exit code 2. */
export class NoMatchError extends UsageError {}

/** The time or range asked for holds no data, while Prometheus holds some elsewhere. Exit code 2. */
export class OutsideDataError extends UsageError {}

/** How many existing values a message lists. */
export const MAX_LISTED = 12;

const NOUN: Record<FilterDimension, [one: string, many: string]> = {
  nodes: ['node', 'nodes'],
  namespaces: ['namespace', 'namespaces'],
  gpuModels: ['GPU model', 'GPU models'],
  servedModels: ['served model', 'served models'],
};

/** The flag of each filter in the commands that take them. */
export const FILTER_FLAGS: Record<FilterDimension, string> = {
  nodes: '--node',
  namespaces: '--namespace',
  gpuModels: '--gpu-model',
  servedModels: '--model',
};

/**
 * Checks every filter given against the label values the range holds. A filter none of whose values exists throws
 * `NoMatchError`; a value that exists nowhere beside others that do is a warning (returned), since the others still
 * select something.
 */
export async function requireFilterMatches(
  client: PrometheusClient,
  catalog: MetricCatalog,
  filters: FilterValues,
  range: TimeRangeSeconds,
  detection?: FamilyDetection
): Promise<string[]> {
  const checks = await checkFilterValues(client, catalog, filters, range, detection);
  const nothing = checks.filter(
    (c) => c.unmatched.length > 0 && c.unmatched.length === new Set(filters[c.dimension]).size
  );
  if (nothing.length > 0) {
    throw new NoMatchError(nothing.map((c) => describeUnmatched(c, range)).join('\n'));
  }
  return checks
    .filter((c) => c.unmatched.length > 0)
    .map((c) => describeUnmatched(c, range, c.unmatched.length === 1 ? ' and is ignored' : ' and are ignored'));
}

/**
 * `--node no-such-node matched nothing: no node of that name has series between … and ….`, then what exists:
 * the closest names first when some look alike, else in order, at most MAX_LISTED.
 */
export function describeUnmatched(check: FilterCheck, range: TimeRangeSeconds, outcome = ''): string {
  const [one, many] = NOUN[check.dimension];
  const flag = FILTER_FLAGS[check.dimension];
  const asked = check.unmatched.map((v) => `${flag} ${quoteIfNeeded(v)}`).join(' ');
  const head =
    `${asked} matched nothing${outcome}: no ${one} of ${check.unmatched.length === 1 ? 'that name' : 'those names'} has ` +
    `series between ${isoSeconds(range.startSeconds)} and ${isoSeconds(range.endSeconds)}.`;
  if (check.known.length === 0) {
    return `${head}\nNo ${many} at all in that range.`;
  }
  const close = closest(check.unmatched, check.known);
  const rest = check.known.filter((v) => !close.includes(v));
  const listed = [...close, ...rest].slice(0, MAX_LISTED);
  const more = check.known.length - listed.length;
  const guess = close.length > 0 ? ` Did you mean ${quoteIfNeeded(close[0])}?` : '';
  return (
    `${head}${guess}\n${capitalise(many)} seen (${check.known.length}): ` +
    `${listed.map(quoteIfNeeded).join(', ')}${more > 0 ? `, … and ${more} more` : ''}`
  );
}

/**
 * Nothing in `range` for `probes`: where the data is instead, from the first probe that has any. Undefined when no
 * probe has data anywhere (the caller's own "nothing is scraped" message applies) or the data is in the range.
 * `asked` names what was asked, e.g. `--time 2020-01-01T00:00:00Z`.
 */
export async function explainOutsideData(
  client: PrometheusClient,
  probes: Array<{ selector: string; what: string }>,
  range: TimeRangeSeconds,
  asked: string
): Promise<OutsideDataError | undefined> {
  const nowSeconds = Math.floor(Date.now() / 1000);
  for (const probe of probes) {
    const span = await findSampleSpan(client, probe.selector, nowSeconds);
    if (span === undefined) {
      continue;
    }
    const holds = `Prometheus holds ${probe.what} from ${isoSeconds(span.firstSeconds)} to ${isoSeconds(span.lastSeconds)}.`;
    if (range.endSeconds < span.firstSeconds) {
      return new OutsideDataError(
        `${asked} is before the first ${probe.what} sample (${isoSeconds(span.firstSeconds)}): the data does not reach back that far. ${holds}`
      );
    }
    if (range.startSeconds > span.lastSeconds) {
      return new OutsideDataError(
        `${asked} is after the newest ${probe.what} sample (${isoSeconds(span.lastSeconds)}). ${holds}`
      );
    }
    return new OutsideDataError(`${asked} falls in a gap: no ${probe.what} sample there. ${holds}`);
  }
  return undefined;
}

/** Series that show a GPU fleet is scraped at all, most telling first. */
export function gpuProbes(catalog: MetricCatalog): Array<{ selector: string; what: string }> {
  return [
    {
      selector: selector(catalog.name('kube_node_status_allocatable'), [
        matcher('resource', '=', catalog.name(DEFAULT_GPU_RESOURCE)),
      ]),
      what: 'kube-state-metrics GPU allocatable',
    },
    { selector: selector(catalog.name('DCGM_FI_PROF_GR_ENGINE_ACTIVE'), []), what: 'DCGM activity' },
    { selector: selector(catalog.name('DCGM_FI_DEV_GPU_UTIL'), []), what: 'DCGM utilisation' },
  ];
}

/** Known values that look like a typo of an unmatched one: same letters ignoring case, or a few edits away. */
function closest(unmatched: string[], known: string[]): string[] {
  const scored = known
    .map((value) => ({
      value,
      distance: Math.min(...unmatched.map((u) => editDistance(u.toLowerCase(), value.toLowerCase()))),
    }))
    .filter(({ value, distance }) => distance <= Math.max(1, Math.floor(value.length / 4)))
    .sort((a, b) => a.distance - b.distance || a.value.localeCompare(b.value));
  return scored.slice(0, 3).map((s) => s.value);
}

/** Levenshtein distance. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

function quoteIfNeeded(value: string): string {
  return /^[\w.:/-]+$/.test(value) ? value : JSON.stringify(value);
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
