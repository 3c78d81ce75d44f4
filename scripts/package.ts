/**
 * Packages the built plugin the way Grafana's plugin tooling does (`grafana/plugin-actions` package-plugin:
 * `mv dist <id>; zip <id>-<version>.zip <id> -r; sha1sum <zip> | cut -f1 -d' ' > <zip>.sha1`):
 *   <out>/<id>-<version>.zip       one top folder named after the plugin id holding all of dist/ (source maps too),
 *                                  a directory entry for each folder, files deflated, Unix permissions kept
 *   <out>/<id>-<version>.zip.sha1  the archive's SHA-1 in hex, as Grafana's plugin submission form asks for it
 *
 *   npx tsx scripts/package.ts [--dist dist] [--out artifacts]      (`npm run package` builds first)
 *
 * The data source's backend: when dist/datasource/ holds executables `gpx_headroom_<os>_<arch>` (`npm run package` builds
 * them with scripts/buildBackend.ts), the archive's datasource/plugin.json declares `backend`, `alerting` and
 * `executable`, and the app's plugin.json names the same executable (its recalibration); without them neither declares one,
 * because Grafana refuses to register a plugin, front end included, whose declared backend does not start (docs/grafana-compatibility.md, "The backend only beside its executables"). dist/
 * itself is never changed, so a development build stays front-end only.
 *
 * Written with Node's zlib (deflate, and CRC-32 from Node 20.15) so CI needs no `zip` command. SOURCE_DATE_EPOCH, when set, is every
 * entry's time, for a byte-identical archive from the same dist/.
 */
import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { crc32, deflateRawSync } from 'node:zlib';
import { DATASOURCE_IAM_PERMISSIONS } from '../src/constants';
import { runIfMain } from './runIfMain';

export interface PackageResult {
  pluginId: string;
  version: string;
  zipPath: string;
  sha1Path: string;
  sha1: string;
  entries: number;
  bytes: number;
}

const PLACEHOLDERS = ['%VERSION%', '%TODAY%', '%PLUGIN_ID%'];

/** Checks dist/ the way a release needs it, then writes the archive and its checksum file into outDir. */
export function packagePlugin(options: { distDir: string; outDir: string; expectedVersion?: string }): PackageResult {
  if (typeof crc32 !== 'function') {
    throw new Error(`Node ${process.version} has no zlib.crc32: use Node 20.15 or later`);
  }
  const distDir = resolve(options.distDir);
  const files = listTree(distDir);
  checkMetadata(distDir, files, options.expectedVersion);
  const replaced = changedDeclarations(distDir, files);
  if (replaced.size > 0 && existsSync(join(distDir, 'MANIFEST.txt'))) {
    throw new Error(
      `cannot package ${distDir}: it is signed (MANIFEST.txt), and the archive would change ${[...replaced.keys()].join(
        ', '
      )} to declare the backend beside its executables: Grafana would report a modified signature. Declare first, ` +
        'then sign, then package: `npx tsx scripts/package.ts --declare-backend` (docs/install.md, "Signing")'
    );
  }

  const meta = JSON.parse(readFileSync(join(distDir, 'plugin.json'), 'utf8'));
  const pluginId: string = meta.id;
  const version: string = meta.info.version;
  mkdirSync(options.outDir, { recursive: true });
  const zipPath = resolve(options.outDir, `${pluginId}-${version}.zip`);
  const sha1Path = `${zipPath}.sha1`;

  const fixedTime = process.env.SOURCE_DATE_EPOCH ? new Date(Number(process.env.SOURCE_DATE_EPOCH) * 1000) : undefined;
  const entries: TreeEntry[] = [{ rel: '', isDir: true, abs: distDir }, ...files];
  const tmpPath = `${zipPath}.partial`;
  const fd = openSync(tmpPath, 'w');
  const central: Buffer[] = [];
  let offset = 0;
  const sha1 = createHash('sha1');
  const write = (chunk: Buffer) => {
    writeSync(fd, chunk);
    sha1.update(chunk);
    offset += chunk.length;
  };
  try {
    for (const entry of entries) {
      const stat = statSync(entry.abs);
      const name = entry.isDir ? `${pluginId}/${entry.rel}${entry.rel ? '/' : ''}` : `${pluginId}/${entry.rel}`;
      const data = entry.isDir ? Buffer.alloc(0) : (replaced.get(entry.rel) ?? readFileSync(entry.abs));
      const deflated = entry.isDir ? data : deflateRawSync(data, { level: 6 });
      // zip stores a file whose deflated form would not be smaller (wasm, images); so do we.
      const stored = entry.isDir || deflated.length >= data.length;
      const record: ZipRecord = {
        name: Buffer.from(name, 'utf8'),
        method: stored ? 0 : 8,
        body: stored ? data : deflated,
        crc: entry.isDir ? 0 : crc32(data),
        size: data.length,
        // Like zip: regular files and folders with their permission bits, folders also flagged MS-DOS directory.
        externalAttributes:
          ((((entry.isDir ? 0o040000 : 0o100000) | (stat.mode & 0o777)) << 16) | (entry.isDir ? 0x10 : 0)) >>> 0,
        time: fixedTime ?? stat.mtime,
        offset,
      };
      guardZip32(record, offset);
      write(localHeader(record));
      write(record.body);
      central.push(centralHeader(record));
    }
    const centralStart = offset;
    for (const header of central) {
      write(header);
    }
    write(endOfCentralDirectory(central.length, offset - centralStart, centralStart));
  } finally {
    closeSync(fd);
  }
  renameSync(tmpPath, zipPath);
  const digest = sha1.digest('hex');
  const sha1Fd = openSync(sha1Path, 'w');
  writeSync(sha1Fd, `${digest}\n`);
  closeSync(sha1Fd);
  return { pluginId, version, zipPath, sha1Path, sha1: digest, entries: entries.length, bytes: offset };
}

