/**
 * The `fragmentation` query type end to end: find the newest fleet state at or before the end of the range, learn
 * the workload from the GPU requests of the days before it, filter, analyse with the engine and return the frames
 * of the requested view. `overTime` reads the state at up to OVER_TIME_INSTANTS instants with one range query per
 * expression, fewer on a large fleet (MAX_OVER_TIME_GPU_INSTANTS), so its cost is bounded whatever the time range and
 * the fleet's size.
 *
 * Who runs the analysis is the caller's choice (`run`): the browser sends it to a Web Worker
 * (datasource/fragmentation/fragmentationRunner.ts), because one state of a 10,000-GPU fleet takes tens of ms
 * (bench/fragmentation.ts) and `overTime` analyses up to 60 of them; the backend runs it in place.
 */
import { learnWorkload, type TaskType } from '../../engine/fragmentation';
import type { MetricCatalog } from '../../prometheus/catalog';
import {
  fetchFleetState,
  fetchFleetStates,
  fetchRecentGpuRequests,
  NO_POD_LABELS_WARNING,
  type FleetState,
} from '../../prometheus/fleetState';
import { anyGpuResourceMatcher } from '../../prometheus/inventoryQueries';
import { findNewestSampleSeconds } from '../../prometheus/newestSample';
import { selector } from '../../prometheus/promql';
import type { FleetFilters, PrometheusClient } from '../../prometheus/types';
import type { FragmentationContextNotice, FrameText } from '../frameTexts';
import { CodedQueryError, CodedQueryModelError } from '../queryErrors';
import type { Frame } from '../types';
import { filterFleet } from './fleetFilter';
import { defragFrames, gridFrame, jobsFitFrame, overTimeFrame, summaryFrame, withContext } from './fragmentationFrames';
import { runFragmentationTask, type FragmentationOutcome, type FragmentationTask } from './fragmentationTask';
import { isoMilliseconds } from '../../engine/series/timeText';

/** Which part of the fragmentation analysis a query returns. */
export type FragmentationView = 'summary' | 'grid' | 'jobsFit' | 'overTime' | 'defragPlan';

/** The fields of a saved query (HeadroomQuery) this reads. */
export interface FragmentationQuery {
  refId: string;
  fragmentationView?: FragmentationView;
  /** Days of GPU requests the target workload is learnt from (default 7). */
  workloadDays?: string;
}

/** Runs one analysis task: in a Web Worker in the browser, in place in the backend. */
export type FragmentationRun = (task: FragmentationTask) => Promise<FragmentationOutcome>;

/** The analysis in this process, after a turn of the event loop: for the backend, and where no Worker exists. */
export const runInPlace: FragmentationRun = (task) => Promise.resolve().then(() => runFragmentationTask(task));

/** One task through `run`, its outcome checked to be of the task's kind. */
async function analyse<K extends FragmentationTask['kind']>(
  run: FragmentationRun,
  task: FragmentationTask & { kind: K }
): Promise<FragmentationOutcome & { kind: K }> {
  const outcome = await run(task);
  if (outcome.kind !== task.kind) {
    throw new Error(`The fragmentation analysis answered a ${task.kind} task with a ${outcome.kind} result.`);
  }
  return outcome as FragmentationOutcome & { kind: K };
}

export const DEFAULT_WORKLOAD_DAYS = 7;
/** At most this many instants over the range for `overTime`: enough for a smooth line, bounded work. */
export const OVER_TIME_INSTANTS = 60;
/**
 * GPUs × instants one `overTime` view reads. Its per-GPU range query answers one point per GPU series and instant:
 * at 10,000 GPUs and 60 instants that was 33 MB of JSON and a backend peak of 0.93 GiB (docs/scale.md). Up to
 * 3,333 GPUs every view keeps 60 instants; at 10,000 it reads 20 (about 11 MB).
 */
