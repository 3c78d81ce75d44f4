/**
 * Grafana's alerting provisioning HTTP API (Grafana 12.x) over a transport, and the sync that
 * writes Headroom's rules without overwriting or deleting what a person edited.
 */
import { HEADROOM_DATASOURCE_TYPE } from '../constants';
import { redactCredentials } from '../prometheus/redact';
import {
  editedSinceWritten,
  isHeadroomManaged,
  ruleDiff,
  sameOwnedFields,
  type AlertQuery,
  type ProvisionedAlertRule,
} from './grafanaRule';
import { parseRuleEvaluations, RULE_STATES_PATH, type RuleEvaluation } from './ruleStates';

export interface GrafanaHttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path under the Grafana URL, e.g. `/api/v1/provisioning/alert-rules`. */
  path: string;
  params?: Record<string, string>;
  headers?: Record<string, string>;
  body?: unknown;
  timeoutMs: number;
}

export interface GrafanaHttpResponse {
  status: number;
  /** Parsed JSON when the body was JSON, otherwise the raw text. */
  body: unknown;
  /** The URL that answered, without credentials, when the transport knows it (messages name it). */
  url?: string;
  /** Where a redirect (3xx) pointed, without credentials. */
  location?: string;
}

/**
 * Carries one request. In the CLI it is `fetch` with the service-account token; inside Grafana it can be
 * `getBackendSrv().fetch`, which adds the session. Resolves for every HTTP status.
 */
export type GrafanaTransport = (request: GrafanaHttpRequest) => Promise<GrafanaHttpResponse>;

export interface GrafanaFolder {
  uid: string;
  title: string;
}

export interface GrafanaRuleGroup {
  title: string;
  folderUid: string;
  /** Evaluation interval in seconds; Grafana requires a multiple of its base interval (10 s). */
  interval: number;
  rules: ProvisionedAlertRule[];
}

/** The part of Grafana's data source answer (`GET /api/datasources/uid/<uid>`) Headroom reads. */
export interface GrafanaDataSource {
  uid: string;
  name: string;
  type: string;
}

/**
 * A non-2xx answer from Grafana; `grafanaMessage` is Grafana's own `message`, quoted in the text. Both are redacted:
 * a proxy in front of Grafana may echo the request's headers into its answer.
 */
export class GrafanaApiError extends Error {
  readonly grafanaMessage: string;
  constructor(
    readonly status: number,
    readonly action: string,
    grafanaMessage: string,
    advice: string
  ) {
    const quoted = redactCredentials(grafanaMessage);
    super(redactCredentials(`${action}: Grafana answered ${status}${quoted ? ` "${quoted}"` : ''}. ${advice}`));
    this.grafanaMessage = quoted;
    this.name = new.target.name;
  }
}
export class GrafanaUnauthorizedError extends GrafanaApiError {}
export class GrafanaForbiddenError extends GrafanaApiError {}
export class GrafanaNotFoundError extends GrafanaApiError {}
export class GrafanaConflictError extends GrafanaApiError {}
export class GrafanaValidationError extends GrafanaApiError {}
/** A rule another tool provisioned (provenance other than none): Grafana refuses Headroom's writes to it. */
export class GrafanaProvisionedRuleError extends GrafanaApiError {}
/** A rule names a data source Grafana does not have: nothing was written. */
export class GrafanaDataSourceMissingError extends GrafanaApiError {}

const UNEXPECTED_ADVICE =
  "Check that the URL is Grafana's own address (with the sub-path Grafana is served under, if any) and that " +
  'nothing in front of Grafana (a sign-in or SSO proxy) takes API requests carrying a token for a browser visit.';

/**
 * Grafana's address answered, but not as Grafana's API does: a sign-in page, a redirect, a proxy's text, or JSON of
 * another shape. The message names the URL (without credentials) and the status.
 */
export class GrafanaUnexpectedAnswerError extends GrafanaApiError {
  constructor(
    status: number,
    action: string,
    readonly url: string,
    answer: string
  ) {
    super(status, action, '', UNEXPECTED_ADVICE);
    this.message = redactCredentials(
      `${action}: ${url} answered ${status} with ${answer}, not Grafana's API. ${UNEXPECTED_ADVICE}`
    );
  }
}