interface TreeEntry {
  /** Path below dist/ with '/' separators; '' is dist/ itself. */
  rel: string;
  abs: string;
  isDir: boolean;
}

/** Folders before their contents, names sorted, symbolic links followed (as `zip -r` does). */
function listTree(root: string): TreeEntry[] {
  if (!safeIsDir(root)) {
    throw new Error(`${root} does not exist: run \`npm run build\` first`);
  }
  const out: TreeEntry[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const abs = join(dir, name);
      const isDir = statSync(abs).isDirectory();
      out.push({ rel: relative(root, abs).split(sep).join('/'), abs, isDir });
      if (isDir) {
        walk(abs);
      }
    }
  };
  walk(root);
  return out;
}

function safeIsDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** A release archive must not carry the build's unfilled template variables or a version that is not package.json's. */
function checkMetadata(distDir: string, files: TreeEntry[], expectedVersion?: string): void {
  const problems: string[] = [];
  const rootJson = join(distDir, 'plugin.json');
  if (!files.some((f) => f.rel === 'plugin.json')) {
    throw new Error(`${rootJson} is missing: run \`npm run build\` first`);
  }
  for (const file of files) {
    if (file.isDir || !/(^|\/)(plugin\.json|README\.md)$/.test(file.rel)) {
      continue;
    }
    const text = readFileSync(file.abs, 'utf8');
    for (const placeholder of PLACEHOLDERS) {
      if (text.includes(placeholder)) {
        problems.push(`${file.rel} still holds ${placeholder}`);
      }
    }
  }
  const meta = JSON.parse(readFileSync(rootJson, 'utf8'));
  if (typeof meta.id !== 'string' || !/^[0-9a-z]+-([0-9a-z]+-)?(app|panel|datasource)$/.test(meta.id)) {
    problems.push(`plugin.json: id ${JSON.stringify(meta.id)} is not a Grafana plugin id`);
  }
  const version = meta.info?.version;
  if (typeof version !== 'string' || !/^\d+\.\d+\.\d+([-+].*)?$/.test(version)) {
    problems.push(`plugin.json: info.version ${JSON.stringify(version)} is not a semantic version`);
  } else if (expectedVersion !== undefined && version !== expectedVersion) {
    problems.push(`plugin.json: info.version ${version} is not package.json's ${expectedVersion}: rebuild`);
  }
  if (typeof meta.info?.updated !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(meta.info.updated)) {
    problems.push(`plugin.json: info.updated ${JSON.stringify(meta.info?.updated)} is not a YYYY-MM-DD date`);
  }
  if (problems.length > 0) {
    throw new Error(`cannot package ${distDir}:\n  ${problems.join('\n  ')}`);
  }
}

/** Where the data source's plugin.json and its executables are in dist/, and the executables' name before `_<os>_<arch>`. */
export const BACKEND_PLUGIN_DIR = 'datasource';
export const BACKEND_EXECUTABLE = 'gpx_headroom';
const EXECUTABLE_NAME = new RegExp(`(^|/)${BACKEND_EXECUTABLE}_[a-z0-9]+_[a-z0-9]+(\\.exe)?$`);

