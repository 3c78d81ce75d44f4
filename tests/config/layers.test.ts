/** @jest-environment node */
// The layer rules of eslint/layers.mjs, run through the repository's own ESLint config on probe files that break
// them and on probe files that keep them. The probes are written into the layers for one ESLint run, because the
// rules are about where a file sits, and type-aware parsing needs the file on disk.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const REPO_ROOT = path.resolve(__dirname, '../..');
const LAYER_RULES = new Set(['boundaries/dependencies', 'no-restricted-imports']);

/** Probe file (path under the repository) → its source. */
const PROBES: Record<string, string> = {
  'src/engine/layerProbeUpward.ts': [
    "import { createCatalog } from '../prometheus/catalog';",
    "import { PLUGIN_ID } from '../constants';",
    "import { readFileSync } from 'node:fs';",
    "import { getBackendSrv } from '@grafana/runtime';",
    'export const used = [createCatalog, PLUGIN_ID, readFileSync, getBackendSrv];',
  ].join('\n'),
  'src/datasource/layerProbeUpward.ts': [
    "import { ROUTES } from '../constants';",
    "import App from '../pages/App/App';",
    "import { readFileSync } from 'fs';",
    "import { protocolServices } from '../backend/protocol';",
    'export const used = [ROUTES, App, readFileSync, protocolServices];',
  ].join('\n'),
  'src/alerting/layerProbeSideways.ts': [
    "import { UsageError } from '../cli/args';",
    "import { Worker } from 'node:worker_threads';",
    "import { createCatalog } from '../prometheus/catalog';",
    'export const used = [UsageError, Worker, createCatalog];',
  ].join('\n'),
  'src/backend/layerProbeAllowed.ts': [
    "import { readFileSync } from 'node:fs';",
    "import { createCatalog } from '../prometheus/catalog';",
    "import { PLUGIN_ID } from '../constants';",
    "import { createDataFrame } from '@grafana/data';",
    "import { inventoryFrames } from '../datasource/inventoryFrames';",
    'export const used = [readFileSync, createCatalog, PLUGIN_ID, createDataFrame, inventoryFrames];',
  ].join('\n'),
  'src/frames/layerProbeBrowserAndNode.ts': [
    "import { fetchInventory } from '../prometheus/inventory';",
    "import { createDataFrame } from '@grafana/data';",
    "import { readFileSync } from 'node:fs';",
    "import { toDataFrame } from '../datasource/frameValues';",
    'export const used = [fetchInventory, createDataFrame, readFileSync, toDataFrame];',
  ].join('\n'),
  'src/cli/layerProbeAllowed.ts': [
    "import { readFileSync } from 'node:fs';",
    "import { createCatalog } from '../prometheus/catalog';",
    "import { learnBand } from '../engine/thresholds';",
    "import { PLUGIN_ID } from '../constants';",
    'export const used = [readFileSync, createCatalog, learnBand, PLUGIN_ID];',
  ].join('\n'),
};

/** `file:line` of every layer-rule problem ESLint reports on the probes. */
function layerProblems(): string[] {
  const written: string[] = [];
  const report = path.join(mkdtempSync(path.join(tmpdir(), 'headroom-layers-')), 'eslint.json');
  try {
    for (const [file, source] of Object.entries(PROBES)) {
      writeFileSync(path.join(REPO_ROOT, file), `${source}\n`);
      written.push(file);
    }
    try {
      execFileSync(
        process.execPath,
        [path.join(REPO_ROOT, 'node_modules/eslint/bin/eslint.js'), '--format', 'json', '-o', report, ...written],
        { cwd: REPO_ROOT, stdio: 'ignore' }
      );
    } catch {
      // ESLint exits 1 when it finds problems; the report says which.
    }
    const results: Array<{ filePath: string; messages: Array<{ ruleId: string | null; line: number }> }> = JSON.parse(
      readFileSync(report, 'utf8')
    );
    return results.flatMap((result) =>
      result.messages
        .filter((m) => m.ruleId !== null && LAYER_RULES.has(m.ruleId))
        .map((m) => `${path.relative(REPO_ROOT, result.filePath)}:${m.line}`)
    );
  } finally {
    written.forEach((file) => rmSync(path.join(REPO_ROOT, file), { force: true }));
    rmSync(path.dirname(report), { recursive: true, force: true });
  }
}

describe('layer rules', () => {
  jest.setTimeout(120_000);
  const problems = layerProblems();

  it('refuse imports of higher or sibling layers, of the constants from the engine, and of the backend process from anywhere', () => {
    expect(problems).toEqual(
      expect.arrayContaining([
        'src/engine/layerProbeUpward.ts:1',
        'src/engine/layerProbeUpward.ts:2',
        'src/datasource/layerProbeUpward.ts:2',
        'src/alerting/layerProbeSideways.ts:1',
        'src/datasource/layerProbeUpward.ts:4',
        'src/backend/layerProbeAllowed.ts:5',
        'src/frames/layerProbeBrowserAndNode.ts:4',
      ])
    );
  });

  it("keep Grafana out of the engine and the backend, and Node's built-ins out of code that runs in the browser", () => {
    expect(problems).toEqual(
      expect.arrayContaining([
        'src/engine/layerProbeUpward.ts:3',
        'src/engine/layerProbeUpward.ts:4',
        'src/datasource/layerProbeUpward.ts:3',
        'src/alerting/layerProbeSideways.ts:2',
        'src/backend/layerProbeAllowed.ts:4',
        'src/frames/layerProbeBrowserAndNode.ts:2',
        'src/frames/layerProbeBrowserAndNode.ts:3',
      ])
    );
  });

  it('accept what the layers allow, and nothing else is reported', () => {
    expect(problems.sort()).toEqual(
      [
        'src/alerting/layerProbeSideways.ts:1',
        'src/alerting/layerProbeSideways.ts:2',
        'src/datasource/layerProbeUpward.ts:2',
        'src/datasource/layerProbeUpward.ts:3',
        'src/datasource/layerProbeUpward.ts:4',
        'src/backend/layerProbeAllowed.ts:4',
        'src/backend/layerProbeAllowed.ts:5',
        'src/frames/layerProbeBrowserAndNode.ts:2',
        'src/frames/layerProbeBrowserAndNode.ts:3',
        'src/frames/layerProbeBrowserAndNode.ts:4',
        'src/engine/layerProbeUpward.ts:1',
        'src/engine/layerProbeUpward.ts:2',
        'src/engine/layerProbeUpward.ts:3',
        'src/engine/layerProbeUpward.ts:4',
      ].sort()
    );
  });
});
