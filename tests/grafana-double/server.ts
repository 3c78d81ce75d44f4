/**
 * A local stand-in for Grafana's alerting provisioning HTTP API as documented for Grafana 12.x
 * (https://grafana.com/docs/grafana/latest/developers/http_api/alerting_provisioning/) plus the
 * folder API, the data source proxy, the caller's permission list and the rules' alert states (the
 * Prometheus-compatible `GET /api/prometheus/grafana/api/v1/rules`, shaped as Grafana's API definitions, prom.go,
 * and its own front end's types describe it for Grafana 11–12). It validates every request as strictly as the documentation
 * describes and answers in the documented shapes, errors as `{"message": ...}`. Where the
 * documentation is silent the status follows Grafana's source as remembered (409 for a UID or
 * title that already exists in the folder, 404 for a missing folder or rule, 400 for invalid rules);
 * real Grafana may word messages differently.
 */
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

type Json = Record<string, unknown>;

interface StoredRule extends Json {
  uid: string;
  folderUID: string;
  ruleGroup: string;
  title: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface GrafanaDoubleOptions {
  /** The service-account token accepted as `Authorization: Bearer <token>`; anything else is 401. */
  token: string;
  /** Data source UID → Prometheus base URL, served under `/api/datasources/proxy/uid/<uid>/`. */
  datasources?: Record<string, string>;
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

/** Grafana's JSON for a time that was never set. */
const NEVER = '0001-01-01T00:00:00Z';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

const UID = /^[a-zA-Z0-9\-_]{1,40}$/;
const GO_DURATION = /^(\d+(\.\d+)?(ms|h|m|s))+$/;
const NO_DATA_STATES = ['Alerting', 'NoData', 'OK', 'KeepLast'];
const EXEC_ERR_STATES = ['Alerting', 'Error', 'OK', 'KeepLast'];
/** Grafana's default `[unified_alerting] base_interval`. */
const BASE_INTERVAL_SECONDS = 10;
/** Interval Grafana gives a group created by POSTing its first rule. */
const DEFAULT_GROUP_INTERVAL_SECONDS = 60;
const MAX_TITLE_CHARS = 190;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string
  ) {
    super(message);
  }
}

const isStringMap = (x: unknown) =>
  x === undefined ||
  (typeof x === 'object' && x !== null && !Array.isArray(x) && Object.values(x).every((v) => typeof v === 'string'));

export class GrafanaDouble {
  readonly folders = new Map<string, { uid: string; title: string }>();
  readonly rules = new Map<string, StoredRule>();
  readonly groupIntervals = new Map<string, number>();
  /** Rule UID → its last evaluation, set by `evaluates`. */
  readonly evaluations = new Map<string, DoubleRuleEvaluation>();
  readonly requests: RecordedRequest[] = [];
  /** When set, every write (POST, PUT, DELETE) is answered with this status, as for a token without rights. */
  refuseWrites: 401 | 403 | undefined;
  /**
   * What `GET /api/access-control/user/permissions` answers (`{ action: [scopes] }`, Grafana's documented shape):
   * by default the alerting and folder permissions of the Editor basic role.
   */
  permissions: Record<string, string[]> = {
    'alert.provisioning:read': [''],
    'alert.provisioning:write': [''],
    'alert.rules:read': ['folders:*'],
    'alert.rules:write': ['folders:*'],
    'alert.rules:create': ['folders:*'],
    'alert.rules:delete': ['folders:*'],
    'folders:create': [''],
    'folders:read': ['folders:*'],
  };
  url = '';
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

  /** Someone deletes the folder in the UI: Grafana deletes the alert rules inside it too. */
  deleteFolder(uid: string): void {
    this.folders.delete(uid);
    for (const [ruleUid, rule] of this.rules) {
      if (rule.folderUID === uid) {
        this.rules.delete(ruleUid);
      }
    }
  }

  /** A person edits a rule in the UI, which only works when the rule was written without provenance. */
  personEdits(uid: string, edit: (rule: StoredRule) => void): void {
    const rule = this.rules.get(uid);
    if (!rule || rule.provenance) {
      throw new Error(`rule ${uid} is ${rule ? 'provisioned and locked in the UI' : 'absent'}`);
    }
    edit(rule);
    rule.updated = new Date().toISOString();
  }