/**
 * The data source's and the app's plugin.json as the archive holds them: with `backend`, `executable` and `iam` (and
 * the data source's `alerting`) when the executables are beside the data source's, as dist/ has them
 * otherwise. Executables elsewhere, or a plugin.json that declares a backend without them, are refused: Grafana would
 * start nothing and not register that plugin, front end included.
 */
function backendDeclaration(distDir: string, files: TreeEntry[]): Map<string, Buffer> {
  const executables = files.filter((file) => !file.isDir && EXECUTABLE_NAME.test(file.rel));
  const misplaced = executables.filter((file) => dirnameOf(file.rel) !== BACKEND_PLUGIN_DIR);
  if (misplaced.length > 0) {
    throw new Error(
      `cannot package ${distDir}: ${misplaced.map((file) => file.rel).join(', ')} must be in ${BACKEND_PLUGIN_DIR}/, ` +
        "beside the data source's plugin.json, where Grafana looks for them"
    );
  }
  const rel = `${BACKEND_PLUGIN_DIR}/plugin.json`;
  const json = join(distDir, rel);
  const meta = JSON.parse(readFileSync(json, 'utf8'));
  if (executables.length === 0) {
    if (meta.backend || meta.executable) {
      throw new Error(
        `cannot package ${distDir}: ${rel} declares a backend but no ${BACKEND_EXECUTABLE}_<os>_<arch> is beside it, ` +
          'and Grafana drops a plugin whose backend cannot start'
      );
    }
    return new Map();
  }
  // The data source's own managed account reads the app's settings (docs/architecture.md, "The app's settings").
  const declared = {
    ...meta,
    backend: true,
    alerting: true,
    executable: BACKEND_EXECUTABLE,
    iam: { permissions: DATASOURCE_IAM_PERMISSIONS },
  };
  // The app runs the same executable for the recalibration (docs/architecture.md, "Recalibration inside Grafana"):
  // Grafana starts <app dir>/<executable>_<os>_<arch>, joined and cleaned (pkg/plugins/plugins.go executablePath), so
  // the app names the data source's copy instead of carrying a second ~100 MB one per platform.
  const app = JSON.parse(readFileSync(join(distDir, 'plugin.json'), 'utf8'));
  const appDeclared = {
    ...app,
    backend: true,
    executable: `${BACKEND_PLUGIN_DIR}/${BACKEND_EXECUTABLE}`,
    iam: { permissions: RECALIBRATION_PERMISSIONS },
  };
  return new Map([
    [rel, Buffer.from(`${JSON.stringify(declared, null, 2)}\n`)],
    ['plugin.json', Buffer.from(`${JSON.stringify(appDeclared, null, 2)}\n`)],
  ]);
}

/**
 * What the service account Grafana manages for the app may do (the `iam` block; used only with Grafana's
 * `externalServiceAccounts` feature): read and write alert rules through the provisioning API (organisation-wide
 * actions, pkg/services/ngalert/api/authorization.go), see folders and query data sources for the history (scoped
 * actions need a scope, pkg/services/accesscontrol/evaluator.go).
 */
const RECALIBRATION_PERMISSIONS = [
  { action: 'alert.rules.provisioning:read' },
  { action: 'alert.rules.provisioning:write' },
  { action: 'folders:read', scope: 'folders:*' },
  { action: 'datasources:query', scope: 'datasources:*' },
];

/** The declarations that differ from what dist/ holds: none once `--declare-backend` has written them into dist/. */
function changedDeclarations(distDir: string, files: TreeEntry[]): Map<string, Buffer> {
  return new Map(
    [...backendDeclaration(distDir, files)].filter(([rel, body]) => !body.equals(readFileSync(join(distDir, rel))))
  );
}

/** Writes the backend declarations into dist/ itself, so that a signature made afterwards covers them. */
export function declareBackend(distDir: string): string[] {
  const replaced = changedDeclarations(resolve(distDir), listTree(resolve(distDir)));
  for (const [rel, body] of replaced) {
    writeFileSync(join(resolve(distDir), rel), body);
  }
  return [...replaced.keys()];
}

const dirnameOf = (rel: string) => (rel.includes('/') ? rel.slice(0, rel.lastIndexOf('/')) : '');

interface ZipRecord {
  name: Buffer;
  method: 0 | 8;
  body: Buffer;
  crc: number;
  size: number;
  externalAttributes: number;
  time: Date;
  offset: number;
}

