/**
 * A local stand-in for the parts of Grafana 12.4's HTTP API that Headroom uses: the alerting provisioning API
 * (`/api/v1/provisioning/alert-rules`, rule groups), folders, data sources (by UID and the proxy), the caller's
 * permission list and the rules' alert states (`/api/prometheus/grafana/api/v1/rules`). It follows Grafana's code,
 * read in grafana/grafana (docs/grafana-compatibility.md lists the files, versions and what each rule here pins):
 * route authorization as api/authorization.go checks it, the provisioning service's per-folder checks
 * (provisioning/alert_rules.go, accesscontrol/rules.go), its validation (ruleModel.ts), provenance
 * (`X-Disable-Provenance`), an app's settings (`/api/plugins/<id>/settings`), and Grafana's status codes and error
 * bodies. The caller's role is a switch (`role`):
 * Viewer, Editor, Admin, or custom permissions.
 */
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  evalAll,
  evalAny,
  evalPermission,
  folderScope,
  handlerDenied,
  permissionsOf,
  Refusal,
  routeDenied,
  type Evaluator,
  type PermissionMap,
  type Role,
} from './permissions';
import {
  badRequest,
  bindGroup,
  bindRule,
  changesRule,
  dashboardAnnotationProblem,
  DEFAULT_GROUP_INTERVAL_SECONDS,
  errorBody,
  errutilBody,
  generateUid,
  intervalProblem,
  toApi,
  uidProblem,
  validateForStore,
  type ApiRule,
  type StoredRule,
} from './ruleModel';
import { formatDurationMs, parseDurationMs } from '../../src/alerting/promDuration';
import { PLUGIN_ID as HEADROOM_APP_ID } from '../../src/constants';

export type { Role } from './permissions';
export type { StoredRule } from './ruleModel';

type Json = Record<string, unknown>;

export interface GrafanaDoubleOptions {
  /** The service-account token accepted as `Authorization: Bearer <token>`; anything else is 401. */
  token: string;
  /**
   * The data sources Grafana has, by UID: the Prometheus base URL its proxy (`/api/datasources/proxy/uid/<uid>/`)
   * forwards to, or '' for one whose queries are not exercised.
   */
  datasources?: Record<string, string>;
  /**
   * The app plugins installed, by id: the jsonData saved on their configuration page, or null when none was saved.
   * Default: Headroom's app, with nothing saved.
   */
  apps?: Record<string, Record<string, unknown> | null>;
}

export interface DoubleFolder {
  uid: string;
  title: string;
  /** The double's caller created it through the API, and so administers it. */
  createdByCaller?: boolean;
  /** Its default permissions (Editors edit, Viewers view) were taken away. */
  restricted?: boolean;
}

/**
 * What Grafana's evaluator last found for a rule. A rule never evaluated is answered as Grafana's toRuleGroup
 * starts one: inactive, health "ok", last evaluation at the zero time.
 */
export interface DoubleRuleEvaluation {
  state: 'inactive' | 'pending' | 'firing' | 'recovering';
  health: 'ok' | 'error' | 'nodata';
  lastError?: string;
  /** ISO time; instances become `alerts` active since then. */
  activeAt?: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

/** Grafana's JSON for a time that was never set. */
const NEVER = '0001-01-01T00:00:00Z';
const ORG_ID = 1;
const GENERAL_FOLDER_SCOPE = 'folders:uid:general';
const DISABLE_PROVENANCE_HEADER = 'x-disable-provenance';
const EXPRESSION_DATASOURCES = ['__expr__', '-100'];

const P = evalPermission;
const RULE_READ = 'alert.rules:read';
const RULE_CREATE = 'alert.rules:create';
const RULE_WRITE = 'alert.rules:write';
const RULE_DELETE = 'alert.rules:delete';
const FOLDER_READ = 'folders:read';
const SET_PROVENANCE = 'alert.provisioning.provenance:write';
const PROVISIONING_WRITE = [P('alert.provisioning:write'), P('alert.rules.provisioning:write')];
const PROVISIONING_READ = [
  P('alert.provisioning:read'),
  P('alert.rules.provisioning:read'),
  P('alert.provisioning.secrets:read'),
];
/** provisioning/accesscontrol.go: these bypass the per-folder checks. */
const CAN_WRITE_ALL = evalAny(...PROVISIONING_WRITE);
const CAN_READ_ALL = evalAny(
  P('alert.provisioning:read'),
  P('alert.provisioning.secrets:read'),
  P('alert.rules.provisioning:read')
);

/** The rules a change touches, as store.CalculateChanges and friends compute it. */
interface GroupDelta {
  folderUid: string;
  group: string;
  /** The target group's rules before the change. */
  existingGroup: StoredRule[];
  newRules: ApiRule[];
  updates: Array<{ existing: StoredRule; updated: ApiRule }>;
  deletes: StoredRule[];
}

interface Answer {
  status: number;
  body?: unknown;
}

const conflict = (messageId: string, message: string) => new Refusal(409, errutilBody(409, messageId, message));

export class GrafanaDouble {
  readonly folders = new Map<string, DoubleFolder>();
  readonly rules = new Map<string, StoredRule>();
  /** Rule UID → its last evaluation, set by `evaluates`. */
  readonly evaluations = new Map<string, DoubleRuleEvaluation>();
  readonly requests: RecordedRequest[] = [];
  /** Who the token belongs to. An Editor is what Headroom's users usually are. */
  role: Role = 'Editor';
  url = '';
  private tokenExpired = false;
  private server: Server | undefined;
  private nextId = 1;

