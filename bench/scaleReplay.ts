/**
 * Replays recorded page requests against Prometheus or VictoriaMetrics and measures each store by its own means:
 * Prometheus' `stats=all` (samples.totalQueryableSamples: samples the query engine loaded, once per step for an
 * instant selector, every sample in the window for a range selector), VictoriaMetrics' `trace=1` (samples fetched
 * from storage, before rollups). Both export process_cpu_seconds_total.
 */
import { matcher, regexEscape } from '../src/prometheus/promql';
import type { RecordedRequest } from './scaleProxy';

export type StoreKind = 'prometheus' | 'victoriametrics';

export interface RequestMeasure {
  path: string;
  query?: string;
  latenciesMs: number[];
  /** Samples read by one execution; undefined for metadata requests. */
  samples?: number;
  error?: string;
}

export interface ReplayResult {
  measures: RequestMeasure[];
  /** Server CPU seconds of one replay of the page's requests (all repeats divided by their number). */
  cpuSeconds: number;
}

async function cpuSeconds(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const match = /^process_cpu_seconds_total(?:\{[^}]*\})? ([0-9.e+]+)$/m.exec(text);
  if (!match) {
    throw new Error(`${url}/metrics has no process_cpu_seconds_total`);
  }
  return Number(match[1]);
}

interface VmTrace {
  message: string;
  children?: VmTrace[];
}

/** Samples VictoriaMetrics fetched: the `samples=N` of each storage fetch in the trace (one per selector). */
function vmTraceSamples(trace: VmTrace): number {
  const own = /^fetch unique series=\d+, blocks=\d+, samples=(\d+)/.exec(trace.message);
  return (own ? Number(own[1]) : 0) + (trace.children ?? []).reduce((sum, child) => sum + vmTraceSamples(child), 0);
}

function samplesOf(
  kind: StoreKind,
  body: { data?: { stats?: { samples?: { totalQueryableSamples?: number } } }; trace?: VmTrace }
) {
  return kind === 'prometheus'
    ? body.data?.stats?.samples?.totalQueryableSamples
    : body.trace && vmTraceSamples(body.trace);
}

function parseJson(text: string): { status?: string; error?: string } & Parameters<typeof samplesOf>[1] {
  try {
    return JSON.parse(text);
  } catch {
    return {};
  }
}

const isQuery = (path: string) => path === '/api/v1/query' || path === '/api/v1/query_range';

export async function replay(
  kind: StoreKind,
  url: string,
  requests: RecordedRequest[],
  repeats: number
): Promise<ReplayResult> {
  const before = await cpuSeconds(url);
  const measures: RequestMeasure[] = requests.map((r) => ({
    path: r.path,
    query: r.params.find(([name]) => name === 'query')?.[1],
    latenciesMs: [],
  }));
  for (let run = 0; run < repeats; run++) {
    for (const [i, request] of requests.entries()) {
      const params = new URLSearchParams(request.params);
      if (isQuery(request.path)) {
        params.set(kind === 'prometheus' ? 'stats' : 'trace', kind === 'prometheus' ? 'all' : '1');
      }
      const started = performance.now();
      // GET: Prometheus 2.42 answers POST only on the query endpoints (405 on label values).
      const response = await fetch(`${url}${request.path}?${params}`);
      const text = await response.text();
      const body = parseJson(text);
      measures[i].latenciesMs.push(performance.now() - started);
      if (!response.ok || body.status !== 'success') {
        measures[i].error = String(body.error ?? `${response.status} ${text}`).slice(0, 200);
      } else if (isQuery(request.path)) {
        measures[i].samples = samplesOf(kind, body);
      }
    }
  }
  return { measures, cpuSeconds: ((await cpuSeconds(url)) - before) / repeats };
}

/**
 * The page's requests as they would be if the data source read the recorded series: every occurrence of a recording
 * rule's expression in a query becomes the rule's name (longest first). The rules record exactly the data source's
 * unfiltered expressions, so a whole inventory query is replaced by one recorded series.
 */
