/**
 * The backend's own metrics, in Prometheus' text format, for Diagnostics.CollectMetrics (Grafana serves them at
 * /api/plugins/<plugin id>/metrics): what Grafana asked and how it went, and the process' memory. Label values come
 * from a fixed set, so a query type nobody knows cannot grow the series without bound.
 */

const KNOWN_QUERY_TYPES = new Set(['inventory', 'forecast', 'capacity', 'fragmentation', 'efficiency', 'alert']);

export type CallMethod = 'CheckHealth' | 'QueryData' | 'CallResource' | 'CollectMetrics';

export class BackendMetrics {
  private readonly calls = new Map<string, number>();
  private readonly queries = new Map<string, number>();

  constructor(private readonly startSeconds: number) {}

  /** One call of `method`; `ok` false when the backend answered with an error (health ERROR, status ≥ 400). */
  countCall(method: CallMethod, ok: boolean): void {
    const key = `method="${method}",outcome="${ok ? 'ok' : 'error'}"`;
    this.calls.set(key, (this.calls.get(key) ?? 0) + 1);
  }

  /** One query of a QueryData call, by its type (`other` when not a Headroom type) and HTTP-like status. */
  countQuery(queryType: string, status: number): void {
    const type = KNOWN_QUERY_TYPES.has(queryType) ? queryType : 'other';
    const key = `query_type="${type}",status="${Math.trunc(status)}"`;
    this.queries.set(key, (this.queries.get(key) ?? 0) + 1);
  }

  exposition(residentMemoryBytes: number): string {
    const lines: string[] = [];
    const family = (name: string, help: string, type: 'counter' | 'gauge', samples: Map<string, number>) => {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
      for (const [labels, value] of [...samples].sort(([a], [b]) => a.localeCompare(b))) {
        lines.push(`${name}${labels === '' ? '' : `{${labels}}`} ${value}`);
      }
    };
    family(
      'headroom_backend_calls_total',
      'Calls Grafana made to the backend, by method and outcome.',
      'counter',
      this.calls
    );
    family(
      'headroom_backend_queries_total',
      'Queries answered through QueryData, by query type and status.',
      'counter',
      this.queries
    );
    family(
      'process_resident_memory_bytes',
      'Resident memory of the backend process.',
      'gauge',
      new Map([['', residentMemoryBytes]])
    );
    family(
      'process_start_time_seconds',
      'When the backend process started, in seconds since 1970.',
      'gauge',
      new Map([['', this.startSeconds]])
    );
    return `${lines.join('\n')}\n`;
  }
}