  /** Grafana's scheduler evaluates a rule and finds this. */
  evaluates(uid: string, evaluation: DoubleRuleEvaluation): void {
    if (!this.rules.has(uid)) {
      throw new Error(`rule ${uid} is absent`);
    }
    this.evaluations.set(uid, evaluation);
  }

  /** The rules endpoint's answer: one group per folder and rule group, optionally only one folder's. */
  private ruleStates(folderUid: string | null): Json {
    const groups = new Map<string, { name: string; file: string; folderUid: string; rules: Json[] }>();
    for (const rule of this.rules.values()) {
      if (folderUid !== null && rule.folderUID !== folderUid) {
        continue;
      }
      const key = `${rule.folderUID}\0${rule.ruleGroup}`;
      const folder = this.folders.get(rule.folderUID);
      if (!groups.has(key)) {
        groups.set(key, {
          name: rule.ruleGroup,
          file: folder?.title ?? rule.folderUID,
          folderUid: rule.folderUID,
          rules: [],
        });
      }
      const evaluation = this.evaluations.get(rule.uid);
      const { state, health, lastError, activeAt } = evaluation ?? { state: 'inactive', health: 'ok' };
      const instanceState = { firing: 'Alerting', pending: 'Pending', recovering: 'Recovering', inactive: 'Normal' }[
        state
      ];
      groups.get(key)!.rules.push({
        uid: rule.uid,
        name: rule.title,
        folderUid: rule.folderUID,
        query: '',
        labels: rule.labels ?? {},
        annotations: rule.annotations ?? {},
        health,
        ...(lastError ? { lastError } : {}),
        type: 'alerting',
        state,
        ...(activeAt ? { activeAt } : {}),
        alerts: activeAt
          ? [{ labels: rule.labels ?? {}, annotations: {}, state: instanceState, activeAt, value: '' }]
          : [],
        lastEvaluation: evaluation ? new Date().toISOString() : NEVER,
        evaluationTime: 0,
      });
    }
    return {
      status: 'success',
      data: {
        groups: [...groups.values()].map((g) => ({
          ...g,
          interval: this.groupIntervals.get(`${g.folderUid}/${g.name}`) ?? DEFAULT_GROUP_INTERVAL_SECONDS,
          lastEvaluation: NEVER,
          evaluationTime: 0,
        })),
      },
    };
  }