export const MAX_OVER_TIME_GPU_INSTANTS = 200_000;
/** Never fewer instants than this, whatever the fleet: a line still shows a day's shape at two-hourly points. */
const MIN_OVER_TIME_INSTANTS = 12;
/** The step between instants never goes below a typical scrape interval. */
const MIN_OVER_TIME_STEP_SECONDS = 60;
const DAY_SECONDS = 86_400;

export interface FragmentationQueryContext {
  client: PrometheusClient;
  catalog: MetricCatalog;
  filters: FleetFilters;
  fromMs: number;
  toMs: number;
  /**
   * Queries that ask at once share what they fetch (the page asks for several views of the same state together): any
   * object that is the same for them, such as Grafana's DataQueryRequest, or in the backend one per connection. Only
   * a fetch in flight is shared: a query that comes after it has finished fetches anew.
   */
  sharedBy?: object;
  signal?: AbortSignal;
}

/** What every view needs: the state at the newest instant and the workload learnt before it. */
interface Snapshot {
  state: FleetState;
  workload?: TaskType[];
  notices: string[];
  noticeTexts: Record<string, FrameText>;
  queries: Array<{ name: string; expr: string }>;
}

/**
 * A snapshot being fetched: `fleetGpus` as soon as the newest state is read, `snapshot` once the workload is learnt
 * too. `overTime` plans its instants from the first and starts its range queries while the workload history, the
 * slowest query of the snapshot (docs/scale.md), is still being read.
 */
interface SnapshotFetch {
  fleetGpus: Promise<number>;
  snapshot: Promise<Snapshot>;
}

/**
 * A snapshot fetch and the queries waiting for it. The queries may come with signals of their own (in the backend,
 * calls from different panels share it), so it is aborted only once every query that joined it is; a query without
 * a signal keeps it going.
 */
interface SharedFetch {
  fetch: SnapshotFetch;
  stop: AbortController;
  waitingQueries: number;
}

const shared = new WeakMap<object, Map<string, SharedFetch>>();

export async function fragmentationFrames(
  query: FragmentationQuery,
  context: FragmentationQueryContext,
  runFragmentation: FragmentationRun
): Promise<Frame[]> {
  const view: FragmentationView = query.fragmentationView ?? 'summary';
  const workloadDays = parseWorkloadDays(query.workloadDays);
  const fetch = snapshotOnce(context, workloadDays);
  const { refId } = query;
  if (view === 'overTime') {
    return overTime(context, fetch, refId, runFragmentation);
  }
  const snapshot = await fetch.snapshot;
  const frameContext = { notices: snapshot.notices, noticeTexts: snapshot.noticeTexts, queries: snapshot.queries };
  const { state, workload } = snapshot;
  switch (view) {
    case 'summary': {
      const { summary } = await analyse(runFragmentation, { kind: view, state, workload });
      return withContext([summaryFrame(summary, state.timeSeconds, refId)], frameContext);
    }
    case 'grid': {
      const { rows } = await analyse(runFragmentation, { kind: view, state, workload });
      return withContext([gridFrame(rows, refId)], frameContext);
    }
    case 'jobsFit': {
      const { rows } = await analyse(runFragmentation, { kind: view, state, workload });
      return withContext([jobsFitFrame(rows, refId)], frameContext);
    }
    case 'defragPlan': {
      const { answer } = await analyse(runFragmentation, { kind: view, state, workload });
      return withContext(defragFrames(answer, refId), frameContext);
    }
    default:
      throw new CodedQueryModelError({
        code: 'unknown-view-error',
        queryType: 'fragmentation',
        view: String(view),
        allowed: ['summary', 'grid', 'jobsFit', 'overTime', 'defragPlan'],
      });
  }
}

function parseWorkloadDays(text: string | undefined): number {
  const raw = (text ?? '').trim();
  const days = raw === '' ? DEFAULT_WORKLOAD_DAYS : Number(raw);
  if (!(days > 0 && days <= 90)) {
    throw new CodedQueryModelError({ code: 'workload-days-error', got: raw });
  }
  return days;
}

