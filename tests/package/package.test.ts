/**
 * `npm run package` on the built plugin (dist/, built by `npm run test:all` before jest): the archive is read back with
 * Go's archive/zip (tests/package/zipread), the reader of Grafana's plugin installer and of Grafana's plugin
 * validator, and must hold exactly dist/ under one folder named after the plugin id, with Grafana's checksum file.
 *
 * Grafana's plugin validator itself (plugincheck2) cannot be built on this project's machines: the Go module proxy
 * here refuses github.com/grafana/plugin-validator. The last block checks, on the same archive, the rules of the
 * validator's offline analyzers that a change in this repository could break (read from the validator's source).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { packagePlugin, PackageResult } from '../../scripts/package';

const REPO_ROOT = path.resolve(__dirname, '../..');
const DIST = path.join(REPO_ROOT, 'dist');
const PACKAGE_VERSION: string = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).version;

interface ZipEntry {
  name: string;
  isDir: boolean;
  perm: number;
  method: number;
  size: number;
  sha256?: string;
}

interface PluginJson {
  id: string;
  type: string;
  name: string;
  info: {
    description?: string;
    keywords?: string[];
    version?: string;
    updated?: string;
    logos?: { small?: string; large?: string };
    screenshots?: Array<{ name?: string; path?: string }>;
  };
  includes?: Array<{ type?: string; path?: string }>;
  dependencies?: { grafanaDependency?: string };
}

/** Go from PATH, else where Debian machines of this project have it (.ci/run adds it to PATH too). */
function goBinary(): string {
  for (const candidate of ['go', '/usr/local/go/bin/go']) {
    try {
      execFileSync(candidate, ['version'], { stdio: 'ignore' });
      return candidate;
    } catch {
      // try the next one
    }
  }
  throw new Error('Go is needed to read the archive the way Grafana does: install it at /usr/local/go');
}

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** Every file and folder below dir, as '/'-separated paths relative to it. */
function tree(dir: string, prefix = ''): Array<{ rel: string; isDir: boolean }> {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const rel = `${prefix}${d.name}`;
    const isDir = statSync(path.join(dir, d.name)).isDirectory();
    return isDir ? [{ rel, isDir }, ...tree(path.join(dir, d.name), `${rel}/`)] : [{ rel, isDir }];
  });
}

let outDir: string;
let result: PackageResult;
let entries: ZipEntry[];
let extracted: Map<string, Buffer>;

beforeAll(() => {
  if (!existsSync(path.join(DIST, 'plugin.json'))) {
    throw new Error('dist/ is missing: `npm run build` first (npm run test:all does)');
  }
  outDir = mkdtempSync(path.join(tmpdir(), 'headroom-package-'));
  result = packagePlugin({ distDir: DIST, outDir, expectedVersion: PACKAGE_VERSION });
  // Go keeps its build cache in ~/.cache/go-build (a clean cache costs ~30 s here, a warm one well under 1 s).
  const env = { ...process.env };
  if (!env.GOCACHE && !env.HOME && !env.XDG_CACHE_HOME) {
    env.GOCACHE = path.join(REPO_ROOT, 'node_modules/.cache/go-build');
  }
  const json = execFileSync(goBinary(), ['run', path.join(__dirname, 'zipread/main.go'), result.zipPath], {
    encoding: 'utf8',
    env,
    maxBuffer: 64 * 1024 * 1024,
  });
  entries = JSON.parse(json);
  // The small text files the rules below read, taken from dist/ once their archive copies are shown identical.
  extracted = new Map();
  for (const entry of entries) {
    if (!entry.isDir && /(^|\/)(plugin\.json|README\.md|CHANGELOG\.md|LICENSE|module\.js)$/.test(entry.name)) {
      extracted.set(entry.name, readFileSync(path.join(DIST, entry.name.slice(result.pluginId.length + 1))));
    }
  }
});

afterAll(() => {
  if (outDir) {
    rmSync(outDir, { recursive: true, force: true });
  }
});