  /** A person creates a rule in the UI. */
  personCreates(rule: StoredRule): void {
    this.rules.set(rule.uid, { ...rule, updated: new Date().toISOString() });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) {
      chunks.push(chunk as Buffer);
    }
    const text = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://double');
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
      this.requests.push({ method: req.method ?? '', path: url.pathname, headers: req.headers, body });
      const answer = await this.route(req.method ?? 'GET', url, req.headers, body);
      res.writeHead(answer.status, { 'Content-Type': 'application/json' });
      res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
    } catch (error) {
      const status = error instanceof HttpError ? error.status : error instanceof SyntaxError ? 400 : 500;
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ message: (error as Error).message, statusCode: status }));
    }
  }

  private async route(
    method: string,
    url: URL,
    headers: IncomingMessage['headers'],
    body: unknown
  ): Promise<{ status: number; body?: unknown }> {
    if (headers.authorization !== `Bearer ${this.options.token}`) {
      throw new HttpError(401, 'invalid API key');
    }
    if (method !== 'GET' && this.refuseWrites) {
      throw new HttpError(
        this.refuseWrites,
        this.refuseWrites === 401 ? 'token expired' : 'You do not have permission to perform this action'
      );
    }
    const path = url.pathname;
    const provenanceDisabled = headers['x-disable-provenance'] !== undefined;
    let m: RegExpMatchArray | null;
    if ((m = path.match(/^\/api\/datasources\/proxy\/uid\/([^/]+)(\/.*)$/)) && method === 'GET') {
      return this.proxy(m[1], m[2], url.search);
    }
    if (path === '/api/prometheus/grafana/api/v1/rules' && method === 'GET') {
      return { status: 200, body: this.ruleStates(url.searchParams.get('folder_uid')) };
    }
    if (path === '/api/access-control/user/permissions' && method === 'GET') {
      return { status: 200, body: this.permissions };
    }
    if ((m = path.match(/^\/api\/folders\/([^/]+)$/)) && method === 'GET') {
      const folder = this.folders.get(decodeURIComponent(m[1]));
      if (!folder) {
        throw new HttpError(404, 'folder not found');
      }
      return { status: 200, body: folder };
    }
    if (path === '/api/folders' && method === 'POST') {
      const { uid, title } = (body ?? {}) as Json;
      if (typeof title !== 'string' || title === '') {
        throw new HttpError(400, 'folder title cannot be empty');
      }
      if (uid !== undefined && (typeof uid !== 'string' || !UID.test(uid))) {
        throw new HttpError(400, 'uid contains illegal characters or is too long');
      }
      const folderUid = (uid as string | undefined) ?? `f${this.nextId++}`;
      if (this.folders.has(folderUid)) {
        throw new HttpError(409, 'a folder with the same uid already exists');
      }
      this.folders.set(folderUid, { uid: folderUid, title });
      return { status: 200, body: this.folders.get(folderUid) };
    }
    if (path === '/api/v1/provisioning/alert-rules' && method === 'GET') {
      return { status: 200, body: [...this.rules.values()] };
    }
    if (path === '/api/v1/provisioning/alert-rules' && method === 'POST') {
      const rule = this.validRule(body);
      if (this.rules.has(rule.uid)) {
        throw new HttpError(409, `an alert rule with uid ${rule.uid} already exists`);
      }
      this.checkTitleUnique(rule);
      this.store(rule, provenanceDisabled);
      const key = `${rule.folderUID}/${rule.ruleGroup}`;
      if (!this.groupIntervals.has(key)) {
        this.groupIntervals.set(key, DEFAULT_GROUP_INTERVAL_SECONDS);
      }
      return { status: 201, body: this.rules.get(rule.uid) };
    }
    if ((m = path.match(/^\/api\/v1\/provisioning\/alert-rules\/([^/]+)$/))) {
      const uid = decodeURIComponent(m[1]);
      const current = this.rules.get(uid);
      if (!current) {
        throw new HttpError(404, 'rule not found');
      }
      if (method === 'GET') {
        return { status: 200, body: current };
      }
      if (method === 'DELETE') {
        this.rules.delete(uid);
        return { status: 204 };
      }
      if (method === 'PUT') {
        const rule = this.validRule(body);
        if (rule.uid !== uid) {
          throw new HttpError(400, 'the uid in the body differs from the uid in the path');
        }
        this.checkTitleUnique(rule);
        this.store(rule, provenanceDisabled);
        return { status: 200, body: this.rules.get(uid) };
      }
    }
    if ((m = path.match(/^\/api\/v1\/provisioning\/folder\/([^/]+)\/rule-groups\/([^/]+)$/))) {
      const folderUid = decodeURIComponent(m[1]);
      const group = decodeURIComponent(m[2]);
      if (!this.folders.has(folderUid)) {
        throw new HttpError(404, 'folder not found');
      }
      if (method === 'GET') {
        const rules = [...this.rules.values()].filter((r) => r.folderUID === folderUid && r.ruleGroup === group);
        if (rules.length === 0) {
          throw new HttpError(404, 'rule group not found');
        }
        return {
          status: 200,
          body: { title: group, folderUid, interval: this.groupIntervals.get(`${folderUid}/${group}`), rules },
        };
      }
      if (method === 'PUT') {
        return this.putGroup(folderUid, group, body, provenanceDisabled);
      }
    }
    throw new HttpError(404, `not found: ${method} ${path}`);
  }

  private putGroup(folderUid: string, group: string, body: unknown, provenanceDisabled: boolean) {
    const { title, interval, rules } = (body ?? {}) as Json;
    if (title !== group) {
      throw new HttpError(400, 'the group title in the body differs from the path');
    }
    if (typeof interval !== 'number' || interval <= 0 || interval % BASE_INTERVAL_SECONDS !== 0) {
      throw new HttpError(
        400,
        `invalid interval: ${String(interval)}: interval must be a multiple of the base interval ${BASE_INTERVAL_SECONDS}s`
      );
    }
    if (!Array.isArray(rules)) {
      throw new HttpError(400, 'rules must be an array');
    }
    const valid = rules.map((r) => this.validRule({ ...(r as Json), folderUID: folderUid, ruleGroup: group }));
    const keep = new Set(valid.map((r) => r.uid));
    for (const [uid, rule] of this.rules) {
      if (rule.folderUID === folderUid && rule.ruleGroup === group && !keep.has(uid)) {
        this.rules.delete(uid);
      }
    }
    for (const rule of valid) {
      this.checkTitleUnique(rule);
      this.store(rule, provenanceDisabled);
    }
    this.groupIntervals.set(`${folderUid}/${group}`, interval);
    return { status: 200, body: { title: group, folderUid, interval, rules: valid.map((r) => this.rules.get(r.uid)) } };
  }

  private store(rule: StoredRule, provenanceDisabled: boolean): void {
    const stored: StoredRule = { ...rule, orgID: 1, updated: new Date().toISOString() };
    delete stored.provenance;
    if (!provenanceDisabled) {
      stored.provenance = 'api';
    }
    this.rules.set(rule.uid, stored);
  }

  private checkTitleUnique(rule: StoredRule): void {
    for (const other of this.rules.values()) {
      if (other.uid !== rule.uid && other.folderUID === rule.folderUID && other.title === rule.title) {
        throw new HttpError(
          409,
          `failed to save alert rule: a rule with title "${rule.title}" already exists in the folder`
        );
      }
    }
  }

  /** Validation of `ProvisionedAlertRule` as the API documents it; the first problem is reported. */
  private validRule(body: unknown): StoredRule {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new HttpError(400, 'bad request data: the body must be an alert rule object');
    }
    const r = body as Json;
    const fail = (message: string) => {
      throw new HttpError(400, `invalid alert rule: ${message}`);
    };
    if (r.uid === undefined || typeof r.uid !== 'string' || !UID.test(r.uid)) {
      fail('uid must be at most 40 letters, digits, "-" and "_"');
    }
    for (const field of ['folderUID', 'ruleGroup', 'title', 'condition'] as const) {
      if (typeof r[field] !== 'string' || r[field] === '') {
        fail(`${field} is required`);
      }
    }
    if ((r.title as string).length > MAX_TITLE_CHARS || (r.ruleGroup as string).length > MAX_TITLE_CHARS) {
      fail(`title and ruleGroup are at most ${MAX_TITLE_CHARS} characters`);
    }
    if (!this.folders.has(r.folderUID as string)) {
      throw new HttpError(404, `folder ${String(r.folderUID)} not found`);
    }
    if (!Array.isArray(r.data) || r.data.length === 0) {
      fail('data must be a non-empty array of queries');
    }
    const refIds = new Set<string>();
    for (const q of r.data as Json[]) {
      const range = q.relativeTimeRange as Json | undefined;
      if (
        typeof q.refId !== 'string' ||
        typeof q.datasourceUid !== 'string' ||
        typeof q.model !== 'object' ||
        q.model === null ||
        typeof range?.from !== 'number' ||
        typeof range?.to !== 'number'
      ) {
        fail('each query needs refId, datasourceUid, model and relativeTimeRange {from, to}');
      }
      refIds.add(q.refId as string);
    }
    if (!refIds.has(r.condition as string)) {
      fail(`condition ${String(r.condition)} is not the refId of a query`);
    }
    if (!NO_DATA_STATES.includes(r.noDataState as string) || !EXEC_ERR_STATES.includes(r.execErrState as string)) {
      fail('noDataState and execErrState are required and must be one of the documented states');
    }
    if (typeof r.for !== 'string' || !GO_DURATION.test(r.for)) {
      fail('for must be a duration such as 5m0s');
    }
    if (
      r.keep_firing_for !== undefined &&
      (typeof r.keep_firing_for !== 'string' || !GO_DURATION.test(r.keep_firing_for))
    ) {
      fail('keep_firing_for must be a duration such as 5m0s');
    }
    if (!isStringMap(r.labels) || !isStringMap(r.annotations)) {
      fail('labels and annotations must map strings to strings');
    }
    if (r.isPaused !== undefined && typeof r.isPaused !== 'boolean') {
      fail('isPaused must be a boolean');
    }
    return r as StoredRule;
  }

  private async proxy(uid: string, path: string, search: string): Promise<{ status: number; body?: unknown }> {
    const target = this.options.datasources?.[uid];
    if (!target) {
      throw new HttpError(404, 'Data source not found');
    }
    const response = await fetch(`${target}${path}${search}`);
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }
}
