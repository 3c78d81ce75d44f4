/**
 * Where each alert Headroom writes sends a person: a text panel of one of the runbook dashboards the app ships
 * (src/dashboards/, imported by Grafana with the app). The uids and panel ids are fixed in those JSON files;
 * tests/config/dashboards.test.ts fails when a link here names a dashboard or panel that does not exist.
 */

/** The annotation Grafana and Alertmanager show as the alert's runbook link. */
export const RUNBOOK_URL_ANNOTATION = 'runbook_url';

export interface RunbookPanel {
  /** The dashboard's `uid` in its JSON file. */
  dashboardUid: string;
  /** Grafana's slug of the dashboard title; any slug opens the dashboard, this one avoids a redirect. */
  slug: string;
  /** The panel's `id` in the dashboard JSON. */
  panelId: number;
}

export const RUNBOOKS = {
  /** Headroom's learnt-band rules (Alerts page, `headroom recalibrate`, `headroom rules export`). */
  band: { dashboardUid: 'headroom-gpu-capacity-runbook', slug: 'gpu-capacity-runbook', panelId: 7 },
  /** The fragmentation template: a G-GPU job cannot start although G GPUs are free. */
  gangBlocked: { dashboardUid: 'headroom-fragmentation-triage', slug: 'fragmentation-triage', panelId: 1 },
  /** The waste template: idle GPUs held by pods cost more than a threshold. */
  idleGpuCost: { dashboardUid: 'headroom-gpu-waste-review', slug: 'gpu-waste-review', panelId: 1 },
  /** The budget guard rails (notify, control, circuit-break): the month's spend against the budget. */
  budget: { dashboardUid: 'headroom-gpu-waste-review', slug: 'gpu-waste-review', panelId: 6 },
} as const satisfies Record<string, RunbookPanel>;

/**
 * `/d/<uid>/<slug>?viewPanel=panel-<id>`: the dashboard with that one panel opened. Grafana 12's dashboards (scenes)
 * read `viewPanel` as a panel key, `panel-<id>` (DashboardSceneUrlSync.ts, getVizPanelKeyForPanelId in
 * dashboard-scene/utils/utils.ts). Relative to Grafana's root without `grafanaUrl`, which Grafana-managed rules
 * need (Grafana links it on its own pages); absolute with it, which Alertmanager's notifications need.
 */
export function runbookUrl(panel: RunbookPanel, grafanaUrl?: string): string {
  const path = `/d/${panel.dashboardUid}/${panel.slug}?viewPanel=panel-${panel.panelId}`;
  if (grafanaUrl === undefined) {
    return path;
  }
  let base: URL;
  try {
    base = new URL(grafanaUrl);
  } catch {
    throw new RangeError(`The Grafana URL "${grafanaUrl}" is not an absolute URL such as https://grafana.example.com.`);
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') {
    throw new RangeError(`The Grafana URL "${grafanaUrl}" must start with http:// or https://.`);
  }
  // Grafana served under a sub path (`root_url = https://example.com/grafana/`) keeps it.
  return `${base.origin}${base.pathname.replace(/\/+$/, '')}${path}`;
}

/**
 * The `runbook_url` line of an alert's annotations in a Prometheus rule file (YAML, at the annotations' indentation);
 * none without Grafana's URL: Alertmanager's notifications leave Grafana, where a relative path leads nowhere.
 */
export function runbookLine(panel: RunbookPanel, grafanaUrl: string | undefined): string[] {
  // JSON strings are valid YAML double-quoted scalars.
  return grafanaUrl === undefined
    ? []
    : [`          ${RUNBOOK_URL_ANNOTATION}: ${JSON.stringify(runbookUrl(panel, grafanaUrl))}`];
}
