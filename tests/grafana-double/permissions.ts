/**
 * Grafana 12's role-based access control as the double applies it: the permissions each basic role grants, the
 * managed permissions a folder gives, the evaluators routes and handlers check, and the bodies of their refusals.
 *
 * Sources (grafana/grafana; index ids where the tool gave no commit, see docs/grafana-compatibility.md):
 * - pkg/services/ngalert/accesscontrol/testdata/basic_role_grants.snapshot.json @ f4d1130a: the alerting permissions
 *   of each basic role (a role's grants also apply to the roles above it: Viewer < Editor < Admin).
 * - pkg/api/accesscontrol.go (id 38872860): folder and data source permissions; in OSS every Viewer may read and
 *   query every data source (`dspermissions.enforcement` is unlicensed).
 * - pkg/services/accesscontrol/ossaccesscontrol folder permissions (id 17674673855): what View/Edit/Admin on a folder
 *   grant; pkg/api/folder.go setDefaultFolderPermissions (id 209786345): a root folder gives Editors Edit and Viewers
 *   View, and its creator Admin.
 * - pkg/services/accesscontrol/evaluator.go (id 25887189797): evaluation, scope matching and `String()`.
 * - pkg/services/accesscontrol/middleware.go (id 449153623): the route's 403 body.
 * - pkg/services/ngalert/accesscontrol/models.go (id 2912084705): the handler's 403 (`alerting.unauthorized`).
 */

export type BasicRole = 'Viewer' | 'Editor' | 'Admin';
/** A basic role, or exactly these permissions (`{ action: [scopes] }`, an unscoped one as `[""]`) and no basic role. */
export type Role = BasicRole | { custom: Record<string, string[]> };
export type PermissionMap = Record<string, string[]>;

type Grant = [action: string, scope?: string];

const ALERTING_VIEWER: Grant[] = [
  ['alert.instances.external:read', 'datasources:*'],
  ['alert.instances:read'],
  ['alert.notifications.external:read', 'datasources:*'],
  ['alert.notifications.inhibition-rules:read', 'inhibition-rules:*'],
  ['alert.notifications.receivers:list'],
  ['alert.notifications.receivers:read', 'receivers:*'],
  ['alert.notifications.templates:read'],
  ['alert.notifications.time-intervals:read'],
  ['alert.rules.external:read', 'datasources:*'],
  ['alert.rules:read', 'folders:*'],
  ['alert.silences:read', 'folders:*'],
];
const ALERTING_EDITOR: Grant[] = [
  ['alert.instances.external:write', 'datasources:*'],
  ['alert.instances:create'],
  ['alert.instances:write'],
  ['alert.notifications.external:write', 'datasources:*'],
  ['alert.notifications.inhibition-rules:delete', 'inhibition-rules:*'],
  ['alert.notifications.inhibition-rules:write', 'inhibition-rules:*'],
  ['alert.notifications.receivers.test:create', 'receivers:*'],
  ['alert.notifications.receivers.test:create', 'receivers:uid:-'],
  ['alert.notifications.receivers:create'],
  ['alert.notifications.receivers:delete', 'receivers:*'],
  ['alert.notifications.receivers:test'],
  ['alert.notifications.receivers:write', 'receivers:*'],
  ['alert.notifications.templates.test:write'],
  ['alert.notifications.templates:delete'],
  ['alert.notifications.templates:write'],
  ['alert.notifications.time-intervals:delete'],
  ['alert.notifications.time-intervals:write'],
  ['alert.provisioning.provenance:write'],
  ['alert.rules.external:write', 'datasources:*'],
  ['alert.rules:create', 'folders:*'],
  ['alert.rules:delete', 'folders:*'],
  ['alert.rules:write', 'folders:*'],
  ['alert.silences:create', 'folders:*'],
  ['alert.silences:write', 'folders:*'],
  ['notifications.alerting.grafana.app/routingtrees:create'],
];
const ALERTING_ADMIN: Grant[] = [
  ['alert.notifications.config-history:read'],
  ['alert.notifications.config-history:write'],
  ['alert.notifications.provisioning:read'],
  ['alert.notifications.provisioning:write'],
  ['alert.notifications.receivers.protected:write', 'receivers:*'],
  ['alert.notifications.receivers.secrets:read', 'receivers:*'],
  ['alert.notifications.routes:read'],
  ['alert.notifications.routes:write'],
  ['alert.notifications.system-status:read'],
  ['alert.notifications:read'],
  ['alert.notifications:write'],
  ['alert.provisioning.secrets:read'],
  ['alert.provisioning:read'],
  ['alert.provisioning:write'],
  ['alert.rules.provisioning:read'],
  ['alert.rules.provisioning:write'],
  ['folders:read', 'folders:*'],
  ['receivers.permissions:read', 'receivers:*'],
  ['receivers.permissions:write', 'receivers:*'],
];
/** Folder and data source permissions of the basic roles (pkg/api/accesscontrol.go), OSS. */
const CORE_VIEWER: Grant[] = [
  // fixed:plugins.app:reader, granted to Viewer and so to Editor and Admin (pluginaccesscontrol DeclareRBACRoles);
  // a service account of basic role None has no such grant and is refused (403).
  ['plugins.app:access', 'plugins:*'],
  ['datasources:read', 'datasources:*'],
  ['datasources:query', 'datasources:*'],
  ['folders:read', 'folders:uid:general'],
];
const CORE_EDITOR: Grant[] = [
  ['datasources:explore'],
  ['folders:create', 'folders:uid:general'],
  ['dashboards:create', 'folders:uid:general'],
];
const CORE_ADMIN: Grant[] = [
  ['folders:create', 'folders:*'],
  ['folders:write', 'folders:*'],
  ['folders:delete', 'folders:*'],
  ['folders.permissions:read', 'folders:*'],
  ['folders.permissions:write', 'folders:*'],
  ['datasources:write', 'datasources:*'],
  ['datasources:create'],
  ['datasources:delete', 'datasources:*'],
];
const BASIC_ROLE_GRANTS: Record<BasicRole, Grant[]> = {
  Viewer: [...ALERTING_VIEWER, ...CORE_VIEWER],
  Editor: [...ALERTING_VIEWER, ...CORE_VIEWER, ...ALERTING_EDITOR, ...CORE_EDITOR],
  Admin: [...ALERTING_VIEWER, ...CORE_VIEWER, ...ALERTING_EDITOR, ...CORE_EDITOR, ...ALERTING_ADMIN, ...CORE_ADMIN],
};

