/**
 * Grafana's alerting provisioning HTTP API (Grafana 12.x) over a transport, and the sync that
 * writes Headroom's rules without overwriting or deleting what a person edited.
 */
import { editedSinceWritten, isHeadroomManaged, ProvisionedAlertRule, ruleDiff, sameOwnedFields } from './grafanaRule';
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

/** A non-2xx answer from Grafana; `grafanaMessage` is Grafana's own `message`, quoted in the text. */
export class GrafanaApiError extends Error {
  constructor(
    readonly status: number,
    readonly action: string,
    readonly grafanaMessage: string,
    advice: string
  ) {
    super(`${action}: Grafana answered ${status}${grafanaMessage ? ` "${grafanaMessage}"` : ''}. ${advice}`);
    this.name = new.target.name;
  }
}
export class GrafanaUnauthorizedError extends GrafanaApiError {}
export class GrafanaForbiddenError extends GrafanaApiError {}
export class GrafanaNotFoundError extends GrafanaApiError {}
export class GrafanaConflictError extends GrafanaApiError {}
export class GrafanaValidationError extends GrafanaApiError {}

const ADVICE: Record<number, [typeof GrafanaApiError, string]> = {
  401: [
    GrafanaUnauthorizedError,
    'The token was refused: check HEADROOM_GRAFANA_TOKEN holds a valid, unexpired service-account token.',
  ],
  403: [
    GrafanaForbiddenError,
    'The service account may not do this: give it the Editor role, or alert-rule write and folder create permissions.',
  ],
  404: [GrafanaNotFoundError, 'It does not exist (any more): someone may have deleted it; run again to recreate it.'],
  409: [
    GrafanaConflictError,
    'It clashes with an existing resource: alert rule UIDs and titles must be unique in a folder.',
  ],
  400: [GrafanaValidationError, 'Grafana rejected the request as invalid.'],
  422: [GrafanaValidationError, 'Grafana rejected the request as invalid.'],
};

/** Header that leaves written rules editable in Grafana's UI (otherwise they are locked as "Provisioned"). */
export const DISABLE_PROVENANCE = { 'X-Disable-Provenance': 'true' };
const DEFAULT_TIMEOUT_MS = 30_000;
const RULES_PATH = '/api/v1/provisioning/alert-rules';

const enc = encodeURIComponent;

export interface GrafanaProvisioningClient {
  getFolder(uid: string): Promise<GrafanaFolder | undefined>;
  /** The folder, created with this title when missing. */
  ensureFolder(uid: string, title: string): Promise<GrafanaFolder>;
  listRules(): Promise<ProvisionedAlertRule[]>;
  getRule(uid: string): Promise<ProvisionedAlertRule | undefined>;
  createRule(rule: ProvisionedAlertRule): Promise<ProvisionedAlertRule>;
  updateRule(rule: ProvisionedAlertRule): Promise<ProvisionedAlertRule>;
  deleteRule(uid: string): Promise<void>;
  getRuleGroup(folderUid: string, group: string): Promise<GrafanaRuleGroup | undefined>;
  putRuleGroup(group: GrafanaRuleGroup): Promise<GrafanaRuleGroup>;
  /** What Grafana's evaluator says about the folder's rules now, by rule UID (not a provisioning call). */
  ruleEvaluations(folderUid: string): Promise<Map<string, RuleEvaluation>>;
}