  constructor(private readonly options: GrafanaDoubleOptions) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** The caller's permissions, as `GET /api/access-control/user/permissions` answers them. */
  permissions(): PermissionMap {
    return permissionsOf(this.role, this.folders.values());
  }

  /** Each group's evaluation interval (`<folder uid>/<group>`), which Grafana keeps on every rule of the group. */
  get groupIntervals(): Map<string, number> {
    return new Map([...this.rules.values()].map((r) => [`${r.folderUID}/${r.ruleGroup}`, r.intervalSeconds]));
  }

  /** The token expires: Grafana answers 401 "Expired API key" from now on. */
  expireToken(): void {
    this.tokenExpired = true;
  }

  /**
   * Someone deletes the folder in the UI. Grafana's legacy folder service deleted its alert rules with it; the newest
   * folder API refuses while it holds rules ("folder is not empty"): `withRules` picks which (12.4 is uncertain).
   */
  deleteFolder(uid: string, { withRules = 'delete' }: { withRules?: 'delete' | 'refuse' } = {}): void {
    const inside = [...this.rules.values()].filter((rule) => rule.folderUID === uid);
    if (withRules === 'refuse' && inside.length > 0) {
      throw new Error(`folder is not empty, contains ${inside.length} alertrules`);
    }
    this.folders.delete(uid);
    inside.forEach((rule) => this.rules.delete(rule.uid));
  }

  /** A person edits a rule in the UI, which only works when the rule was written without provenance. */
  personEdits(uid: string, edit: (rule: StoredRule) => void): void {
    const rule = this.rules.get(uid);
    if (!rule || rule.provenance) {
      throw new Error(`rule ${uid} is ${rule ? 'provisioned and locked in the UI' : 'absent'}`);
    }
    edit(rule);
    // Grafana keeps durations as time.Duration: what it answers is the shortest spelling.
    rule.for = formatDurationMs(parseDurationMs(rule.for));
    rule.keep_firing_for = formatDurationMs(parseDurationMs(rule.keep_firing_for));
    rule.updated = new Date().toISOString();
  }

  /** A person creates a rule in the UI (or another tool writes one, with `provenance`). */
  personCreates(fields: {
    uid: string;
    folderUID: string;
    ruleGroup: string;
    title: string;
    [field: string]: unknown;
  }): void {
    const rule = fields as Partial<StoredRule> & typeof fields;
    const group = this.groupRules(rule.folderUID, rule.ruleGroup);
    this.rules.set(rule.uid, {
      orgID: ORG_ID,
      condition: 'C',
      data: [],
      noDataState: 'NoData',
      execErrState: 'Error',
      isPaused: false,
      notification_settings: null,
      record: null,
      intervalSeconds: group[0]?.intervalSeconds ?? DEFAULT_GROUP_INTERVAL_SECONDS,
      ruleGroupIndex: group.length,
      provenance: '',
      ...rule,
      id: this.nextId++,
      for: formatDurationMs(parseDurationMs(rule.for ?? '0s')),
      keep_firing_for: formatDurationMs(parseDurationMs(rule.keep_firing_for ?? '0s')),
      updated: new Date().toISOString(),
    });
  }