describe('npm run package', () => {
  it('names the archive <plugin id>-<version>.zip after dist/plugin.json, at package.json version', () => {
    const meta: PluginJson = JSON.parse(readFileSync(path.join(DIST, 'plugin.json'), 'utf8'));
    expect(result.pluginId).toBe(meta.id);
    expect(result.version).toBe(PACKAGE_VERSION);
    expect(path.basename(result.zipPath)).toBe(`${meta.id}-${PACKAGE_VERSION}.zip`);
  });

  it('writes <archive>.sha1 holding the archive’s SHA-1 alone, as grafana/plugin-actions does', () => {
    expect(path.basename(result.sha1Path)).toBe(`${path.basename(result.zipPath)}.sha1`);
    const digest = createHash('sha1').update(readFileSync(result.zipPath)).digest('hex');
    expect(readFileSync(result.sha1Path, 'utf8')).toBe(`${digest}\n`);
    expect(result.sha1).toBe(digest);
  });

  it('holds one top folder named after the plugin id, its own directory entry first', () => {
    expect(entries[0]).toMatchObject({ name: `${result.pluginId}/`, isDir: true });
    const outside = entries.filter((e) => !e.name.startsWith(`${result.pluginId}/`));
    expect(outside).toEqual([]);
    expect(entries.some((e) => e.name.startsWith(`${result.pluginId}/dist/`))).toBe(false);
  });

  it('holds exactly dist/, byte for byte and with its permissions, folders as entries of their own', () => {
    const prefix = `${result.pluginId}/`;
    const fromZip = entries
      .slice(1)
      .map((e) => ({ rel: e.isDir ? e.name.slice(prefix.length, -1) : e.name.slice(prefix.length), isDir: e.isDir }));
    const fromDist = tree(DIST);
    const key = (x: { rel: string; isDir: boolean }) => `${x.isDir ? 'd' : 'f'} ${x.rel}`;
    expect(fromZip.map(key).sort()).toEqual(fromDist.map(key).sort());
    for (const entry of entries.slice(1)) {
      const onDisk = path.join(DIST, entry.name.slice(prefix.length));
      expect({ name: entry.name, perm: entry.perm }).toEqual({ name: entry.name, perm: statSync(onDisk).mode & 0o777 });
      if (!entry.isDir) {
        expect({ name: entry.name, sha256: entry.sha256 }).toEqual({ name: entry.name, sha256: sha256(onDisk) });
      }
    }
  });

  it('keeps the source maps, as Grafana’s packaging and its validator’s source-map check expect', () => {
    const moduleDirs = entries
      .filter((e) => e.name.endsWith('/module.js'))
      .map((e) => e.name.slice(0, -'module.js'.length));
    expect(moduleDirs.length).toBeGreaterThanOrEqual(2);
    for (const dir of moduleDirs) {
      expect(entries.map((e) => e.name)).toContain(`${dir}module.js.map`);
    }
  });

  it('deflates text and stores what deflate cannot shrink', () => {
    const moduleJs = entries.find((e) => e.name === `${result.pluginId}/module.js`);
    expect(moduleJs?.method).toBe(8);
    expect(entries.filter((e) => e.isDir).every((e) => e.method === 0 && e.size === 0)).toBe(true);
  });

  it('refuses a dist/ whose plugin.json still holds the build’s template variables', () => {
    const fake = mkdtempSync(path.join(tmpdir(), 'headroom-package-fake-'));
    try {
      const meta = JSON.parse(readFileSync(path.join(DIST, 'plugin.json'), 'utf8'));
      meta.info.version = '%VERSION%';
      writeFileSync(path.join(fake, 'plugin.json'), JSON.stringify(meta));
      expect(() => packagePlugin({ distDir: fake, outDir: fake })).toThrow(/%VERSION%/);
    } finally {
      rmSync(fake, { recursive: true, force: true });
    }
  });
});