function snapshotOnce(context: FragmentationQueryContext, workloadDays: number): SnapshotFetch {
  const { sharedBy } = context;
  if (!sharedBy) {
    return fetchSnapshot(context, workloadDays);
  }
  // The range too: it bounds how far back the newest state is looked for.
  const key = JSON.stringify([context.filters, context.fromMs, context.toMs, workloadDays]);
  const scope = shared.get(sharedBy) ?? new Map<string, SharedFetch>();
  shared.set(sharedBy, scope);
  let entry = scope.get(key);
  // One being aborted answers nobody any more: a query that comes then fetches anew.
  if (!entry || entry.stop.signal.aborted) {
    const stop = new AbortController();
    const started: SharedFetch = {
      fetch: fetchSnapshot({ ...context, signal: stop.signal }, workloadDays),
      stop,
      waitingQueries: 0,
    };
    entry = started;
    scope.set(key, started);
    // Settled either way, the next query fetches anew (a snapshot's failure reaches its callers through `snapshot`).
    const forget = () => {
      if (scope.get(key) === started) {
        scope.delete(key);
      }
    };
    started.fetch.snapshot.then(forget, forget);
  }
  return join(entry, context.signal);
}

/**
 * The shared fetch as one query sees it: the query counts among those waiting; when its signal aborts, it stops
 * waiting at once (with its own reason) and, the last to leave, stops the fetch, while the others keep it going.
 */
function join(entry: SharedFetch, signal: AbortSignal | undefined): SnapshotFetch {
  entry.waitingQueries += 1;
  if (!signal) {
    return entry.fetch;
  }
  const left = new Promise<never>((_, reject) => {
    const leave = () => {
      entry.waitingQueries -= 1;
      if (entry.waitingQueries === 0) {
        entry.stop.abort(signal.reason);
      }
      reject(signal.reason);
    };
    if (signal.aborted) {
      leave();
      return;
    }
    signal.addEventListener('abort', leave, { once: true });
    const settled = () => signal.removeEventListener('abort', leave);
    entry.fetch.snapshot.then(settled, settled);
  });
  const fleetGpus = Promise.race([entry.fetch.fleetGpus, left]);
  const snapshot = Promise.race([entry.fetch.snapshot, left]);
  // A view may never await one of them (only overTime reads fleetGpus); its rejection is its caller's to see.
  fleetGpus.catch(() => undefined);
  snapshot.catch(() => undefined);
  return { fleetGpus, snapshot };
}

function fetchSnapshot(context: FragmentationQueryContext, workloadDays: number): SnapshotFetch {
  const { client, catalog, signal } = context;
  const newest = findNewestStateSeconds(context);
  const fullState = newest.then((timeSeconds) => fetchFleetState(client, catalog, timeSeconds, signal));
  const recent = newest.then((timeSeconds) =>
    fetchRecentGpuRequests(client, catalog, timeSeconds, workloadDays * DAY_SECONDS, signal, context.filters.namespaces)
  );
  const snapshot = Promise.all([newest, fullState, recent]).then(([timeSeconds, state, requests]) =>
    snapshotOf(context, workloadDays, timeSeconds, state, requests)
  );
  // GPUs of the whole fleet at the newest instant (before filters): what a per-GPU range query answers for.
  const fleetGpus = fullState.then((state) =>
    state.nodes.reduce((sum, node) => sum + node.gpus.length + node.migGpus.length, 0)
  );
  // Only `overTime` waits for the fleet's size; the views see the same failure through `snapshot`.
  fleetGpus.catch(() => undefined);
  return { fleetGpus, snapshot };
}