export function createGrafanaProvisioningClient(
  transport: GrafanaTransport,
  timeoutMs = DEFAULT_TIMEOUT_MS
): GrafanaProvisioningClient {
  async function send(action: string, request: Omit<GrafanaHttpRequest, 'timeoutMs'>): Promise<unknown> {
    const response = await transport({ ...request, timeoutMs });
    if (response.status >= 200 && response.status < 300) {
      return response.body;
    }
    const body = response.body as { message?: unknown } | string | undefined;
    const message =
      typeof body === 'object' && body !== null && typeof body.message === 'string'
        ? body.message
        : typeof body === 'string'
          ? body.slice(0, 300)
          : '';
    const [ErrorClass, advice] = ADVICE[response.status] ?? [GrafanaApiError, 'Unexpected answer.'];
    throw new ErrorClass(response.status, action, message, advice);
  }
  /** GET that gives undefined for 404, because "absent" is an ordinary answer when reading. */
  async function getOptional<T>(action: string, path: string): Promise<T | undefined> {
    try {
      return (await send(action, { method: 'GET', path })) as T;
    } catch (error) {
      if (error instanceof GrafanaNotFoundError) {
        return undefined;
      }
      throw error;
    }
  }
  const client: GrafanaProvisioningClient = {
    getFolder: (uid) => getOptional(`Reading folder ${uid}`, `/api/folders/${enc(uid)}`),
    async ensureFolder(uid, title) {
      const existing = await client.getFolder(uid);
      if (existing) {
        return existing;
      }
      return (await send(`Creating folder "${title}"`, {
        method: 'POST',
        path: '/api/folders',
        body: { uid, title },
      })) as GrafanaFolder;
    },
    listRules: async () =>
      (await send('Listing alert rules', { method: 'GET', path: RULES_PATH })) as ProvisionedAlertRule[],
    getRule: (uid) => getOptional(`Reading alert rule ${uid}`, `${RULES_PATH}/${enc(uid)}`),
    createRule: async (rule) =>
      (await send(`Creating alert rule ${rule.uid} "${rule.title}"`, {
        method: 'POST',
        path: RULES_PATH,
        headers: DISABLE_PROVENANCE,
        body: rule,
      })) as ProvisionedAlertRule,
    updateRule: async (rule) =>
      (await send(`Updating alert rule ${rule.uid} "${rule.title}"`, {
        method: 'PUT',
        path: `${RULES_PATH}/${enc(rule.uid)}`,
        headers: DISABLE_PROVENANCE,
        body: rule,
      })) as ProvisionedAlertRule,
    async deleteRule(uid) {
      await send(`Deleting alert rule ${uid}`, {
        method: 'DELETE',
        path: `${RULES_PATH}/${enc(uid)}`,
        headers: DISABLE_PROVENANCE,
      });
    },
    getRuleGroup: (folderUid, group) =>
      getOptional(
        `Reading rule group ${group}`,
        `/api/v1/provisioning/folder/${enc(folderUid)}/rule-groups/${enc(group)}`
      ),
    putRuleGroup: async (group) =>
      (await send(`Updating rule group ${group.title}`, {
        method: 'PUT',
        path: `/api/v1/provisioning/folder/${enc(group.folderUid)}/rule-groups/${enc(group.title)}`,
        headers: DISABLE_PROVENANCE,
        body: group,
      })) as GrafanaRuleGroup,
    ruleEvaluations: async (folderUid) =>
      parseRuleEvaluations(
        await send("Reading the rules' alert states", {
          method: 'GET',
          path: RULE_STATES_PATH,
          params: { folder_uid: folderUid },
        })
      ),
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
  /** Titles that would not be unique in their folder, which Grafana refuses: these rules are not written. */
  titleConflicts: Array<{ uid: string; title: string; clashesWith: string }>;
}

/**
 * Compares the rules Headroom wants with the rules in its folder(s) (`existing`: every rule there, not only
 * Headroom's, so title clashes show). Headroom-managed rules that are no longer wanted are deleted.
 */
export function planSync(
  desired: readonly ProvisionedAlertRule[],
  existing: readonly ProvisionedAlertRule[]
): SyncPlan {
  const existingByUid = new Map(existing.map((rule) => [rule.uid, rule]));
  const desiredUids = new Set(desired.map((rule) => rule.uid));
  const titleConflicts: SyncPlan['titleConflicts'] = [];
  const titleOwner = new Map<string, string>();
  for (const rule of existing.filter((r) => !desiredUids.has(r.uid) && isHeadroomManaged(r) === false)) {
    titleOwner.set(`${rule.folderUID}\u0000${rule.title}`, rule.uid);
  }
  const actions: SyncAction[] = [];
  for (const rule of desired) {
    const key = `${rule.folderUID}\u0000${rule.title}`;
    const owner = titleOwner.get(key);
    if (owner !== undefined) {
      titleConflicts.push({ uid: rule.uid, title: rule.title, clashesWith: owner });
      continue;
    }
    titleOwner.set(key, rule.uid);
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
  return { actions, titleConflicts };
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
}

export interface ApplyResult {
  /** Actions carried out (or, in a dry run, that would be). */
  applied: SyncAction[];
  /** Edited rules left alone because their UID was not confirmed. */
  awaitingConfirmation: SyncAction[];
  titleConflicts: SyncPlan['titleConflicts'];
}

/**
 * Carries out a plan: creates the folder if someone deleted it, deletes, updates and creates rules one by
 * one (never replacing a whole group, which would drop rules a person added to it), then sets each
 * touched group's interval. An edited rule is written or deleted only when its UID is confirmed.
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
  if (options.dryRun || applied.length === 0) {
    return { applied, awaitingConfirmation, titleConflicts: plan.titleConflicts };
  }
  await client.ensureFolder(options.folder.uid, options.folder.title);
  const order: SyncActionKind[] = ['delete', 'update', 'create'];
  for (const kind of order) {
    for (const action of applied.filter((a) => a.kind === kind)) {
      if (kind === 'delete') {
        await client.deleteRule(action.uid);
      } else if (kind === 'update') {
        await client.updateRule(action.desired!);
      } else {
        await client.createRule(action.desired!);
      }
    }
  }
  const groups = new Map(
    applied.filter((a) => a.desired).map((a) => [`${a.desired!.folderUID}/${a.desired!.ruleGroup}`, a.desired!])
  );
  for (const rule of groups.values()) {
    const group = await client.getRuleGroup(rule.folderUID, rule.ruleGroup);
    if (group && group.interval !== options.groupIntervalSeconds) {
      await client.putRuleGroup({ ...group, interval: options.groupIntervalSeconds });
    }
  }
  return { applied, awaitingConfirmation, titleConflicts: plan.titleConflicts };
}