  /** Grafana's scheduler evaluates a rule and finds this. */
  evaluates(uid: string, evaluation: DoubleRuleEvaluation): void {
    if (!this.rules.has(uid)) {
      throw new Error(`rule ${uid} is absent`);
    }
    this.evaluations.set(uid, evaluation);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) {
      chunks.push(chunk as Buffer);
    }
    const text = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://double');
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // Kept as text; binding it answers "bad request data".
    }
    this.requests.push({ method: req.method ?? '', path: url.pathname, headers: req.headers, body: parsed });
    let answer: Answer;
    try {
      answer = await this.route(req.method ?? 'GET', url, req.headers, text, parsed);
    } catch (error) {
      if (!(error instanceof Refusal)) {
        throw error;
      }
      answer = { status: error.status, body: error.body };
    }
    res.writeHead(answer.status, { 'Content-Type': 'application/json' });
    res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
  }

  private async route(
    method: string,
    url: URL,
    headers: IncomingMessage['headers'],
    text: string,
    parsed: unknown
  ): Promise<Answer> {
    this.authenticate(headers.authorization);
    // web.Bind: no body, or one that is not JSON, is "bad request data".
    const body = () => {
      if (text === '' || (typeof parsed === 'string' && parsed === text)) {
        throw badRequest('bad request data');
      }
      return parsed;
    };
    // determineProvenance: the header's presence, whatever its value, means "none".
    const provenance = headers[DISABLE_PROVENANCE_HEADER] !== undefined ? '' : 'api';
    const path = url.pathname;
    let m: RegExpMatchArray | null;
    if (path === '/api/access-control/user/permissions' && method === 'GET') {
      return { status: 200, body: this.permissions() };
    }
    if ((m = path.match(/^\/api\/datasources\/uid\/([^/]+)$/)) && method === 'GET') {
      return this.getDataSource(decodeURIComponent(m[1]));
    }
    if ((m = path.match(/^\/api\/datasources\/proxy\/uid\/([^/]+)(\/.*)$/)) && method === 'GET') {
      return this.proxy(decodeURIComponent(m[1]), m[2], url.search);
    }
    if ((m = path.match(/^\/api\/plugins\/([^/]+)\/settings$/)) && method === 'GET') {
      return this.pluginSettings(decodeURIComponent(m[1]));
    }
    if (path === '/api/prometheus/grafana/api/v1/rules' && method === 'GET') {
      this.authorize(P(RULE_READ));
      return { status: 200, body: this.ruleStates(url.searchParams) };
    }
    if ((m = path.match(/^\/api\/folders\/([^/]+)$/)) && method === 'GET') {
      return this.getFolder(decodeURIComponent(m[1]));
    }
    if (path === '/api/folders' && method === 'POST') {
      return this.createFolder(body());
    }
    if (path === '/api/v1/provisioning/alert-rules' && method === 'GET') {
      this.authorize(evalAny(...PROVISIONING_READ, evalAll(P(RULE_READ), P(FOLDER_READ))));
      return { status: 200, body: this.readableRules().map(toApi) };
    }
    if (path === '/api/v1/provisioning/alert-rules' && method === 'POST') {
      // "more granular permissions are enforced by the handler via authorizeRuleChanges"
      this.authorize(evalAny(...PROVISIONING_WRITE, evalAll(P(RULE_CREATE), P(SET_PROVENANCE))));
      return this.createRule(bindRule(body()), provenance);
    }
    if ((m = path.match(/^\/api\/v1\/provisioning\/alert-rules\/([^/]+)$/))) {
      const uid = decodeURIComponent(m[1]);
      if (method === 'GET') {
        this.authorize(evalAny(...PROVISIONING_READ, evalAll(P(RULE_READ), P(FOLDER_READ))));
        return this.getRule(uid);
      }
      if (method === 'PUT') {
        this.authorize(evalAny(...PROVISIONING_WRITE, evalAll(P(RULE_WRITE), P(SET_PROVENANCE))));
        return this.updateRule(uid, bindRule(body()), provenance);
      }
      if (method === 'DELETE') {
        this.authorize(evalAny(...PROVISIONING_WRITE, evalAll(P(RULE_DELETE), P(SET_PROVENANCE))));
        return this.deleteRule(uid, provenance);
      }
    }
    if ((m = path.match(/^\/api\/v1\/provisioning\/folder\/([^/]+)\/rule-groups\/([^/]+)$/))) {
      const folderUid = decodeURIComponent(m[1]);
      const group = decodeURIComponent(m[2]);
      const scope = folderScope(folderUid);
      if (method === 'GET') {
        this.authorize(evalAny(...PROVISIONING_READ, evalAll(P(RULE_READ, scope), P(FOLDER_READ, scope))));
        return this.getGroup(folderUid, group);
      }
      if (method === 'PUT') {
        this.authorize(
          evalAny(
            ...PROVISIONING_WRITE,
            evalAll(
              P(RULE_READ, scope),
              P(FOLDER_READ, scope),
              P(SET_PROVENANCE),
              evalAny(P(RULE_WRITE, scope), P(RULE_CREATE, scope), P(RULE_DELETE, scope))
            )
          )
        );
        return this.replaceGroup(folderUid, group, bindGroup(body()), provenance);
      }
    }
    return { status: 404, body: { message: 'Not found' } };
  }

  /**
   * Grafana's authn: a request without credentials is `auth.unauthorized` "Unauthorized" (authnimpl
   * errCantAuthenticateReq, written by middleware notAuthorized); its API-key client answers an unknown token
   * "Invalid API key", an expired one "Expired API key".
   */
  private authenticate(authorization: string | undefined): void {
    if (authorization === undefined) {
      throw new Refusal(401, errutilBody(401, 'auth.unauthorized', 'Unauthorized'));
    }
    if (authorization !== `Bearer ${this.options.token}`) {
      throw new Refusal(401, errutilBody(401, 'api-key.invalid', 'Invalid API key'));
    }
    if (this.tokenExpired) {
      throw new Refusal(401, errutilBody(401, 'api-key.expired', 'Expired API key'));
    }
  }

  /**
   * GetPluginSettingByID (pkg/api/plugins.go): 404 for an id not installed, 403 "Access Denied" without
   * plugins.app:access on the app, else its settings with jsonData (null when none was saved) and only the names of
   * its secure fields, never their values. With nothing saved, enabled and pinned are the plugin's autoEnabled, which
   * Headroom's plugin.json does not set; saved settings here are of an app a person enabled.
   */
  private pluginSettings(id: string): Answer {
    const apps = this.options.apps ?? { [HEADROOM_APP_ID]: null };
    if (!(id in apps)) {
      return { status: 404, body: { message: 'Plugin not found, no installed plugin with that id' } };
    }
    if (!P('plugins.app:access', `plugins:id:${id}`).evaluate(this.permissions())) {
      return { status: 403, body: { message: 'Access Denied' } };
    }
    const saved = apps[id] !== null;
    return {
      status: 200,
      body: {
        type: 'app',
        id,
        enabled: saved,
        pinned: saved,
        autoEnabled: false,
        jsonData: apps[id],
        secureJsonFields: {},
      },
    };
  }

  private authorize(evaluator: Evaluator): void {
    if (!evaluator.evaluate(this.permissions())) {
      throw routeDenied(evaluator);
    }
  }

  /** The handler's own check (HasAccessOrError): refused with what the caller was not allowed to do. */
  private require(evaluator: Evaluator, what: string): void {
    if (!evaluator.evaluate(this.permissions())) {
      throw handlerDenied(what, evaluator);
    }
  }

  private canWriteAll = () => CAN_WRITE_ALL.evaluate(this.permissions());
  private canReadAll = () => CAN_READ_ALL.evaluate(this.permissions());

  /** getReadFolderAccessEvaluator for each folder the rules are in. */
  private readEvaluator(rules: ReadonlyArray<{ folderUID: string }>): Evaluator {
    const folders = [...new Set(rules.map((rule) => rule.folderUID))];
    return evalAll(...folders.map((uid) => evalAll(P(RULE_READ, folderScope(uid)), P(FOLDER_READ, folderScope(uid)))));
  }

  /** getRulesQueryEvaluator: `datasources:query` on every data source the rule queries. */
  private queryEvaluator(rule: ApiRule): Evaluator {
    const uids = [...new Set(rule.data.map((q) => q.datasourceUid))].filter(
      (uid) => !EXPRESSION_DATASOURCES.includes(uid)
    );
    const evaluators = uids.map((uid) => P('datasources:query', `datasources:uid:${uid}`));
    return evaluators.length === 1 ? evaluators[0] : evalAll(...evaluators);
  }

  /** accesscontrol/rules.go AuthorizeRuleChanges, for callers without alert.rules.provisioning:write. */
  private authorizeChanges(delta: GroupDelta): void {
    const { folderUid, group } = delta;
    const scope = folderScope(folderUid);
    if (delta.existingGroup.length > 0) {
      this.require(this.readEvaluator(delta.existingGroup), `access rule group '${group}' in folder '${folderUid}'`);
    }
    if (delta.deletes.length > 0) {
      this.require(P(RULE_DELETE, scope), `delete alert rules that belong to folder ${folderUid}`);
    }
    if (delta.newRules.length > 0) {
      this.require(P(RULE_CREATE, scope), `create alert rules in the folder ${folderUid}`);
      for (const rule of delta.newRules) {
        this.require(this.queryEvaluator(rule), `create a new alert rule '${rule.title}'`);
      }
      if (delta.existingGroup.length === 0) {
        // "Otherwise, it will not be able to read it back."
        this.require(this.readEvaluator(delta.newRules), `access rule group '${group}' in folder '${folderUid}'`);
      }
    }
    let updateAuthorized = false;
    for (const { existing, updated } of delta.updates) {
      const queryChanged =
        JSON.stringify([existing.condition, existing.data]) !== JSON.stringify([updated.condition, updated.data]);
      if (queryChanged) {
        this.require(
          this.queryEvaluator(updated),
          `update alert rule query '${existing.title}' (UID: ${existing.uid})`
        );
      }
      if (existing.folderUID !== folderUid) {
        this.require(
          P(RULE_DELETE, folderScope(existing.folderUID)),
          `move alert rules from folder ${existing.folderUID}`
        );
        this.require(P(RULE_CREATE, scope), `move alert rules to folder '${folderUid}'`);
      } else if (!updateAuthorized) {
        this.require(P(RULE_WRITE, scope), `update alert rules that belongs to folder '${folderUid}'`);
        updateAuthorized = true;
      }
    }
  }

  /** CalculateRuleCreate's delta, authorized: one new rule in its group. */
  private authorizeNewRule(rule: ApiRule, group: StoredRule[]): void {
    this.authorizeChanges({
      folderUid: rule.folderUID,
      group: rule.ruleGroup,
      existingGroup: group,
      newRules: [rule],
      updates: [],
      deletes: [],
    });
  }

  /** The rules of one group, in Grafana's order (rule_group_idx, then id). */
  private groupRules(folderUid: string, group: string): StoredRule[] {
    return [...this.rules.values()]
      .filter((rule) => rule.folderUID === folderUid && rule.ruleGroup === group)
      .sort((a, b) => a.ruleGroupIndex - b.ruleGroupIndex || a.id - b.id);
  }

  /** ensureNamespace: the folder must be named and exist (looked up as the caller). */
  private ensureNamespace(folderUid: string): void {
    if (folderUid === '') {
      throw badRequest('invalid alert rule: folderUID must be set');
    }
    if (!this.folders.has(folderUid)) {
      throw badRequest('invalid alert rule: folder does not exist');
    }
    if (!P(FOLDER_READ, folderScope(folderUid)).evaluate(this.permissions())) {
      // The folder service refuses the caller; the handler answers any error that is not a validation one with 500.
      throw new Refusal(500, errorBody('Internal Server Error'));
    }
  }

  /** Notification settings name a contact point; the double has none, so any is unknown to it. */
  private checkNotificationSettings(rule: ApiRule): void {
    if (rule.notification_settings !== null) {
      throw badRequest(`invalid alert rule\nreceiver '${String(rule.notification_settings.receiver)}' does not exist`);
    }
  }

  /** GET /alert-rules: everything for provisioning readers, else the groups whose folders the caller may read. */
  private readableRules(): StoredRule[] {
    const permissions = this.permissions();
    return [...this.rules.values()]
      .filter((rule) => this.canReadAll() || this.readEvaluator([rule]).evaluate(permissions))
      .sort(
        (a, b) =>
          a.folderUID.localeCompare(b.folderUID) ||
          a.ruleGroup.localeCompare(b.ruleGroup) ||
          a.ruleGroupIndex - b.ruleGroupIndex ||
          a.id - b.id
      );
  }

  private getRule(uid: string): Answer {
    const rule = this.rules.get(uid);
    if (!rule) {
      return { status: 404 };
    }
    if (!this.canReadAll()) {
      this.require(this.readEvaluator([rule]), `access rules in folder '${rule.folderUID}'`);
    }
    return { status: 200, body: toApi(rule) };
  }

  /** api_provisioning.go RoutePostAlertRule and AlertRuleService.CreateAlertRule. */
  private createRule(rule: ApiRule, provenance: string): Answer {
    rule.orgID = ORG_ID;
    if (rule.uid === '') {
      rule.uid = generateUid();
    } else {
      const problem = uidProblem(rule.uid);
      if (problem) {
        throw badRequest(`invalid alert rule\ncannot create rule with UID '${rule.uid}': ${problem}`);
      }
    }
    this.ensureNamespace(rule.folderUID);
    const group = this.groupRules(rule.folderUID, rule.ruleGroup);
    if (!this.canWriteAll()) {
      this.authorizeNewRule(rule, group);
    }
    const intervalSeconds = group[0]?.intervalSeconds ?? DEFAULT_GROUP_INTERVAL_SECONDS;
    const annotationProblem = dashboardAnnotationProblem(rule);
    if (annotationProblem) {
      throw badRequest(annotationProblem);
    }
    this.checkNotificationSettings(rule);
    const data = validateForStore(rule, intervalSeconds);
    if (this.rules.has(rule.uid)) {
      // The text wraps the database's own error (SQLite's here; Postgres and MySQL word it otherwise): Headroom's
      // clients look at the status only.
      throw conflict(
        'alerting.alert-rule.conflict',
        `Failed to save alert rule '${rule.uid}' in organization ${ORG_ID} due to conflict: UNIQUE constraint ` +
          'failed: alert_rule.org_id, alert_rule.uid'
      );
    }
    const created = { ...rule, id: this.nextId++, updated: new Date().toISOString() };
    // A single create leaves the rule's index in its group at 0.
    this.rules.set(rule.uid, { ...created, data, intervalSeconds, ruleGroupIndex: 0, provenance });
    return { status: 201, body: toApi({ ...created, provenance }) };
  }

  /** RoutePutAlertRule and AlertRuleService.UpdateAlertRule: the path's UID wins over the body's. */
  private updateRule(uid: string, rule: ApiRule, provenance: string): Answer {
    rule.orgID = ORG_ID;
    rule.uid = uid;
    this.ensureNamespace(rule.folderUID);
    const existing = this.rules.get(uid);
    if (!this.canWriteAll()) {
      const group = this.groupRules(rule.folderUID, rule.ruleGroup);
      if (!existing) {
        // CalculateRuleUpdate makes it a new rule, authorized as one, then refused as not found.
        this.authorizeNewRule(rule, group);
        return { status: 404 };
      }
      // PatchPartialAlertRule: a single update keeps the stored pause state and interval when comparing.
      const patched = { ...rule, isPaused: existing.isPaused, intervalSeconds: existing.intervalSeconds };
      const changed = changesRule(existing, patched);
      this.authorizeChanges({
        folderUid: rule.folderUID,
        group: rule.ruleGroup,
        existingGroup: group,
        newRules: [],
        updates: changed ? [{ existing, updated: rule }] : [],
        deletes: [],
      });
      if (!changed) {
        return { status: 200, body: toApi({ ...rule, provenance }) };
      }
    } else if (!existing) {
      return { status: 404 };
    }
    const stored = existing!;
    if (stored.provenance !== provenance && stored.provenance !== '') {
      // "cannot change provenance from 'api' to ''": a plain error, answered with 500.
      throw new Refusal(500, errorBody('Internal Server Error'));
    }
    this.checkNotificationSettings(rule);
    const annotationProblem = dashboardAnnotationProblem(rule);
    if (annotationProblem) {
      throw badRequest(annotationProblem);
    }
    const data = validateForStore(rule, stored.intervalSeconds);
    const updated = { ...rule, id: stored.id, updated: new Date().toISOString() };
    const sameGroup = stored.folderUID === rule.folderUID && stored.ruleGroup === rule.ruleGroup;
    this.rules.set(uid, {
      ...updated,
      data,
      intervalSeconds: stored.intervalSeconds,
      ruleGroupIndex: sameGroup ? stored.ruleGroupIndex : 0,
      provenance,
    });
    return { status: 200, body: toApi({ ...updated, provenance }) };
  }

  /** RouteDeleteAlertRule and AlertRuleService.DeleteAlertRule. */
  private deleteRule(uid: string, provenance: string): Answer {
    const stored = this.rules.get(uid);
    const storedProvenance = stored?.provenance ?? '';
    if (storedProvenance !== provenance && storedProvenance !== '') {
      throw conflict(
        'alerting.provenanceMismatch',
        `cannot delete with provided provenance '${provenance}', needs '${storedProvenance}'`
      );
    }
    if (!this.canWriteAll()) {
      if (!stored) {
        // CalculateRuleDelete: ErrAlertRuleNotFound, which the handler answers with 500.
        throw new Refusal(500, errorBody('Internal Server Error'));
      }
      this.authorizeChanges({
        folderUid: stored.folderUID,
        group: stored.ruleGroup,
        existingGroup: this.groupRules(stored.folderUID, stored.ruleGroup),
        newRules: [],
        updates: [],
        deletes: [stored],
      });
    }
    // "The single delete is idempotent."
    this.rules.delete(uid);
    this.evaluations.delete(uid);
    return { status: 204 };
  }

  /** RouteGetAlertRuleGroup: the group's rules without provenance, or errutil's 404. */
  private getGroup(folderUid: string, group: string): Answer {
    const rules = this.groupRules(folderUid, group);
    if (rules.length === 0) {
      throw new Refusal(404, errutilBody(404, 'alerting.alert-rule.notFound', 'Not found'));
    }
    if (!this.canReadAll()) {
      this.require(this.readEvaluator(rules), `access rule group '${group}' in folder '${folderUid}'`);
    }
    return {
      status: 200,
      body: {
        title: group,
        folderUid,
        interval: rules[0].intervalSeconds,
        rules: rules.map((rule) => toApi({ ...rule, provenance: '' })),
      },
    };
  }

  /**
   * RoutePutAlertRuleGroup and ReplaceRuleGroup: folder and group from the path; without `rules` (or with an empty
   * list) only the interval changes; with them, the group becomes exactly those rules. Answers with the body.
   */
  private replaceGroup(
    folderUid: string,
    group: string,
    bound: { interval: number; rules: ApiRule[] | null },
    provenance: string
  ): Answer {
    const echo = { title: group, folderUid, interval: bound.interval, rules: bound.rules?.map(toApi) ?? null };
    const interval = intervalProblem(bound.interval);
    if (interval) {
      throw badRequest(interval);
    }
    for (const rule of bound.rules ?? []) {
      const problem = rule.uid === '' ? undefined : uidProblem(rule.uid);
      if (problem) {
        throw badRequest(`invalid alert rule: cannot create rule with UID ${JSON.stringify(rule.uid)}: ${problem}`);
      }
    }
    const existingGroup = this.groupRules(folderUid, group);
    const submitted: ApiRule[] =
      bound.rules && bound.rules.length > 0 ? bound.rules : existingGroup.map((rule) => ({ ...rule }));
    // syncGroupRuleFields: the path and the body's interval win over each rule's own fields.
    const synced = submitted.map((rule, index) => ({
      ...rule,
      intervalSeconds: bound.interval,
      ruleGroup: group,
      folderUID: folderUid,
      orgID: ORG_ID,
      ruleGroupIndex: index,
    }));
    for (const rule of synced) {
      const problem = dashboardAnnotationProblem(rule);
      if (problem) {
        throw badRequest(problem);
      }
    }
    const matched = new Set<string>();
    const delta: GroupDelta = { folderUid, group, existingGroup, newRules: [], updates: [], deletes: [] };
    for (const rule of synced) {
      const existing = rule.uid === '' ? undefined : this.rules.get(rule.uid);
      if (existing) {
        matched.add(existing.uid);
        delta.updates.push({ existing, updated: rule });
      } else {
        delta.newRules.push(rule);
      }
    }
    // UpdateCalculatedRuleFields counts every rule left in the group as updated, changed or not: a group write with
    // rules in it is never empty, and gives them all its provenance.
    delta.deletes = existingGroup.filter((rule) => !matched.has(rule.uid));
    if (delta.newRules.length + delta.updates.length + delta.deletes.length === 0) {
      return { status: 200, body: echo };
    }
    if (!this.canWriteAll()) {
      this.authorizeChanges({
        ...delta,
        // Only changed rules are checked for query and move permissions; the rest need alert.rules:write.
        updates: delta.updates.map(({ existing, updated }) => ({
          existing,
          updated: changesRule(existing, updated) ? updated : existing,
        })),
      });
    }
    [...delta.newRules, ...delta.updates.map((u) => u.updated)].forEach((rule) => this.checkNotificationSettings(rule));
    // persistDelta: CanUpdateProvenanceInRuleGroup lets a group write take provenance "api" away.
    const canChange = (stored: string) =>
      stored === provenance || stored === '' || (provenance === '' && ['api', 'converted_prometheus'].includes(stored));
    for (const [rules, operation] of [
      [delta.deletes, 'delete'],
      [delta.updates.map((u) => u.existing), 'update'],
    ] as const) {
      const locked = rules.find((rule) => !canChange(rule.provenance));
      if (locked) {
        throw conflict(
          'alerting.provenanceMismatch',
          `cannot ${operation} with provided provenance '${provenance}', needs '${locked.provenance}'`
        );
      }
    }
    const now = new Date().toISOString();
    /** Validates as the store does; validation errors reach the client wrapped ("failed to update alert rules: …"). */
    const staged = (prefix: string, rules: Array<(typeof synced)[number]>, idOf: (uid: string) => number) =>
      rules.map((rule): StoredRule => {
        try {
          return {
            ...rule,
            id: idOf(rule.uid),
            updated: now,
            data: validateForStore(rule, bound.interval),
            provenance,
          };
        } catch (error) {
          const body = error instanceof Refusal ? error.body : undefined;
          if (error instanceof Refusal && error.status === 400 && body && !('messageId' in body)) {
            throw badRequest(`${prefix}: ${String(body.message)}`);
          }
          throw error;
        }
      });
    const updates = staged(
      'failed to update alert rules',
      delta.updates.map((u) => u.updated as (typeof synced)[number]),
      (uid) => this.rules.get(uid)!.id
    );
    const inserts = staged(
      'failed to insert alert rules',
      delta.newRules.map((rule) => ({
        ...(rule as (typeof synced)[number]),
        uid: rule.uid === '' ? generateUid() : rule.uid,
      })),
      () => this.nextId++
    );
    // One transaction: nothing is stored unless every rule is valid.
    delta.deletes.forEach((rule) => this.rules.delete(rule.uid));
    [...updates, ...inserts].forEach((rule) => this.rules.set(rule.uid, rule));
    return { status: 200, body: echo };
  }

  /** The rule-state endpoint (api_prometheus.go): only folders the caller may read; an unknown folder_uid means all. */
  private ruleStates(params: URLSearchParams): Json {
    const permissions = this.permissions();
    const visible = [...this.folders.values()].filter((folder) =>
      this.readEvaluator([{ folderUID: folder.uid }]).evaluate(permissions)
    );
    const asked = params.get('folder_uid') ?? '';
    const folders = visible.some((folder) => folder.uid === asked) ? visible.filter((f) => f.uid === asked) : visible;
    const groupNames = params.getAll('rule_group');
    const ruleUids = params.getAll('rule_uid');
    const groups = new Map<string, { name: string; file: string; folderUid: string; rules: StoredRule[] }>();
    for (const rule of this.rules.values()) {
      const folder = folders.find((f) => f.uid === rule.folderUID);
      if (
        !folder ||
        (groupNames.length > 0 && !groupNames.includes(rule.ruleGroup)) ||
        (ruleUids.length > 0 && !ruleUids.includes(rule.uid))
      ) {
        continue;
      }
      const key = `${folder.title}\0${rule.ruleGroup}`;
      if (!groups.has(key)) {
        groups.set(key, { name: rule.ruleGroup, file: folder.title, folderUid: folder.uid, rules: [] });
      }
      groups.get(key)!.rules.push(rule);
    }
    const totals: Record<string, number> = {};
    const answerGroups = [...groups.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, group]) => {
        const groupTotals: Record<string, number> = {};
        const rules = group.rules
          .sort((a, b) => a.ruleGroupIndex - b.ruleGroupIndex || a.id - b.id)
          .map((rule) => {
            const answer = this.ruleState(rule);
            for (const key of [answer.state as string, ...(answer.health === 'ok' ? [] : [answer.health as string])]) {
              groupTotals[key] = (groupTotals[key] ?? 0) + 1;
              totals[key] = (totals[key] ?? 0) + 1;
            }
            return answer;
          });
        return {
          name: group.name,
          file: group.file,
          folderUid: group.folderUid,
          rules,
          totals: groupTotals,
          interval: group.rules[0].intervalSeconds,
          lastEvaluation: NEVER,
          evaluationTime: 0,
        };
      });
    return { status: 'success', data: { groups: answerGroups, totals } };
  }

  /** One rule as toRuleGroup answers it; `alerts`, `activeAt` and `lastError` only when there is something to say. */
  private ruleState(rule: StoredRule): Json {
    const evaluation = this.evaluations.get(rule.uid);
    const { state, health, lastError, activeAt } = evaluation ?? { state: 'inactive', health: 'ok' };
    const instanceState = { firing: 'Alerting', pending: 'Pending', recovering: 'Recovering', inactive: 'Normal' }[
      state
    ];
    const answer: Json = {
      state,
      name: rule.title,
      query: rule.data
        .map((q) => (q.model as Json | undefined)?.expr)
        .filter((expr): expr is string => typeof expr === 'string')
        .join(' | '),
      queriedDatasourceUIDs: [...new Set(rule.data.map((q) => q.datasourceUid))].filter(
        (uid) => !EXPRESSION_DATASOURCES.includes(uid)
      ),
      annotations: rule.annotations ?? {},
      labels: rule.labels ?? {},
      uid: rule.uid,
      folderUid: rule.folderUID,
      health,
      type: 'alerting',
      isPaused: rule.isPaused,
      lastEvaluation: evaluation ? new Date().toISOString() : NEVER,
      evaluationTime: 0,
    };
    const forSeconds = parseDurationMs(rule.for) / 1000;
    if (forSeconds > 0) {
      answer.duration = forSeconds;
    }
    if (lastError) {
      answer.lastError = lastError;
    }
    if (activeAt) {
      answer.alerts = [{ labels: rule.labels ?? {}, annotations: {}, state: instanceState, activeAt, value: '' }];
      if (state === 'firing') {
        answer.activeAt = activeAt;
      }
    }
    return answer;
  }

  /** GET /api/folders/:uid through the folder API: 404 when missing, 403 when the caller may not read it. */
  private getFolder(uid: string): Answer {
    const folder = this.folders.get(uid);
    if (!folder) {
      return { status: 404, body: { message: `folders.folder.grafana.app "${uid}" not found` } };
    }
    if (!P(FOLDER_READ, folderScope(uid)).evaluate(this.permissions())) {
      return { status: 403, body: { message: 'Access denied to folder' } };
    }
    return { status: 200, body: this.folderDto(folder) };
  }

  /** POST /api/folders: a root folder; duplicate titles are allowed, duplicate UIDs are not. */
  private createFolder(body: unknown): Answer {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw badRequest('bad request data');
    }
    const { uid, title } = body as Json;
    if ((uid !== undefined && typeof uid !== 'string') || (title !== undefined && typeof title !== 'string')) {
      throw badRequest('bad request data');
    }
    if (!P('folders:create', GENERAL_FOLDER_SCOPE).evaluate(this.permissions())) {
      return { status: 403, body: { message: 'Access denied to folder' } };
    }
    const folderUid = uid ? uid : generateUid();
    if (['general', 'sharedwithme'].includes(folderUid) || !/^[a-zA-Z0-9\-_]*$/.test(folderUid)) {
      return { status: 400, body: errutilBody(400, 'folder.invalid-uid-chars', 'uid contains illegal characters') };
    }
    if (folderUid.length > 40) {
      return { status: 400, body: errutilBody(400, 'folder.uid-too-long', 'uid too long, max 40 characters') };
    }
    const trimmed = (title ?? '').trim();
    if (trimmed === '') {
      return { status: 400, body: { message: 'folder title cannot be empty' } };
    }
    if (trimmed.toLowerCase() === 'general') {
      return { status: 400, body: { message: 'a folder with that name already exists' } };
    }
    if (this.folders.has(folderUid)) {
      return { status: 409, body: { message: `folders.folder.grafana.app "${folderUid}" already exists` } };
    }
    const folder: DoubleFolder = { uid: folderUid, title: trimmed, createdByCaller: true };
    this.folders.set(folderUid, folder);
    return { status: 200, body: this.folderDto(folder) };
  }

  private folderDto(folder: DoubleFolder): Json {
    return { uid: folder.uid, title: folder.title, url: `/dashboards/f/${folder.uid}/`, parentUid: '', version: 1 };
  }

  /** GET /api/datasources/uid/:uid (`datasources:read` on it): 404 "Data source not found" when Grafana has none. */
  private getDataSource(uid: string): Answer {
    this.authorize(P('datasources:read', `datasources:uid:${uid}`));
    const url = this.options.datasources?.[uid];
    if (url === undefined) {
      return { status: 404, body: { message: 'Data source not found' } };
    }
    return {
      status: 200,
      body: { id: 1, uid, orgId: ORG_ID, name: uid, type: 'prometheus', access: 'proxy', url, isDefault: false },
    };
  }

  private async proxy(uid: string, path: string, search: string): Promise<Answer> {
    this.authorize(P('datasources:query', `datasources:uid:${uid}`));
    const target = this.options.datasources?.[uid];
    if (!target) {
      return { status: 404, body: { message: 'Data source not found' } };
    }
    const response = await fetch(`${target}${path}${search}`);
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }
}