/** What View, Edit and Admin on a folder grant on `folders:uid:<uid>`. */
const FOLDER_VIEW = ['folders:read', 'alert.rules:read', 'library.panels:read', 'alert.silences:read'];
const FOLDER_EDIT = [
  ...FOLDER_VIEW,
  'folders:write',
  'folders:delete',
  'dashboards:create',
  'alert.rules:create',
  'alert.rules:write',
  'alert.rules:delete',
  'alert.silences:create',
  'alert.silences:write',
  'library.panels:create',
  'library.panels:write',
  'library.panels:delete',
];
const FOLDER_ADMIN = [...FOLDER_EDIT, 'folders.permissions:read', 'folders.permissions:write'];

export interface FolderAccess {
  uid: string;
  /** The double's caller created it (and administers it). */
  createdByCaller?: boolean;
  /** Someone removed the default Editor and Viewer permissions of this root folder. */
  restricted?: boolean;
}

/** The caller's permissions: its role's, plus what each folder grants it. */
export function permissionsOf(role: Role, folders: Iterable<FolderAccess>): PermissionMap {
  const map: PermissionMap = {};
  const add = (action: string, scope = '') => {
    const scopes = (map[action] ??= []);
    if (!scopes.includes(scope)) {
      scopes.push(scope);
    }
  };
  if (typeof role === 'string') {
    BASIC_ROLE_GRANTS[role].forEach(([action, scope]) => add(action, scope));
  } else {
    Object.entries(role.custom).forEach(([action, scopes]) => scopes.forEach((scope) => add(action, scope)));
  }
  for (const folder of folders) {
    const basic = typeof role === 'string' && !folder.restricted ? role : undefined;
    const level = folder.createdByCaller
      ? FOLDER_ADMIN
      : basic === 'Editor' || basic === 'Admin'
        ? FOLDER_EDIT
        : basic === 'Viewer'
          ? FOLDER_VIEW
          : [];
    level.forEach((action) => add(action, `folders:uid:${folder.uid}`));
  }
  return map;
}

/** Whether a permission's scope covers the scope asked for (evaluator.go, match). */
function scopeCovers(scope: string, target: string): boolean {
  if (scope === '' || /[*?]/.test(scope.slice(0, -1))) {
    return false;
  }
  return scope === target || (scope.endsWith('*') && target.startsWith(scope.slice(0, -1)));
}

/** Grafana's access-control evaluator: a permission, all of some, or any of some. */
export interface Evaluator {
  evaluate(permissions: PermissionMap): boolean;
  /** As in the route's 403 message. */
  toString(): string;
  /** As in the handler's 403 payload. */
  goString(): string;
}

export const evalPermission = (action: string, ...scopes: string[]): Evaluator => ({
  evaluate: (permissions) =>
    Array.isArray(permissions[action]) &&
    (scopes.length === 0 || scopes.some((target) => permissions[action].some((scope) => scopeCovers(scope, target)))),
  toString: () => action,
  goString: () => `action:${action} scopes:${scopes.join(', ')}`,
});
export const evalAll = (...all: Evaluator[]): Evaluator => ({
  evaluate: (permissions) => all.every((e) => e.evaluate(permissions)),
  toString: () => `all of ${all.map(String).join(', ')}`,
  goString: () => `all(${all.map((e) => e.goString()).join(' ')})`,
});
export const evalAny = (...any: Evaluator[]): Evaluator => ({
  evaluate: (permissions) => any.some((e) => e.evaluate(permissions)),
  toString: () => `any of ${any.map(String).join(', ')}`,
  // As Grafana's anyEvaluator.GoString, which lists its members with String().
  goString: () => `any(${any.map(String).join(' ')})`,
});

export const folderScope = (uid: string) => `folders:uid:${uid}`;

/** A refusal, with Grafana's status and body. */
export class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown> | undefined
  ) {
    super(typeof body?.message === 'string' ? body.message : `HTTP ${status}`);
  }
}

/** The route middleware's refusal: the evaluator in words and a random access error id. */
export function routeDenied(evaluator: Evaluator): Refusal {
  const digits = Array.from({ length: 10 }, () => Math.floor(Math.random() * 10)).join('');
  return new Refusal(403, {
    title: 'Access denied',
    message: `You'll need additional permissions to perform this action. Permissions needed: ${evaluator}`,
    accessErrorId: `ACE${digits}`,
  });
}

/** The alerting handler's refusal (NewAuthorizationErrorWithPermissions), as errutil renders it. */
export function handlerDenied(what: string, evaluator: Evaluator): Refusal {
  return new Refusal(403, {
    statusCode: 403,
    messageId: 'alerting.unauthorized',
    message: `user is not authorized to ${what}`,
    extra: { permissions: evaluator.goString() },
    traceID: '',
  });
}