const UTF8_NAMES = 0x0800;
const MADE_BY_UNIX_ZIP30 = (3 << 8) | 30;

function guardZip32(record: ZipRecord, offset: number): void {
  // Plain zip (no Zip64): every size and offset must fit 32 bits. A plugin is far below that.
  if (record.size > 0xffffffff || record.body.length > 0xffffffff || offset > 0xffffffff) {
    throw new Error(`${record.name.toString()}: archive past 4 GiB needs Zip64, which this packer does not write`);
  }
}

function versionNeeded(record: ZipRecord): number {
  return record.method === 8 ? 20 : 10;
}

function flags(record: ZipRecord): number {
  return /^[\x20-\x7e]*$/.test(record.name.toString('latin1')) ? 0 : UTF8_NAMES;
}

/** MS-DOS date and time in local time, as zip writes them (two-second resolution, from 1980). */
function dosDateTime(date: Date): { time: number; date: number } {
  const year = Math.max(1980, Math.min(2107, date.getFullYear()));
  return {
    time: (date.getHours() << 11) | (date.getMinutes() << 5) | Math.floor(date.getSeconds() / 2),
    date: ((year - 1980) << 9) | ((date.getMonth() + 1) << 5) | date.getDate(),
  };
}

/** The fields a local header (from byte 4) and a central header (from byte 6) share, in the same order. */
function writeSharedFields(header: Buffer, at: number, record: ZipRecord): void {
  const { time, date } = dosDateTime(record.time);
  header.writeUInt16LE(versionNeeded(record), at);
  header.writeUInt16LE(flags(record), at + 2);
  header.writeUInt16LE(record.method, at + 4);
  header.writeUInt16LE(time, at + 6);
  header.writeUInt16LE(date, at + 8);
  header.writeUInt32LE(record.crc, at + 10);
  header.writeUInt32LE(record.body.length, at + 14);
  header.writeUInt32LE(record.size, at + 18);
  header.writeUInt16LE(record.name.length, at + 22);
}

function localHeader(record: ZipRecord): Buffer {
  const header = Buffer.alloc(30);
  header.writeUInt32LE(0x04034b50, 0);
  writeSharedFields(header, 4, record);
  header.writeUInt16LE(0, 28); // extra field length
  return Buffer.concat([header, record.name]);
}

function centralHeader(record: ZipRecord): Buffer {
  const header = Buffer.alloc(46);
  header.writeUInt32LE(0x02014b50, 0);
  header.writeUInt16LE(MADE_BY_UNIX_ZIP30, 4);
  writeSharedFields(header, 6, record);
  header.writeUInt16LE(0, 30); // extra field length
  header.writeUInt16LE(0, 32); // comment length
  header.writeUInt16LE(0, 34); // disk number
  header.writeUInt16LE(0, 36); // internal attributes
  header.writeUInt32LE(record.externalAttributes, 38);
  header.writeUInt32LE(record.offset, 42);
  return Buffer.concat([header, record.name]);
}

function endOfCentralDirectory(count: number, size: number, offset: number): Buffer {
  if (count > 0xffff) {
    throw new Error(`${count} entries need Zip64, which this packer does not write`);
  }
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(0, 4);
  end.writeUInt16LE(0, 6);
  end.writeUInt16LE(count, 8);
  end.writeUInt16LE(count, 10);
  end.writeUInt32LE(size, 12);
  end.writeUInt32LE(offset, 16);
  end.writeUInt16LE(0, 20);
  return end;
}

function main(): void {
  const { values } = parseArgs({
    options: {
      dist: { type: 'string', default: 'dist' },
      out: { type: 'string', default: 'artifacts' },
      'declare-backend': { type: 'boolean', default: false },
    },
  });
  if (values['declare-backend']) {
    const written = declareBackend(values.dist!);
    console.log(written.length > 0 ? `declared the backend in ${written.join(', ')}` : 'nothing to declare');
    return;
  }
  const packageVersion: string = JSON.parse(readFileSync(resolve(__dirname, '../package.json'), 'utf8')).version;
  const result = packagePlugin({ distDir: values.dist!, outDir: values.out!, expectedVersion: packageVersion });
  const mib = (result.bytes / 1024 / 1024).toFixed(1);
  console.log(`${relative(process.cwd(), result.zipPath)}  ${result.entries} entries, ${mib} MiB`);
  console.log(`${relative(process.cwd(), result.sha1Path)}  ${result.sha1}`);
}

runIfMain(module, main);
