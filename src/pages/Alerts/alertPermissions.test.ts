/** @jest-environment node */
import { fetchPermissions, writeAccessFrom } from './alertPermissions';

describe('writeAccessFrom', () => {
  it('allows writing with the provisioning write permission when the folder exists', () => {
    expect(writeAccessFrom({ 'alert.provisioning:write': [''] }, true)).toEqual({ canWrite: true, reason: '' });
    expect(writeAccessFrom({ 'alert.rules.provisioning:write': [''] }, true).canWrite).toBe(true);
  });

  it('refuses a Viewer (rule read only) and says which permission is missing', () => {
    const access = writeAccessFrom({ 'alert.rules:read': ['folders:*'], 'alert.provisioning:read': [''] }, true);
    expect(access.canWrite).toBe(false);
    expect(access.reason).toContain('alert.rules.provisioning:write');
    expect(access.reason).toContain('Editor role');
  });

  it('refuses when the folder must be created and the user may not create folders', () => {
    const access = writeAccessFrom({ 'alert.provisioning:write': [''] }, false);
    expect(access.canWrite).toBe(false);
    expect(access.reason).toContain('folders:create');
    expect(writeAccessFrom({ 'alert.provisioning:write': [''], 'folders:create': [''] }, false).canWrite).toBe(true);
  });
});

describe('fetchPermissions', () => {
  it("reads Grafana's permission map", async () => {
    const map = { 'alert.provisioning:write': [''] };
    await expect(fetchPermissions(async () => ({ status: 200, body: map }))).resolves.toEqual(map);
  });

  it("quotes Grafana's message when the check itself fails", async () => {
    await expect(fetchPermissions(async () => ({ status: 401, body: { message: 'Unauthorized' } }))).rejects.toThrow(
      'answered 401 "Unauthorized"'
    );
  });
});