describe('the archive against the plugin validator’s offline rules', () => {
  const text = (name: string) => {
    const body = extracted.get(`${result.pluginId}/${name}`);
    if (!body) {
      throw new Error(`${name} is not in the archive`);
    }
    return body.toString('utf8');
  };
  const pluginJsons = () =>
    [...extracted.keys()]
      .filter((name) => name.endsWith('/plugin.json'))
      .map((name) => ({
        rel: name.slice(result.pluginId.length + 1),
        json: JSON.parse(text(name.slice(result.pluginId.length + 1))) as PluginJson,
      }));

  it('readme, templatereadme, jargon: a README.md of the plugin’s own, without developer jargon', () => {
    const readme = text('README.md');
    expect(readme.trim().length).toBeGreaterThan(0);
    expect(readme).not.toMatch(/^# Grafana (Panel|Data Source|Data Source Backend) Plugin Template/);
    expect(readme).not.toMatch(/yarn|nodejs/);
  });

  it('changelog: CHANGELOG.md is there and not empty', () => {
    expect(text('CHANGELOG.md').trim().length).toBeGreaterThan(0);
  });

  it('license: LICENSE is the Apache License 2.0', () => {
    expect(text('LICENSE')).toMatch(/^\s*Apache License\s+Version 2\.0, January 2004/);
  });

  it('modulejs: every plugin.json has a module.js beside it', () => {
    for (const { rel } of pluginJsons()) {
      expect([...extracted.keys()]).toContain(`${result.pluginId}/${rel.replace(/plugin\.json$/, 'module.js')}`);
    }
  });

  it('every plugin.json declares the languages its source does, with a catalog for each under its own id', () => {
    // Grafana lists a plugin's translation files from its plugin.json `languages` (pkg/plugins/assetpath
    // GetTranslations, docs/grafana-compatibility.md "Plugin translations"): a build that loses them loses the catalog.
    for (const { rel, json } of pluginJsons()) {
      const source = JSON.parse(readFileSync(path.join('src', rel), 'utf8')) as { languages?: string[] };
      const declared = (json as { languages?: string[] }).languages;
      expect({ rel, languages: declared }).toEqual({ rel, languages: source.languages });
      for (const language of declared ?? []) {
        const catalog = rel.replace(/plugin\.json$/, `locales/${language}/${json.id}.json`);
        expect(entries.map((entry) => entry.name)).toContain(`${result.pluginId}/${catalog}`);
      }
    }
  });

  it('legacyplatform, trackingscripts: no module.js carries an Angular marker or a tracking script', () => {
    const markers = [
      'PanelCtrl',
      'QueryCtrl',
      'app/plugins/',
      'angular.isNumber(',
      'editor.html',
      'ctrl.annotation',
      'getLegacyAngularInjector',
      'System.register(',
      'app/core/core_module',
      'app/core/utils/promiseToDigest',
      'https://www.google-analytics.com',
      'https://api-js.mixpanel.com',
      'https://mixpanel.com',
    ];
    for (const [name, body] of extracted) {
      if (name.endsWith('/module.js')) {
        const source = body.toString('utf8');
        expect({ name, found: markers.filter((m) => source.includes(m)) }).toEqual({ name, found: [] });
        expect(source).not.toMatch(/from\s+['"]grafana\/app\//);
      }
    }
  });

  it('metadatavalid, discoverability, pluginname, typesuffix: the app’s plugin.json has what the schema and catalog need', () => {
    const app = JSON.parse(text('plugin.json')) as PluginJson;
    expect(app.id).toMatch(/^[0-9a-z]+-([0-9a-z]+-)?app$/);
    expect(app.name).not.toBe(app.id);
    expect(app.info.version).toBe(PACKAGE_VERSION);
    expect(app.info.updated).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(app.info.keywords?.length).toBeGreaterThan(0);
    expect(app.info.description?.trim().length).toBeGreaterThan(0);
    expect(app.dependencies?.grafanaDependency).toMatch(/^>=\d+\.\d+\.\d+/);
  });

  it('nestedmetadata, includesnested: each nested plugin is declared in the app’s includes with its own type', () => {
    const all = pluginJsons();
    const app = all.find((p) => p.rel === 'plugin.json')!.json;
    const nested = all.filter((p) => p.rel !== 'plugin.json');
    expect(nested.length).toBeGreaterThan(0);
    for (const { rel, json } of nested) {
      const include = app.includes?.find((i) => i.path === rel);
      expect({ rel, type: include?.type }).toEqual({ rel, type: json.type });
      expect(json.id.endsWith(`-${json.type}`)).toBe(true);
      expect({ rel, version: json.info.version }).toEqual({ rel, version: PACKAGE_VERSION });
    }
  });

  it('logos, screenshots, metadatapaths: image paths are set and relative to their plugin.json', () => {
    for (const { rel, json } of pluginJsons()) {
      const paths = [
        json.info.logos?.small,
        json.info.logos?.large,
        ...(json.info.screenshots ?? []).map((s) => s.path),
      ];
      for (const p of paths) {
        expect({ rel, path: p }).toEqual({ rel, path: expect.stringMatching(/^[^./][^:]*$/) });
      }
    }
  });

  it("the app's catalog screenshots are PNG files inside the archive, one per page", () => {
    const app = pluginJsons().find(({ rel }) => rel === 'plugin.json')!.json;
    const screenshots = app.info.screenshots ?? [];
    expect(screenshots.length).toBeGreaterThanOrEqual(6);
    const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    for (const screenshot of screenshots) {
      expect(screenshot.name).toBeTruthy();
      const entry = entries.find((e) => e.name === `${result.pluginId}/${screenshot.path}`);
      const png = readFileSync(path.join(DIST, screenshot.path ?? ''))
        .subarray(0, 8)
        .equals(PNG_SIGNATURE);
      expect({ path: screenshot.path, inArchive: entry !== undefined && entry.size > 0, png }).toEqual({
        path: screenshot.path,
        inArchive: true,
        png: true,
      });
    }
  });
});
