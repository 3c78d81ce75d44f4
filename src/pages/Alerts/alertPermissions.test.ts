/** @jest-environment node */
import { fetchPermissions, writeAccessFrom, type PermissionMap } from './alertPermissions';

/**
 * The rule and folder permissions Grafana 12 lists for each basic role (ngalert/accesscontrol basic_role_grants
 * snapshot; pkg/api/accesscontrol.go for folders): a Viewer reads rules everywhere and the root; an Editor also
 * writes rules everywhere, may set provenance and create folders at the root; the Headroom folder, created with
 * default permissions, gives Editors Edit (folders:read and alert.rules:* on it) and Viewers View.
 */
const VIEWER: PermissionMap = {
  'alert.rules:read': ['folders:*'],
  'alert.instances:read': [''],
  'folders:read': ['folders:uid:general', 'folders:uid:headroom'],
};
const EDITOR: PermissionMap = {
  ...VIEWER,
  'alert.rules:create': ['folders:*', 'folders:uid:headroom'],
  'alert.rules:write': ['folders:*', 'folders:uid:headroom'],
  'alert.rules:delete': ['folders:*', 'folders:uid:headroom'],
  'alert.provisioning.provenance:write': [''],
  'folders:create': ['folders:uid:general'],
  'folders:write': ['folders:uid:headroom'],
};
const ADMIN: PermissionMap = {
  ...EDITOR,
  'alert.provisioning:read': [''],
  'alert.provisioning:write': [''],
  'alert.rules.provisioning:read': [''],
  'alert.rules.provisioning:write': [''],
  'folders:read': ['folders:*'],
  'folders:create': ['folders:*'],
};

describe('writeAccessFrom', () => {
  it('lets an Editor write: the rule permissions on the folder and provenance, without any provisioning permission', () => {
    expect(writeAccessFrom(EDITOR, true)).toEqual({ canWrite: true, reason: '' });
    // A folder still to be created: the Editor may create it at the root and administers it then.
    expect(writeAccessFrom({ ...EDITOR, 'folders:read': ['folders:uid:general'] }, false)).toEqual({
      canWrite: true,
      reason: '',
    });
  });

  it('lets an Admin write, and anyone with alert.rules.provisioning:write who can read the folder', () => {
    expect(writeAccessFrom(ADMIN, true)).toEqual({ canWrite: true, reason: '' });
    expect(writeAccessFrom(ADMIN, false).canWrite).toBe(true);
    const provisioner = { 'alert.rules.provisioning:write': [''], 'folders:read': ['folders:uid:head*'] };
    expect(writeAccessFrom(provisioner, true)).toEqual({ canWrite: true, reason: '' });
    expect(writeAccessFrom({ ...provisioner, 'folders:read': ['folders:uid:other'] }, true)).toMatchObject({
      canWrite: false,
      reason: expect.stringContaining('it lacks folders:read.'),
    });
  });

  it('refuses a Viewer and names exactly what is missing', () => {
    const access = writeAccessFrom(VIEWER, true);
    expect(access.canWrite).toBe(false);
    expect(access.reason).toContain(
      'it lacks alert.rules:create, alert.rules:write, alert.provisioning.provenance:write.'
    );
    expect(access.reason).toContain('alert.rules.provisioning:write');
    expect(access.reason).toContain('Editor role');
  });

  it('refuses an Editor whose rights stop short of the Headroom folder', () => {
    // A folder made by someone else, with the default permissions taken away: no scope covers folders:uid:headroom.
    const elsewhere: PermissionMap = {
      ...EDITOR,
      'alert.rules:create': ['folders:uid:team'],
      'folders:read': ['folders:uid:general'],
    };
    expect(writeAccessFrom(elsewhere, true).reason).toContain('it lacks alert.rules:create, folders:read.');
    // An empty scope covers nothing; a wildcard only at the end.
    expect(writeAccessFrom({ ...EDITOR, 'folders:read': [''] }, true).canWrite).toBe(false);
    expect(writeAccessFrom({ ...EDITOR, 'folders:read': ['folders:*:headroom'] }, true).canWrite).toBe(false);
  });

  it('refuses when the folder must be created and the user may not create it at the root', () => {
    const access = writeAccessFrom({ ...EDITOR, 'folders:create': ['folders:uid:team'] }, false);
    expect(access.canWrite).toBe(false);
    expect(access.reason).toContain('folders:create on folders:uid:general');
    expect(writeAccessFrom(VIEWER, false).reason).toContain('folders:create');
  });

  it('lets a role without alert.rules:delete write, and says what it cannot do', () => {
    const noDelete = { ...EDITOR, 'alert.rules:delete': ['folders:uid:team'] };
    expect(writeAccessFrom(noDelete, true)).toEqual({
      canWrite: true,
      reason: expect.stringContaining('may not delete alert rules in the Headroom folder (alert.rules:delete)'),
    });
  });
});

describe('fetchPermissions', () => {
  it("reads Grafana's permission map", async () => {
    await expect(fetchPermissions(async () => ({ status: 200, body: EDITOR }))).resolves.toEqual(EDITOR);
  });

  it("quotes Grafana's message when the check itself fails", async () => {
    await expect(fetchPermissions(async () => ({ status: 401, body: { message: 'Unauthorized' } }))).rejects.toThrow(
      'answered 401 "Unauthorized"'
    );
  });
});
