/**
 * The data source's backend is declared in the archive only beside its executables (scripts/package.ts,
 * backendDeclaration): on a small dist/ of its own, so no executable is built here (the one real build of the
 * host's executable is tests/integration/backend-executable.test.ts; `npm run package` builds the release ones).
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inflateRawSync } from 'node:zlib';

import { declareBackend, packagePlugin } from '../../scripts/package';

const APP = { id: 'headroom-capacity-app', type: 'app', info: { version: '1.2.3', updated: '2026-12-07' } };
const DATASOURCE = { id: 'headroom-capacity-datasource', type: 'datasource', name: 'Headroom', info: {} };

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'headroom-backend-declaration-'));
  mkdirSync(path.join(dir, 'dist/datasource'), { recursive: true });
  writeFileSync(path.join(dir, 'dist/plugin.json'), JSON.stringify(APP));
  writeFileSync(path.join(dir, 'dist/datasource/plugin.json'), JSON.stringify(DATASOURCE));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The archive's files by name, read from the local headers (the packer writes sizes there, no data descriptors). */
function archiveFiles(zip: string): Map<string, { data: Buffer; unixMode: number }> {
  const bytes = readFileSync(zip);
  const central = new Map<string, number>();
  // Central directory (its offset in the end record, which has no comment): external attributes hold the Unix mode.
  for (let at = bytes.readUInt32LE(bytes.length - 22 + 16); bytes.readUInt32LE(at) === 0x02014b50;) {
    const nameLength = bytes.readUInt16LE(at + 28);
    const extra = bytes.readUInt16LE(at + 30) + bytes.readUInt16LE(at + 32);
    central.set(bytes.toString('utf8', at + 46, at + 46 + nameLength), bytes.readUInt32LE(at + 38) >>> 16);
    at += 46 + nameLength + extra;
  }
  const files = new Map<string, { data: Buffer; unixMode: number }>();
  for (let at = 0; bytes.readUInt32LE(at) === 0x04034b50;) {
    const method = bytes.readUInt16LE(at + 8);
    const compressed = bytes.readUInt32LE(at + 18);
    const nameLength = bytes.readUInt16LE(at + 26);
    const start = at + 30 + nameLength + bytes.readUInt16LE(at + 28);
    const name = bytes.toString('utf8', at + 30, at + 30 + nameLength);
    const body = bytes.subarray(start, start + compressed);
    files.set(name, { data: method === 8 ? inflateRawSync(body) : body, unixMode: central.get(name)! });
    at = start + compressed;
  }
  return files;
}

const pack = () => packagePlugin({ distDir: path.join(dir, 'dist'), outDir: path.join(dir, 'out') });
const datasourceJson = (files: Map<string, { data: Buffer }>) =>
  JSON.parse(files.get('headroom-capacity-app/datasource/plugin.json')!.data.toString('utf8'));
const appJson = (files: Map<string, { data: Buffer }>) =>
  JSON.parse(files.get('headroom-capacity-app/plugin.json')!.data.toString('utf8'));

describe("the data source's backend in the archive", () => {
  it('is declared with its executables beside it, which keep their execute permission; dist/ is not changed', () => {
    for (const name of ['gpx_headroom_linux_amd64', 'gpx_headroom_linux_arm64']) {
      writeFileSync(path.join(dir, 'dist/datasource', name), `#!/bin/sh\n# ${name}\n`);
      chmodSync(path.join(dir, 'dist/datasource', name), 0o755);
    }
    const files = archiveFiles(pack().zipPath);

    // Grafana starts <plugin dir>/<executable>_<os>_<arch> (docs/grafana-compatibility.md).
    // Its own managed account opens the app, which is what reading the app's settings takes (pkg/api/plugins.go).
    expect(datasourceJson(files)).toEqual({
      ...DATASOURCE,
      backend: true,
      alerting: true,
      executable: 'gpx_headroom',
      iam: { permissions: [{ action: 'plugins.app:access', scope: 'plugins:id:headroom-capacity-app' }] },
    });
    // The app starts the same file for its recalibration: Grafana joins and cleans <app dir>/<executable>_<os>_<arch>.
    const app = appJson(files);
    expect({ backend: app.backend, executable: app.executable }).toEqual({
      backend: true,
      executable: 'datasource/gpx_headroom',
    });
    expect(path.posix.join('headroom-capacity-app', `${app.executable}_linux_amd64`)).toBe(
      'headroom-capacity-app/datasource/gpx_headroom_linux_amd64'
    );
    expect(files.has('headroom-capacity-app/datasource/gpx_headroom_linux_amd64')).toBe(true);
    // Scoped actions need a scope, or Grafana's evaluator grants nothing (pkg/services/accesscontrol/evaluator.go).
    for (const permission of app.iam.permissions as Array<{ action: string; scope?: string }>) {
      if (permission.action.startsWith('folders:') || permission.action.startsWith('datasources:')) {
        expect(permission.scope).toMatch(/^(folders|datasources):\*$/);
      }
    }
    expect(app.iam.permissions.map((p: { action: string }) => p.action)).toEqual(
      expect.arrayContaining(['alert.rules.provisioning:read', 'alert.rules.provisioning:write', 'datasources:query'])
    );
    expect(files.get('headroom-capacity-app/datasource/gpx_headroom_linux_arm64')!.unixMode & 0o777).toBe(0o755);
    expect(JSON.parse(readFileSync(path.join(dir, 'dist/datasource/plugin.json'), 'utf8'))).toEqual(DATASOURCE);
  });

  it('is not declared without executables: a front-end-only archive, as a development build', () => {
    const files = archiveFiles(pack().zipPath);
    expect(datasourceJson(files)).toEqual(DATASOURCE);
    expect(appJson(files)).toEqual(APP);
  });

  it('refuses executables outside the data source folder, and a declared backend without executables', () => {
    writeFileSync(path.join(dir, 'dist/gpx_headroom_linux_amd64'), 'x');
    expect(pack).toThrow('gpx_headroom_linux_amd64 must be in datasource/');
    rmSync(path.join(dir, 'dist/gpx_headroom_linux_amd64'));

    writeFileSync(path.join(dir, 'dist/datasource/plugin.json'), JSON.stringify({ ...DATASOURCE, backend: true }));
    expect(pack).toThrow('declares a backend but no gpx_headroom_<os>_<arch> is beside it');
  });

  it('refuses a signed dist/ whose plugin.json would change; declared before signing, the archive keeps every byte', () => {
    writeFileSync(path.join(dir, 'dist/datasource/gpx_headroom_linux_amd64'), '#!/bin/sh\n');
    writeFileSync(path.join(dir, 'dist/MANIFEST.txt'), 'signed manifest\n');
    // A signature covers each file's hash: rewriting plugin.json in the archive would read as "Modified signature".
    expect(pack).toThrow(
      'it is signed (MANIFEST.txt), and the archive would change datasource/plugin.json, plugin.json'
    );

    expect(declareBackend(path.join(dir, 'dist')).sort()).toEqual(['datasource/plugin.json', 'plugin.json']);
    const files = archiveFiles(pack().zipPath);
    expect(datasourceJson(files).executable).toBe('gpx_headroom');
    expect(files.get('headroom-capacity-app/plugin.json')!.data).toEqual(
      readFileSync(path.join(dir, 'dist/plugin.json'))
    );
    expect(declareBackend(path.join(dir, 'dist'))).toEqual([]);
  });
});
