/**
 * Whether the signed-in person may write Headroom's alert rules, checked before the page offers to write.
 *
 * Grafana's RBAC (https://grafana.com/docs/grafana/latest/administration/service-accounts/, "List a service
 * account token's permissions"; the same endpoint answers for a signed-in user) lists the caller's permissions with
 * `GET /api/access-control/user/permissions` as `{ action: [scopes] }`. Grafana authorises the provisioning API's
 * rule writes (POST/PUT/DELETE `/api/v1/provisioning/alert-rules`, PUT `.../rule-groups/{group}`) with
 * `alert.provisioning:write`, or since Grafana 11 the narrower `alert.rules.provisioning:write`
 * (pkg/services/ngalert/api/authorization.go; grafana/grafana#87149). Creating the Headroom folder when it is
 * missing needs `folders:create` (https://grafana.com/docs/grafana/latest/administration/roles-and-permissions/
 * access-control/custom-role-actions-scopes/).
 */
import type { GrafanaTransport } from '../../alerting/grafanaClient';

export const PERMISSIONS_PATH = '/api/access-control/user/permissions';
export const RULE_WRITE_ACTIONS = ['alert.provisioning:write', 'alert.rules.provisioning:write'] as const;
export const FOLDER_CREATE_ACTION = 'folders:create';

/** `{ action: scopes }` as Grafana answers it. */
export type PermissionMap = Record<string, string[]>;

export interface WriteAccess {
  /** True when Grafana lists a permission that allows writing rules through the provisioning API. */
  canWrite: boolean;
  /** Why writing is not offered, or a caveat when it is; empty when there is nothing to say. */
  reason: string;
}

/** What the permission map allows; `folderExists` says whether the Headroom folder must be created first. */
export function writeAccessFrom(permissions: PermissionMap, folderExists: boolean): WriteAccess {
  const has = (action: string) => Array.isArray(permissions[action]);
  if (!RULE_WRITE_ACTIONS.some(has)) {
    return {
      canWrite: false,
      reason:
        `Your Grafana user may not write alert rules through the provisioning API (it lacks ` +
        `${RULE_WRITE_ACTIONS.join(' and ')}). Ask a Grafana admin for the Editor role, or for a role with ` +
        `${RULE_WRITE_ACTIONS[1]}.`,
    };
  }
  if (!folderExists && !has(FOLDER_CREATE_ACTION)) {
    return {
      canWrite: false,
      reason:
        `The Headroom folder does not exist and your Grafana user may not create folders (${FOLDER_CREATE_ACTION}). ` +
        'Ask a Grafana admin to create it, or to give you folder creation rights.',
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
      `Could not check your Grafana permissions: ${PERMISSIONS_PATH} answered ${response.status}` +
        (typeof message === 'string' ? ` "${message}"` : '')
    );
  }
  return body as PermissionMap;
}
