/**
 * Whether the signed-in person may write Headroom's alert rules, checked before the page offers to write, the way
 * Grafana 12 decides it (docs/grafana-compatibility.md, "Permissions").
 *
 * `GET /api/access-control/user/permissions` lists the caller's permissions as `{ action: [scopes] }` (an unscoped
 * permission as `[""]`). Grafana's provisioning API lets a caller write rules (pkg/services/ngalert/api/authorization.go
 * for the route, provisioning/alert_rules.go and accesscontrol/rules.go in the handler) either with
 * `alert.provisioning:write` or `alert.rules.provisioning:write`, which skip the folder checks, or with
 * `alert.rules:create|write|delete` on the folder plus `alert.provisioning.provenance:write`, which is what the Editor
 * role has. Reading the rules back needs `alert.rules:read` and `folders:read` on the folder. Creating the folder at
 * the root needs `folders:create` on `folders:uid:general`; its creator then administers it.
 */
import { t } from '@grafana/i18n';
import type { GrafanaTransport } from '../../alerting/grafanaClient';
import { redactCredentials } from '../../prometheus/redact';
import { HEADROOM_FOLDER } from './alertRules';

export const PERMISSIONS_PATH = '/api/access-control/user/permissions';
/** Either of these lets a caller write any rule through the provisioning API. */
export const PROVISIONING_WRITE_ACTIONS = ['alert.provisioning:write', 'alert.rules.provisioning:write'] as const;
const RULE_CREATE = 'alert.rules:create';
const RULE_WRITE = 'alert.rules:write';
const RULE_DELETE = 'alert.rules:delete';
const RULE_READ = 'alert.rules:read';
const FOLDER_READ = 'folders:read';
const FOLDER_CREATE = 'folders:create';
/** Lets a caller write through the provisioning API with the rule permissions of the Editor role. */
const SET_PROVENANCE = 'alert.provisioning.provenance:write';
/** The other way to write rules: these on the folder (the provenance permission is not scoped). */
export const GRANULAR_WRITE_ACTIONS = [RULE_CREATE, RULE_WRITE, RULE_DELETE, SET_PROVENANCE] as const;
/** Grafana's scope for folders at the root, where the Headroom folder is created. */
const ROOT_FOLDER_SCOPE = 'folders:uid:general';

/** The two provisioning permissions as a sentence names them: "a or b". */
export function provisioningActionsText(): string {
  const or = t('alerts.access.or', ' or ');
  return PROVISIONING_WRITE_ACTIONS.join(or);
}

/** `{ action: scopes }` as Grafana answers it. */
export type PermissionMap = Record<string, string[]>;

export interface WriteAccess {
  /** True when Grafana would let the person write (and read back) Headroom's rules. */
  canWrite: boolean;
  /** Why writing is not offered, or a caveat when it is; empty when there is nothing to say. */
  reason: string;
}

/**
 * Whether a permission scope covers `target`, as Grafana's evaluator matches them (accesscontrol/evaluator.go, match):
 * exactly, or by a prefix ending in `*`; an empty scope covers nothing.
 */
function scopeCovers(scope: string, target: string): boolean {
  if (scope === '' || /[*?]/.test(scope.slice(0, -1))) {
    return false;
  }
  return scope === target || (scope.endsWith('*') && target.startsWith(scope.slice(0, -1)));
}

const hasAction = (permissions: PermissionMap, action: string) => Array.isArray(permissions[action]);
const hasScoped = (permissions: PermissionMap, action: string, target: string) =>
  hasAction(permissions, action) && permissions[action].some((scope) => scopeCovers(scope, target));

/** Checked by Grafana's routes without a scope; the rest only on the folder, in the handler. */
const ROUTE_CHECKED = new Set([RULE_CREATE, RULE_WRITE]);