/** The newest instant with GPU nodes at or before the end of the range. */
async function findNewestStateSeconds(context: FragmentationQueryContext): Promise<number> {
  const endSeconds = Math.floor(context.toMs / 1000);
  const rangeSeconds = Math.max(DAY_SECONDS, endSeconds - Math.floor(context.fromMs / 1000));
  const allocatable = selector(context.catalog.name('kube_node_status_allocatable'), [
    anyGpuResourceMatcher(context.catalog),
  ]);
  const timeSeconds = await findNewestSampleSeconds(
    context.client,
    allocatable,
    endSeconds,
    rangeSeconds,
    context.signal
  );
  if (timeSeconds === undefined) {
    throw new CodedQueryError({
      code: 'no-gpu-node-error',
      fromSeconds: endSeconds - rangeSeconds,
      toSeconds: endSeconds,
      selector: allocatable,
    });
  }
  return timeSeconds;
}

function snapshotOf(
  context: FragmentationQueryContext,
  workloadDays: number,
  timeSeconds: number,
  fullState: FleetState,
  recent: Awaited<ReturnType<typeof fetchRecentGpuRequests>>
): Snapshot {
  const endSeconds = Math.floor(context.toMs / 1000);
  const state = filterFleet(fullState, context.filters);
  const notices: string[] = [];
  const noticeTexts: Record<string, FrameText> = {};
  const note = (text: string, code: FragmentationContextNotice) => {
    notices.push(text);
    noticeTexts[text] = code;
  };
  // The fleet state's own warnings (prometheus/), the one it words with a code and any other as it is.
  for (const warning of state.warnings) {
    if (warning === NO_POD_LABELS_WARNING) {
      note(warning, { code: 'dcgm-no-pod-labels' });
    } else {
      notices.push(warning);
    }
  }
  if (timeSeconds < endSeconds - 300) {
    note(`The newest fleet state is from ${isoMilliseconds(timeSeconds)}, before the end of the time range.`, {
      code: 'state-before-end',
      timeSeconds,
    });
  }
  if (state.nodes.length === 0) {
    note('No GPU node matches the node and GPU model filters.', { code: 'no-node-matches' });
  }
  if (recent.migOnlyPods > 0) {
    note(`${recent.migOnlyPods} pod(s) asking only for MIG instances are not part of the FGD workload.`, {
      code: 'mig-only-pods',
      pods: recent.migOnlyPods,
    });
  }
  const disagreeing = state.disagreements.filter((d) => state.nodes.some((n) => n.name === d.node)).length;
  if (disagreeing > 0) {
    note(
      `kube-state-metrics and DCGM disagree in ${disagreeing} place(s); run \`headroom fragmentation --prometheus\` ` +
        'to list them.',
      { code: 'disagreements', places: disagreeing }
    );
  }
  let workload: TaskType[] | undefined;
  if (recent.requests.length > 0) {
    workload = learnWorkload(recent.requests);
  } else {
    note(
      `No pod asked for whole GPUs in the ${workloadDays} days before the state, so the workload FGD measures ` +
        'against cannot be learnt: fragmented GPUs are not shown. Widen the workload days or the namespace filter.',
      { code: 'no-workload', days: workloadDays }
    );
  }
  return {
    state,
    workload,
    notices,
    noticeTexts,
    queries: [...fullState.queries, ...recent.queries],
  };
}

/** How many instants `overTime` reads for a fleet of `fleetGpus`: OVER_TIME_INSTANTS, fewer past the GPU budget. */
export function overTimeInstantCount(fleetGpus: number): number {
  const fitting = Math.floor(MAX_OVER_TIME_GPU_INSTANTS / Math.max(1, fleetGpus));
  return Math.max(MIN_OVER_TIME_INSTANTS, Math.min(OVER_TIME_INSTANTS, fitting));
}

/** Instants ending at the end of the range, evenly spaced, at most `most` of them, at least a minute apart. */
export function overTimeInstants(fromMs: number, toMs: number, most: number = OVER_TIME_INSTANTS): number[] {
  const end = Math.floor(toMs / 1000);
  const span = Math.max(0, end - Math.ceil(fromMs / 1000));
  const step = Math.max(MIN_OVER_TIME_STEP_SECONDS, Math.floor(span / (most - 1)));
  const count = Math.min(most, Math.floor(span / step) + 1);
  return Array.from({ length: count }, (_, k) => end - (count - 1 - k) * step);
}