/** What a call expects in a 2xx answer; a call without one accepts an empty body or any JSON. */
interface Expected {
  what: string;
  check(body: unknown): boolean;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const hasUid = (value: unknown) => isRecord(value) && typeof value.uid === 'string';

const EXPECT = {
  rules: { what: 'a list of alert rules', check: (body) => Array.isArray(body) && body.every(hasUid) },
  rule: { what: 'an alert rule', check: hasUid },
  folder: { what: 'a folder', check: hasUid },
  group: { what: 'a rule group', check: (body) => isRecord(body) && typeof body.interval === 'number' },
  dataSource: { what: 'a data source', check: hasUid },
  pluginSettings: {
    what: "a plugin's settings",
    check: (body) =>
      isRecord(body) && typeof body.id === 'string' && (body.jsonData == null || isRecord(body.jsonData)),
  },
  ruleStates: {
    what: 'rule states ({status: "success", data: {groups}})',
    check: (body) => isRecord(body) && isRecord(body.data) && Array.isArray(body.data.groups),
  },
} satisfies Record<string, Expected>;

const EXCERPT_CHARS = 120;

function excerpt(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > EXCERPT_CHARS ? `${oneLine.slice(0, EXCERPT_CHARS)}…` : oneLine;
}

/** What an answer holds, in words, when it is not what the call expects; undefined when it is. */
function unexpectedAnswer(response: GrafanaHttpResponse, expected: Expected | undefined): string | undefined {
  const { status, body } = response;
  if (status >= 300 && status < 400) {
    return `a redirect to ${response.location ?? 'an unnamed place'}`;
  }
  if (typeof body === 'string' && body.trim() !== '') {
    return /<(!doctype|html|head|body)\b/i.test(body)
      ? 'an HTML page (a sign-in page, or an error page of something in front of Grafana)'
      : `text "${excerpt(body)}"`;
  }
  if (status >= 200 && status < 300 && expected && !expected.check(body)) {
    return body === '' || body === undefined
      ? `an empty answer where ${expected.what} was expected`
      : `JSON that is not ${expected.what} (${excerpt(JSON.stringify(body) ?? String(body))})`;
  }
  return undefined;
}

const ADVICE: Record<number, [typeof GrafanaApiError, string]> = {
  401: [
    GrafanaUnauthorizedError,
    'The token was refused: check HEADROOM_GRAFANA_TOKEN holds a valid, unexpired service-account token.',
  ],
  403: [
    GrafanaForbiddenError,
    'The service account may not do this: give it the Editor role (alert.rules:create, alert.rules:write, ' +
      'alert.rules:delete and alert.provisioning.provenance:write, and folders:create for a new folder), or a role ' +
      'with alert.rules.provisioning:write.',
  ],
  404: [GrafanaNotFoundError, 'It does not exist (any more): someone may have deleted it; run again to recreate it.'],
  409: [
    GrafanaConflictError,
    'Grafana holds a conflicting copy: a rule with this UID exists already, the rule is provisioned by another tool ' +
      '(written without X-Disable-Provenance: change it there), or someone changed it at the same moment (run again).',
  ],
  400: [GrafanaValidationError, 'Grafana rejected the request as invalid.'],
  422: [GrafanaValidationError, 'Grafana rejected the request as invalid.'],
  500: [GrafanaApiError, "Grafana failed to carry it out; Grafana's server log has the reason."],
};

/** Header that leaves written rules editable in Grafana's UI (otherwise they are locked as "Provisioned"). */
export const DISABLE_PROVENANCE = { 'X-Disable-Provenance': 'true' };
const DEFAULT_TIMEOUT_MS = 30_000;
const RULES_PATH = '/api/v1/provisioning/alert-rules';
/** Grafana's server-side expressions: the data source UIDs its expression engine answers to (expr.DatasourceUID and the old -100). */
const EXPRESSION_DATASOURCES = new Set(['__expr__', '-100']);
/** Grafana's answer to a rule write into a folder that does not exist (provisioning/alert_rules.go, ensureNamespace). */
const FOLDER_MISSING = /folder does not exist/;
/** Fields Grafana fills in itself; a rule posted again without them is created as it was. */
const SERVER_FIELDS = ['id', 'orgID', 'updated', 'provenance'] as const;

const enc = encodeURIComponent;

export interface GrafanaProvisioningClient {
  getFolder(uid: string): Promise<GrafanaFolder | undefined>;
  /** The folder, created with this title when missing; `created` says whether this call created it. */
  ensureFolder(uid: string, title: string): Promise<{ folder: GrafanaFolder; created: boolean }>;
  listRules(): Promise<ProvisionedAlertRule[]>;
  getRule(uid: string): Promise<ProvisionedAlertRule | undefined>;
  createRule(rule: ProvisionedAlertRule): Promise<ProvisionedAlertRule>;
  updateRule(rule: ProvisionedAlertRule): Promise<ProvisionedAlertRule>;
  /** Deletes the rule; a rule that is gone already is not an error. */
  deleteRule(uid: string): Promise<void>;
  getRuleGroup(folderUid: string, group: string): Promise<GrafanaRuleGroup | undefined>;
  /** Sets a group's evaluation interval, leaving its rules (a person's included) as they are. */
  setRuleGroupInterval(folderUid: string, group: string, intervalSeconds: number): Promise<void>;
  /** The data source with this UID; undefined when Grafana has none. */
  getDataSource(uid: string): Promise<GrafanaDataSource | undefined>;
  /** What Grafana's evaluator says about the folder's rules now, by rule UID (not a provisioning call). */
  ruleEvaluations(folderUid: string): Promise<Map<string, RuleEvaluation>>;
  /**
   * An app plugin's saved `jsonData` as its pages read it (`GET /api/plugins/<id>/settings`), `{}` when none was
   * saved. Never its secureJsonData, which Grafana does not return either. `otherwise` ends a 403's or 404's advice:
   * what the caller can do without them.
   */
  appJsonData(appId: string, otherwise?: string): Promise<Record<string, unknown>>;
}

export function createGrafanaProvisioningClient(
  transport: GrafanaTransport,
  timeoutMs = DEFAULT_TIMEOUT_MS
): GrafanaProvisioningClient {
  async function send(
    action: string,
    request: Omit<GrafanaHttpRequest, 'timeoutMs'>,
    expected?: Expected
  ): Promise<unknown> {
    const response = await transport({ ...request, timeoutMs });
    const unexpected = unexpectedAnswer(response, expected);
    if (unexpected !== undefined) {
      throw new GrafanaUnexpectedAnswerError(response.status, action, response.url ?? request.path, unexpected);
    }
    if (response.status >= 200 && response.status < 300) {
      return response.body;
    }
    const body = response.body as { message?: unknown; extra?: { permissions?: unknown } } | string | undefined;
    let message = typeof body === 'object' && body !== null && typeof body.message === 'string' ? body.message : '';
    // Alerting's handler names the permission it found missing (accesscontrol/models.go); its message does not.
    const permissions = typeof body === 'object' && body !== null ? body.extra?.permissions : undefined;
    if (typeof permissions === 'string' && permissions !== '') {
      message += ` (needs ${permissions})`;
    }
    const [ErrorClass, advice] = ADVICE[response.status] ?? [GrafanaApiError, 'Unexpected answer.'];
    throw new ErrorClass(response.status, action, message, advice);
  }
  /** GET that gives undefined for 404, because "absent" is an ordinary answer when reading. */
  async function getOptional<T>(action: string, path: string, expected: Expected): Promise<T | undefined> {
    try {
      return (await send(action, { method: 'GET', path }, expected)) as T;
    } catch (error) {
      if (error instanceof GrafanaNotFoundError) {
        return undefined;
      }
      throw error;
    }
  }
  const client: GrafanaProvisioningClient = {
    getFolder: (uid) => getOptional(`Reading folder ${uid}`, `/api/folders/${enc(uid)}`, EXPECT.folder),
    async ensureFolder(uid, title) {
      const existing = await client.getFolder(uid);
      if (existing) {
        return { folder: existing, created: false };
      }
      const action = `Creating folder "${title}"`;
      try {
        return {
          folder: (await send(
            action,
            { method: 'POST', path: '/api/folders', body: { uid, title } },
            EXPECT.folder
          )) as GrafanaFolder,
          created: true,
        };
      } catch (error) {
        // Someone created it since the read: Grafana answers 409 (or 412 from its older folder code).
        const taken = error instanceof GrafanaApiError && (error.status === 409 || error.status === 412);
        const now = taken ? await client.getFolder(uid) : undefined;
        if (now) {
          return { folder: now, created: false };
        }
        throw error;
      }
    },
    listRules: async () =>
      (await send('Listing alert rules', { method: 'GET', path: RULES_PATH }, EXPECT.rules)) as ProvisionedAlertRule[],
    getRule: (uid) => getOptional(`Reading alert rule ${uid}`, `${RULES_PATH}/${enc(uid)}`, EXPECT.rule),
    createRule: async (rule) =>
      (await send(
        `Creating alert rule ${rule.uid} "${rule.title}"`,
        {
          method: 'POST',
          path: RULES_PATH,
          headers: DISABLE_PROVENANCE,
          body: rule,
        },
        EXPECT.rule
      )) as ProvisionedAlertRule,
    async updateRule(rule) {
      const action = `Updating alert rule ${rule.uid} "${rule.title}"`;
      try {
        return (await send(
          action,
          {
            method: 'PUT',
            path: `${RULES_PATH}/${enc(rule.uid)}`,
            headers: DISABLE_PROVENANCE,
            body: rule,
          },
          EXPECT.rule
        )) as ProvisionedAlertRule;
      } catch (error) {
        // Grafana refuses to take a provisioned rule's provenance away with a bare 500 (UpdateAlertRule).
        const stored =
          error instanceof GrafanaApiError && error.status === 500 ? await client.getRule(rule.uid) : undefined;
        if (error instanceof GrafanaApiError && stored?.provenance) {
          throw new GrafanaProvisionedRuleError(
            error.status,
            action,
            error.grafanaMessage,
            `The rule is provisioned (provenance "${stored.provenance}": written by another tool without ` +
              'X-Disable-Provenance), and Grafana keeps it for that tool. Change it there, or delete it there and run again.'
          );
        }
        throw error;
      }
    },
    async deleteRule(uid) {
      try {
        await send(`Deleting alert rule ${uid}`, {
          method: 'DELETE',
          path: `${RULES_PATH}/${enc(uid)}`,
          headers: DISABLE_PROVENANCE,
        });
      } catch (error) {
        // Grafana answers 500 when a caller without alert.rules.provisioning:write deletes a rule that is gone.
        if (error instanceof GrafanaApiError && error.status === 500 && !(await client.getRule(uid))) {
          return;
        }
        throw error;
      }
    },
    getRuleGroup: (folderUid, group) =>
      getOptional(
        `Reading rule group ${group}`,
        `/api/v1/provisioning/folder/${enc(folderUid)}/rule-groups/${enc(group)}`,
        EXPECT.group
      ),
    async setRuleGroupInterval(folderUid, group, intervalSeconds) {
      // Without `rules`, Grafana changes the interval only (provisioning/alert_rules.go, calcDelta).
      await send(`Setting the interval of rule group ${group}`, {
        method: 'PUT',
        path: `/api/v1/provisioning/folder/${enc(folderUid)}/rule-groups/${enc(group)}`,
        headers: DISABLE_PROVENANCE,
        body: { title: group, folderUid, interval: intervalSeconds },
      });
    },
    getDataSource: (uid) =>
      getOptional(`Checking data source ${uid}`, `/api/datasources/uid/${enc(uid)}`, EXPECT.dataSource),
    ruleEvaluations: async (folderUid) =>
      parseRuleEvaluations(
        await send(
          "Reading the rules' alert states",
          {
            method: 'GET',
            path: RULE_STATES_PATH,
            params: { folder_uid: folderUid },
          },
          EXPECT.ruleStates
        ),
        folderUid
      ),
    async appJsonData(appId, otherwise = '') {
      const action = `Reading the settings of app ${appId}`;
      try {
        const settings = (await send(
          action,
          { method: 'GET', path: `/api/plugins/${enc(appId)}/settings` },
          EXPECT.pluginSettings
        )) as { jsonData?: Record<string, unknown> | null };
        return settings.jsonData ?? {};
      } catch (error) {
        // The generic advice is about alert rules; these two have causes of their own (pkg/api/plugins.go).
        if (error instanceof GrafanaForbiddenError) {
          throw new GrafanaForbiddenError(
            error.status,
            action,
            error.grafanaMessage,
            `The service account may not open the app: it needs plugins.app:access on plugins:id:${appId} ` +
              `(Grafana's Viewer role has it). ${otherwise}`.trim()
          );
        }
        if (error instanceof GrafanaNotFoundError) {
          throw new GrafanaNotFoundError(
            error.status,
            action,
            error.grafanaMessage,
            `This Grafana has no app ${appId} installed: check --grafana-url. ${otherwise}`.trim()
          );
        }
        throw error;
      }
    },
  };
  return client;
}

export type SyncActionKind = 'create' | 'update' | 'unchanged' | 'delete';

export interface SyncAction {
  kind: SyncActionKind;
  uid: string;
  title: string;
  /** The rule to write (create, update); absent for delete. */
  desired?: ProvisionedAlertRule;
  /** The rule as Grafana has it (update, unchanged, delete). */
  existing?: ProvisionedAlertRule;
  /** A person changed fields Headroom owns since Headroom wrote the rule: written only when confirmed. */
  editedByPerson: boolean;
  /** `field: before → after` lines; for an edited rule, what the write would undo. */
  diff: string[];
}

export interface SyncPlan {
  actions: SyncAction[];
}

/**
 * Compares the rules Headroom wants with the rules it may touch in its folder(s) (`existing`). Headroom-managed rules
 * that are no longer wanted are deleted; rules that are not Headroom's are never changed. Titles need not be unique:
 * Grafana 12 dropped that constraint (grafana/grafana#102067).
 */
export function planSync(
  desired: readonly ProvisionedAlertRule[],
  existing: readonly ProvisionedAlertRule[]
): SyncPlan {
  const existingByUid = new Map(existing.map((rule) => [rule.uid, rule]));
  const desiredUids = new Set(desired.map((rule) => rule.uid));
  const actions: SyncAction[] = [];
  for (const rule of desired) {
    const current = existingByUid.get(rule.uid);
    if (!current) {
      actions.push({
        kind: 'create',
        uid: rule.uid,
        title: rule.title,
        desired: rule,
        editedByPerson: false,
        diff: [],
      });
      continue;
    }
    // A fingerprint and a diff only for a rule that changed.
    const same = sameOwnedFields(current, rule);
    actions.push({
      kind: same ? 'unchanged' : 'update',
      uid: rule.uid,
      title: rule.title,
      desired: same ? undefined : rule,
      existing: current,
      editedByPerson: !same && editedSinceWritten(current),
      diff: same ? [] : ruleDiff(current, rule),
    });
  }
  for (const rule of existing.filter((r) => isHeadroomManaged(r) && !desiredUids.has(r.uid))) {
    actions.push({
      kind: 'delete',
      uid: rule.uid,
      title: rule.title,
      existing: rule,
      editedByPerson: editedSinceWritten(rule),
      diff: [],
    });
  }
  return { actions };
}

export interface ApplyOptions {
  /** UIDs of edited rules a person agreed to overwrite or delete. */
  confirmEdited?: readonly string[];
  /** Report what would happen, write nothing. */
  dryRun?: boolean;
  /** Folder to create when missing (Headroom owns it). */
  folder: GrafanaFolder;
  /** Evaluation interval of Headroom's rule groups, seconds (a multiple of 10). */
  groupIntervalSeconds: number;
  /**
   * Check first that the data sources the rules query exist (default true). Grafana saves a rule that names a missing
   * data source and fails it at every evaluation; a caller that has just queried the data source may skip this.
   */
  checkDataSources?: boolean;
}

export interface ApplyResult {
  /** Actions carried out (or, in a dry run, that would be). */
  applied: SyncAction[];
  /** Edited rules left alone because their UID was not confirmed. */
  awaitingConfirmation: SyncAction[];
  /**
   * Someone deleted the folder after the plan was made (Grafana deleted its rules with it): Headroom recreated it and
   * restored this many of its rules (those already written as written, the others as they were).
   */
  folderRecreated?: { restoredRules: number };
}

const withoutServerFields = (rule: ProvisionedAlertRule): ProvisionedAlertRule => {
  const copy: Partial<ProvisionedAlertRule> = { ...rule };
  for (const field of SERVER_FIELDS) {
    delete copy[field];
  }
  return copy as ProvisionedAlertRule;
};

const isFolderMissing = (error: unknown) =>
  error instanceof GrafanaValidationError && FOLDER_MISSING.test(error.grafanaMessage);

function dataSourceKind(query: AlertQuery): string {
  const model = query.model.datasource as { type?: unknown } | undefined;
  return model?.type === HEADROOM_DATASOURCE_TYPE ? 'Headroom' : 'Prometheus';
}

/** Refuses before writing anything when a rule queries a data source Grafana does not have. */
async function checkDataSources(client: GrafanaProvisioningClient, actions: readonly SyncAction[]): Promise<void> {
  // Which data source each UID names, for the message: a Headroom query carries its type in the model (as Grafana's
  // rule editor saves it); anything else is the PromQL templates' Prometheus.
  const kinds = new Map(
    actions
      .flatMap((action) => action.desired?.data ?? [])
      .filter((query) => !EXPRESSION_DATASOURCES.has(query.datasourceUid))
      .map((query) => [query.datasourceUid, dataSourceKind(query)] as const)
  );
  for (const [uid, kind] of kinds) {
    let dataSource: GrafanaDataSource | undefined;
    try {
      dataSource = await client.getDataSource(uid);
    } catch (error) {
      // Enterprise data source permissions may hide it from this caller: Grafana decides at write time then.
      if (error instanceof GrafanaForbiddenError) {
        continue;
      }
      throw error;
    }
    if (!dataSource) {
      throw new GrafanaDataSourceMissingError(
        404,
        `Checking data source ${uid}`,
        'Data source not found',
        `The rules query data source ${uid}, which this Grafana does not have: Grafana would save them and fail every ` +
          `evaluation. Give the UID of an existing ${kind} data source (Grafana: Connections → Data sources). ` +
          'Nothing was written.'
      );
    }
  }
}

/**
 * Carries out a plan: checks the data sources, creates the folder if someone deleted it, deletes, updates and creates
 * rules one by one (never replacing a whole group, which would drop rules a person added to it), then sets each
 * touched group's interval. An edited rule is written or deleted only when its UID is confirmed. When the folder
 * vanishes during the write, it is recreated and the rules it held are restored, so nothing is lost.
 */
export async function applySync(
  client: GrafanaProvisioningClient,
  plan: SyncPlan,
  options: ApplyOptions
): Promise<ApplyResult> {
  const confirmed = new Set(options.confirmEdited ?? []);
  const pending = plan.actions.filter((a) => a.kind !== 'unchanged');
  const awaitingConfirmation = pending.filter((a) => a.editedByPerson && !confirmed.has(a.uid));
  const applied = pending.filter((a) => !awaitingConfirmation.includes(a));
  const result: ApplyResult = { applied, awaitingConfirmation };
  if (options.dryRun || applied.length === 0) {
    return result;
  }
  if (options.checkDataSources !== false) {
    await checkDataSources(client, applied);
  }
  const { uid: folderUid, title: folderTitle } = options.folder;
  const done = new Set<SyncAction>();

  /** Puts back the folder's rules Grafana deleted with it: written ones as written, the others as they were. */
  async function restoreFolder(): Promise<void> {
    let restoredRules = 0;
    // Rules being deleted stay deleted; an edited rule whose deletion awaits confirmation is kept.
    for (const action of plan.actions.filter((a) => a.kind !== 'delete' || awaitingConfirmation.includes(a))) {
      const rule = done.has(action) ? action.desired : action.existing;
      if (rule?.folderUID === folderUid && !(await client.getRule(action.uid))) {
        await client.createRule(withoutServerFields(rule));
        restoredRules++;
      }
    }
    result.folderRecreated = { restoredRules: (result.folderRecreated?.restoredRules ?? 0) + restoredRules };
  }
  async function ensureFolder(): Promise<void> {
    if ((await client.ensureFolder(folderUid, folderTitle)).created && plan.actions.some((a) => a.existing)) {
      await restoreFolder();
    }
  }
  async function perform(action: SyncAction): Promise<void> {
    if (action.kind === 'delete') {
      await client.deleteRule(action.uid);
    } else if (action.kind === 'update') {
      await client.updateRule(action.desired!);
    } else {
      await client.createRule(action.desired!);
    }
  }

  await ensureFolder();
  for (const kind of ['delete', 'update', 'create'] as const) {
    for (const action of applied.filter((a) => a.kind === kind)) {
      try {
        await perform(action);
      } catch (error) {
        if (!isFolderMissing(error) || action.desired?.folderUID !== folderUid) {
          throw error;
        }
        await ensureFolder();
        await perform(action);
      }
      done.add(action);
    }
  }
  const groups = new Map(
    applied.filter((a) => a.desired).map((a) => [`${a.desired!.folderUID}/${a.desired!.ruleGroup}`, a.desired!])
  );
  for (const rule of groups.values()) {
    const group = await client.getRuleGroup(rule.folderUID, rule.ruleGroup);
    if (group && group.interval !== options.groupIntervalSeconds) {
      await client.setRuleGroupInterval(rule.folderUID, rule.ruleGroup, options.groupIntervalSeconds);
    }
  }
  return result;
}