/**
 * What the permission map allows for the Headroom folder; `folderExists` says whether the folder must be created first.
 * A folder's creator administers it (pkg/api/folder.go, setDefaultFolderPermissions), so for a folder still to be
 * created only the routes' unscoped checks remain.
 */
export function writeAccessFrom(
  permissions: PermissionMap,
  folderExists: boolean,
  folderUid = HEADROOM_FOLDER.uid
): WriteAccess {
  const onFolder = (action: string) =>
    folderExists
      ? hasScoped(permissions, action, `folders:uid:${folderUid}`)
      : !ROUTE_CHECKED.has(action) || hasAction(permissions, action);
  if (!folderExists && !hasScoped(permissions, FOLDER_CREATE, ROOT_FOLDER_SCOPE)) {
    return {
      canWrite: false,
      reason: t(
        'alerts.access.no-folder',
        'The Headroom folder does not exist and your Grafana user may not create folders at the root ({{action}} on {{scope}}; the Editor role has it). Ask a Grafana admin to create the folder "{{folder}}" with UID {{uid}}, or for that permission.',
        {
          action: FOLDER_CREATE,
          scope: ROOT_FOLDER_SCOPE,
          folder: HEADROOM_FOLDER.title,
          uid: folderUid,
          interpolation: { escapeValue: false },
        }
      ),
    };
  }
  const provisioningWriter = PROVISIONING_WRITE_ACTIONS.some((action) => hasAction(permissions, action));
  // Both ways Grafana reads the folder as the caller, and the rules must be readable back.
  const needed = provisioningWriter ? [FOLDER_READ] : [RULE_CREATE, RULE_WRITE, SET_PROVENANCE, RULE_READ, FOLDER_READ];
  const missing = needed.filter((action) =>
    action === SET_PROVENANCE ? !hasAction(permissions, action) : !onFolder(action)
  );
  if (missing.length > 0) {
    return {
      canWrite: false,
      reason: t(
        'alerts.access.cannot-write',
        'Your Grafana user may not write alert rules in the Headroom folder: it lacks {{missing}}. Grafana lets a user write them with {{create}}, {{write}} and {{provenance}}, and read them back with {{read}} and {{folderRead}}, on the folder (the Editor role has all of these), or with {{provisioning}}. Ask a Grafana admin for the Editor role or such a role.',
        {
          missing: missing.join(', '),
          create: RULE_CREATE,
          write: RULE_WRITE,
          provenance: SET_PROVENANCE,
          read: RULE_READ,
          folderRead: FOLDER_READ,
          provisioning: provisioningActionsText(),
          interpolation: { escapeValue: false },
        }
      ),
    };
  }
  if (!provisioningWriter && !onFolder(RULE_DELETE)) {
    return {
      canWrite: true,
      reason: t(
        'alerts.access.cannot-delete',
        'Your Grafana user may not delete alert rules in the Headroom folder ({{action}}): a side you stop watching stays in Grafana until someone with that permission deletes it.',
        { action: RULE_DELETE, interpolation: { escapeValue: false } }
      ),
    };
  }
  return { canWrite: true, reason: '' };
}

/** Reads the caller's permissions; rejects with the transport's error or a message quoting Grafana's answer. */
export async function fetchPermissions(transport: GrafanaTransport): Promise<PermissionMap> {
  const response = await transport({ method: 'GET', path: PERMISSIONS_PATH, timeoutMs: 10_000 });
  const body = response.body;
  if (response.status !== 200 || typeof body !== 'object' || body === null || Array.isArray(body)) {
    const message = (body as { message?: unknown } | null)?.message;
    throw new Error(
      redactCredentials(
        t('alerts.access.check-failed', 'Could not check your Grafana permissions: {{path}} answered {{status}}', {
          path: PERMISSIONS_PATH,
          status: response.status,
          interpolation: { escapeValue: false },
        }) + (typeof message === 'string' ? ` "${message}"` : '')
      )
    );
  }
  return body as PermissionMap;
}
