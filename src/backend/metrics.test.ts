import { BackendMetrics } from './metrics';

describe('BackendMetrics', () => {
  test("Prometheus' text format: HELP and TYPE per family, counts by label set, sorted", () => {
    const metrics = new BackendMetrics(1_700_000_000);
    metrics.countCall('CheckHealth', true);
    metrics.countCall('CheckHealth', true);
    metrics.countCall('CheckHealth', false);
    metrics.countQuery('inventory', 200);
    expect(metrics.exposition(123)).toBe(
      [
        '# HELP headroom_backend_calls_total Calls Grafana made to the backend, by method and outcome.',
        '# TYPE headroom_backend_calls_total counter',
        'headroom_backend_calls_total{method="CheckHealth",outcome="error"} 1',
        'headroom_backend_calls_total{method="CheckHealth",outcome="ok"} 2',
        '# HELP headroom_backend_queries_total Queries answered through QueryData, by query type and status.',
        '# TYPE headroom_backend_queries_total counter',
        'headroom_backend_queries_total{query_type="inventory",status="200"} 1',
        '# HELP process_resident_memory_bytes Resident memory of the backend process.',
        '# TYPE process_resident_memory_bytes gauge',
        'process_resident_memory_bytes 123',
        '# HELP process_start_time_seconds When the backend process started, in seconds since 1970.',
        '# TYPE process_start_time_seconds gauge',
        'process_start_time_seconds 1700000000',
        '',
      ].join('\n')
    );
  });

  test('a query type that is not Headroom\'s counts as "other", quotes and all', () => {
    const metrics = new BackendMetrics(0);
    metrics.countQuery('x"} 1\nevil_metric 2', 400);
    metrics.countQuery('another', 400);
    const text = metrics.exposition(0);
    expect(text).toContain('headroom_backend_queries_total{query_type="other",status="400"} 2');
    expect(text).not.toContain('evil');
  });
});