export function withRecordedSeries(requests: RecordedRequest[], records: Array<[name: string, expr: string]>) {
  const longestFirst = [...records].sort((a, b) => b[1].length - a[1].length);
  let replaced = 0;
  const rewritten = requests.map((request) => ({
    ...request,
    params: request.params.map(([name, value]): [string, string] => {
      if (name !== 'query') {
        return [name, value];
      }
      let query = value;
      for (const [record, expr] of longestFirst) {
        if (query.includes(expr)) {
          query = query.split(expr).join(record);
          replaced++;
        }
      }
      return [name, query];
    }),
  }));
  return { requests: rewritten, replaced };
}

/**
 * The page's requests as they would be without the recording rules: every recorded series a query names (outside its
 * quoted strings, so a presence check's name regex stays as sent) becomes the rule's expression in parentheses. Pages
 * recorded where the records existed read them; this gives their raw cost, whichever store they were recorded on. A
 * record read over a range (`max_over_time(record[86400s])`, the waste view's GPU memory) becomes a subquery at the
 * rules' evaluation interval, `(expr)[86400s:300s]`: the values the record holds, computed from the raw series (a range
 * selector on an expression is refused otherwise).
 */
export function withRuleExpressions(
  requests: RecordedRequest[],
  records: Array<[name: string, expr: string]>,
  ruleIntervalSeconds: number
) {
  const longestFirst = [...records].sort((a, b) => b[0].length - a[0].length);
  let replaced = 0;
  const expand = (code: string) =>
    longestFirst.reduce(
      (text, [record, expr]) =>
        text.replace(
          new RegExp(`(?<![\\w:])${regexEscape(record)}(?![\\w:])(\\[[^\\]]*\\])?`, 'g'),
          (_whole, range?: string) => {
            replaced++;
            if (range === undefined) {
              return `(${expr})`;
            }
            return range.includes(':')
              ? `(${expr})${range}`
              : `(${expr})${range.slice(0, -1)}:${ruleIntervalSeconds}s]`;
          }
        ),
      code
    );
  const rewritten = requests.map((request) => ({
    ...request,
    params: request.params.map(([name, value]): [string, string] =>
      name === 'query'
        ? [
            name,
            value
              .split('"')
              .map((part, i) => (i % 2 === 0 ? expand(part) : part))
              .join('"'),
          ]
        : [name, value]
    ),
  }));
  return { requests: rewritten, replaced };
}

/** An instant query's answer as label sets, at a time in seconds. */
export type InstantLabels = (query: string, timeSeconds: number) => Promise<Array<Record<string, string>>>;

/**
 * The records a store lacks at any of `timesSeconds`, in `records`' order: a record with no series there while its
 * expression has some (one whose expression answers nothing in this fleet is not missing). A store with none of them
 * at all holds no rules' history: every record is missing, unevaluated. Each is checked, not one standing for all: a
 * store filled before a rule was added holds the others' history only.
 */
export async function recordsMissing(
  instant: InstantLabels,
  records: Array<[name: string, expr: string]>,
  timesSeconds: number[]
): Promise<string[]> {
  const names = records.map(([name]) => name);
  const namesMatcher = matcher('__name__', '=~', names.map(regexEscape).join('|'));
  const missing = new Set<string>();
  for (const timeSeconds of timesSeconds) {
    const present = new Set(
      (await instant(`count by (__name__) ({${namesMatcher}})`, timeSeconds)).map((l) => l.__name__)
    );
    if (present.size === 0) {
      return names;
    }
    for (const [name, expr] of records) {
      if (!present.has(name) && !missing.has(name) && (await instant(`count(${expr})`, timeSeconds)).length > 0) {
        missing.add(name);
      }
    }
  }
  return names.filter((name) => missing.has(name));
}

export function percentile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}
