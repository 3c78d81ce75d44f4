/** The parts of Grafana's dashboard JSON (schema v1, `schemaVersion` 41) the shipped dashboards use and tests read. */

export interface DataSourceRefJson {
  type?: string;
  uid?: string;
}

export interface TargetJson {
  refId: string;
  datasource?: DataSourceRefJson;
  hide?: boolean;
  /** PromQL of a Prometheus target, or of a Headroom forecast of target `expr`. */
  expr?: string;
  [field: string]: unknown;
}

export interface PanelJson {
  id: number;
  type: string;
  title: string;
  description?: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource?: DataSourceRefJson;
  targets?: TargetJson[];
  transformations?: Array<{ id: string; options: unknown }>;
  options?: Record<string, unknown>;
  fieldConfig?: { defaults: Record<string, unknown>; overrides: unknown[] };
  maxDataPoints?: number;
}

export interface DashboardJson {
  uid: string;
  title: string;
  description?: string;
  schemaVersion: number;
  revision: number;
  __inputs?: unknown[];
  time: { from: string; to: string };
  templating: { list: Array<{ type: string; name: string; label?: string; query?: string }> };
  panels: PanelJson[];
}

/** Grafana's slug of a dashboard title (pkg/infra/slugify, for ASCII titles): lower case, other runs one dash. */
export function grafanaSlug(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}