/**
 * The instants `overTime` reads for a fleet of `fleetGpus`, and the notice when the fleet's size cut them below what
 * the range alone would get (a short range gets fewer anyway: instants are at least a minute apart).
 */
export function overTimePlan(
  fromMs: number,
  toMs: number,
  fleetGpus: number
): { instants: number[]; fewer?: { text: string; code: FragmentationContextNotice } } {
  const instants = overTimeInstants(fromMs, toMs, overTimeInstantCount(fleetGpus));
  const usualInstants = overTimeInstants(fromMs, toMs).length;
  if (instants.length === usualInstants) {
    return { instants };
  }
  const text =
    `The fleet has ${fleetGpus.toLocaleString('en-US')} GPUs, so the state is read at ${instants.length} instants ` +
    `over the range instead of ${usualInstants}, to bound what one query answers.`;
  const code: FragmentationContextNotice = {
    code: 'over-time-fewer-instants',
    gpus: fleetGpus,
    instants: instants.length,
    usualInstants,
  };
  return { instants, fewer: { text, code } };
}

/**
 * FGD at each instant. The instants depend on the fleet's size only, so the range queries start as soon as the newest
 * state is read, while the snapshot still reads the workload history. Whatever the view started is stopped when it
 * ends: when the snapshot fails or learns no workload (the view is then empty, as the snapshot's are), when the query
 * is aborted, and after its answer; its listener on the query's signal is removed then.
 */
async function overTime(
  context: FragmentationQueryContext,
  fetch: SnapshotFetch,
  refId: string,
  runFragmentation: FragmentationRun
): Promise<Frame[]> {
  const stop = new AbortController();
  const outer = context.signal;
  const forward = () => stop.abort(outer?.reason);
  outer?.addEventListener('abort', forward, { once: true });
  if (outer?.aborted) {
    stop.abort(outer.reason);
  }
  try {
    return await overTimeUntil(stop.signal, context, fetch, refId, runFragmentation);
  } finally {
    outer?.removeEventListener('abort', forward);
    stop.abort();
  }
}

async function overTimeUntil(
  signal: AbortSignal,
  context: FragmentationQueryContext,
  fetch: SnapshotFetch,
  refId: string,
  runFragmentation: FragmentationRun
): Promise<Frame[]> {
  const { instants, fewer } = overTimePlan(context.fromMs, context.toMs, await fetch.fleetGpus);
  const fetchingStates = fetchFleetStates(context.client, context.catalog, instants, signal);
  // Awaited below once the workload is known; its failure is reported there, or not at all when it was stopped.
  fetchingStates.catch(() => undefined);
  const snapshot = await fetch.snapshot;
  if (!snapshot.workload) {
    return withContext([overTimeFrame([], refId)], snapshot);
  }
  const states = await fetchingStates;
  const { points } = await analyse(runFragmentation, {
    kind: 'overTime',
    states: states.map((state) => filterFleet(state, context.filters)),
    workload: snapshot.workload,
  });
  const notices = [...snapshot.notices, OVER_TIME_WORKLOAD_NOTICE];
  const noticeTexts: Record<string, FrameText> = {
    ...snapshot.noticeTexts,
    [OVER_TIME_WORKLOAD_NOTICE]: { code: 'over-time-workload' },
  };
  if (fewer) {
    notices.push(fewer.text);
    noticeTexts[fewer.text] = fewer.code;
  }
  return withContext([overTimeFrame(points, refId)], { notices, noticeTexts, queries: states[0]?.queries ?? [] });
}

const OVER_TIME_WORKLOAD_NOTICE =
  'FGD at each instant is measured against the workload learnt before the newest state.';
