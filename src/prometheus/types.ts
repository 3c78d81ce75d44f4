/**
 * Contracts of the Prometheus layer. Everything above (datasource/, cli/, pages/) talks to
 * Prometheus only through these types, whatever carries the HTTP request.
 */

/** One HTTP GET against a Prometheus-compatible API, relative to the client's base URL. */
export interface PrometheusHttpRequest {
  /** API path such as `/api/v1/query_range`. */
  path: string;
  params: Record<string, string>;
  timeoutMs: number;
  signal?: AbortSignal;
  /**
   * Called once the answer's body has arrived, before it is parsed: the store's part is done, so a caller limiting the
   * queries at the store may send the next (pipelinedQueries.ts). A transport that cannot tell never calls it.
   */
  onBodyReceived?: () => void;
}

export interface PrometheusHttpResponse {
  status: number;
  /** Parsed JSON when the body was JSON, otherwise the raw text. */
  body: unknown;
}

/**
 * Carries one request. In Node (CLI, tests) it is `fetch` against the Prometheus URL; inside Grafana it is
 * `getBackendSrv().fetch` against `${appSubUrl}/api/datasources/uid/<promUid>/resources` (datasource/ provides it).
 * It resolves for every HTTP status; it rejects only when no response arrived (network error, abort, timeout).
 */
export type PrometheusTransport = (request: PrometheusHttpRequest) => Promise<PrometheusHttpResponse>;

export interface TimeRangeSeconds {
  startSeconds: number;
  endSeconds: number;
}

export interface RangeQueryOptions extends TimeRangeSeconds {
  /** Omit to let the client choose a step that keeps every series under ~11,000 points. */
  stepSeconds?: number;
}

/** One series of a range or instant query. Missing samples are absent; NaN and ±Inf are kept as numbers. */
export interface PromSeries {
  labels: Record<string, string>;
  timestampsSeconds: number[];
  values: number[];
}

export interface QueryResult {
  series: PromSeries[];
  /** Warnings Prometheus attached to a successful answer, shown to the person. */
  warnings: string[];
  /** The step actually used, for range queries. */
  stepSeconds?: number;
}

export interface PrometheusClient {
  /** `onBodyReceived`: called at most once, before the answer is parsed; never by a transport that cannot tell. */
  queryRange(
    expr: string,
    options: RangeQueryOptions,
    signal?: AbortSignal,
    onBodyReceived?: () => void
  ): Promise<QueryResult>;
  queryInstant(expr: string, timeSeconds: number, signal?: AbortSignal): Promise<QueryResult>;
  series(matchers: string[], range: TimeRangeSeconds, signal?: AbortSignal): Promise<Array<Record<string, string>>>;
  labelNames(matchers: string[], range: TimeRangeSeconds, signal?: AbortSignal): Promise<string[]>;
  labelValues(label: string, matchers: string[], range: TimeRangeSeconds, signal?: AbortSignal): Promise<string[]>;
}

/** Filters from template variables; each list is OR-ed, empty or undefined means all. */
export interface FleetFilters {
  nodes?: string[];
  namespaces?: string[];
  gpuModels?: string[];
}

export interface InventoryRequest extends RangeQueryOptions {
  filters?: FleetFilters;
}

/**
 * GPU counts over time for one group (the whole fleet, one model or one namespace), in GPU-equivalents: a MIG
 * instance with N of 7 compute slices counts N/7 (see inventoryQueries.ts).
 */
export interface GpuCountSeries {
  /** Whole GPUs nodes offer to Kubernetes (kube_node_status_allocatable) plus physical GPUs in MIG mode. Absent for namespaces. */
  capacityGpus?: number[];
  /** GPU-equivalents requested by running pods (kube_pod_container_resource_requests), MIG instances included. */
  allocatedGpus: number[];
  /** Busy GPU-equivalents: Σ activity ratio × share of the GPU (DCGM), each physical GPU counted once. */
  busyGpus: number[];
}

/** A warning of the inventory Headroom words itself, with its figures (`inventoryWarningText` writes its English). */
export type InventoryWarning =
  | { code: 'inventory-no-kube-state-metrics'; metrics: string[] }
  | { code: 'inventory-no-dcgm-activity'; metrics: string[] }
  | { code: 'inventory-dcgm-profiling-off'; metric: string }
  | { code: 'inventory-no-namespace-label'; filtered: boolean }
  | { code: 'inventory-mig-estimated'; metrics: string[] };

export interface InventoryResult {
  /** Shared time axis of every series below; NaN where a value is missing. */
  timestampsSeconds: number[];
  stepSeconds: number;
  fleet: GpuCountSeries & { capacityGpus: number[]; freeGpus: number[] };
  byModel: Array<GpuCountSeries & { gpuModel: string }>;
  byNamespace: Array<GpuCountSeries & { namespace: string }>;
  /** One row per node, values at the end of the range; `gpuModel` lists every model DCGM reports on the node, `, `-joined. */
  nodes: Array<{ node: string; gpuModel: string; capacityGpus: number; allocatedGpus: number; busyGpus: number }>;
  /** Which activity metric the busy counts came from, e.g. `DCGM_FI_PROF_GR_ENGINE_ACTIVE`. */
  busySource: string;
  warnings: string[];
  /** The code of each warning, in the same order; null for Prometheus' own (the frames carry them, docs/i18n.md). */
  warningCodes: Array<InventoryWarning | null>;
  /** Every PromQL expression run, in order, for query inspectors and people checking a number. */
  queries: InventoryQuery[];
}

/** One expression the inventory ran: `name` says which number it gives, e.g. `capacity.byModel`. */
export interface InventoryQuery {
  name: string;
  expr: string;
  /** `range` over the whole grid, `instant` at its last timestamp. */
  kind: 'range' | 'instant';
}
