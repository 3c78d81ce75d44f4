/**
 * Where the main thread's long tasks spend their time: the DevTools CPU profiler samples the page while it runs,
 * and the samples that fall inside the long tasks the page's Long Tasks observer reported are added up by function
 * (self and inclusive time). Plugin code is minified, so its frames are mapped back to sources through dist/*.map.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { CDPSession, Page } from 'playwright-core';
import { SourceMapConsumer } from 'source-map-js';
import { REPO_ROOT } from '../tests/browser/harness/buildHost';

/** A long task as the page's PerformanceObserver reports it (page clock, milliseconds). */
export interface LongTaskWindow {
  startMs: number;
  durationMs: number;
}

export interface FunctionTime {
  name: string;
  where: string;
  selfUs: number;
  totalUs: number;
}

export interface ProfileSummary {
  /** Sampled time inside the long tasks; close to their total duration when the clocks are aligned. */
  sampledUs: number;
  /** Of that, the time with the plugin's own code anywhere on the stack. */
  pluginUs: number;
  functions: FunctionTime[];
  /**
   * Longest first, each with the functions that spent most of it, and the time outside JavaScript (style, layout,
   * paint and other browser work show as "(program)"; garbage collection on its own).
   */
  tasks: Array<LongTaskWindow & { top: string[]; native: string[] }>;
}

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

const SAMPLING_INTERVAL_US = 1000;
const PLUGIN_PATH = /\/public\/plugins\/[^/]+\/(.+\.js)$/;
const BOOKKEEPING = new Set(['(root)', '(program)', '(idle)']);
/** Left out of the per-task lists: they are on every stack, so they say nothing about what the task did. */
const FRAMEWORK = /node_modules\/(react-dom|scheduler|rxjs)\//;
/** esbuild's unminified bundle starts each module with a comment naming its file. */
const MODULE_COMMENT = /^\s*\/\/ ((?:node_modules|tests|src)\/\S+)$/;

/** `hostBundleDir`: where the harness's own bundle (served under /harness/) lives, to name its modules. */
export async function startMainThreadProfile(page: Page, hostBundleDir: string) {
  const session = await page.context().newCDPSession(page);
  await session.send('Profiler.enable');
  await session.send('Profiler.setSamplingInterval', { interval: SAMPLING_INTERVAL_US });
  await session.send('Profiler.start');
  return {
    async stop(tasks: LongTaskWindow[]): Promise<ProfileSummary> {
      const pageClockOffsetUs = await pageClockOffset(session, page);
      const { profile } = (await session.send('Profiler.stop')) as unknown as { profile: CpuProfile };
      await session.detach();
      return summarise(profile, tasks, pageClockOffsetUs, frameLabeller(hostBundleDir));
    },
  };
}

/**
 * The profiler stamps samples on the browser's monotonic clock (microseconds), the page on `performance.now()`;
 * the CDP `Timestamp` metric reads the former. The smallest of a few paired readings bounds the round trip.
 */
export async function pageClockOffset(session: CDPSession, page: Page): Promise<number> {
  await session.send('Performance.enable');
  let best = { roundTripMs: Infinity, offsetUs: 0 };
  for (let i = 0; i < 5; i++) {
    const before = await page.evaluate(() => performance.now());
    const { metrics } = await session.send('Performance.getMetrics');
    const after = await page.evaluate(() => performance.now());
    const monotonicSeconds = metrics.find((metric) => metric.name === 'Timestamp')!.value;
    if (after - before < best.roundTripMs) {
      best = { roundTripMs: after - before, offsetUs: monotonicSeconds * 1e6 - ((before + after) / 2) * 1000 };
    }
  }
  return best.offsetUs;
}

function summarise(
  profile: CpuProfile,
  tasks: LongTaskWindow[],
  offsetUs: number,
  label: (frame: CallFrame) => { name: string; where: string }
): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  profile.nodes.forEach((node) => node.children?.forEach((child) => parent.set(child, node.id)));
  const total = new Map<string, FunctionTime>();
  const windows = tasks.map((task) => ({ ...task, functions: new Map<string, FunctionTime>() }));
  let sampledUs = 0;
  let pluginUs = 0;

  let timeUs = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    timeUs += profile.timeDeltas[i];
    const durationUs = profile.timeDeltas[i + 1] ?? SAMPLING_INTERVAL_US;
    const pageMs = (timeUs - offsetUs) / 1000;
    const task = windows.find((w) => pageMs >= w.startMs && pageMs < w.startMs + w.durationMs);
    if (!task) {
      continue;
    }
    sampledUs += durationUs;
    let pluginOnStack = false;
    const seen = new Set<string>();
    for (let id: number | undefined = profile.samples[i]; id !== undefined; id = parent.get(id)) {
      const { callFrame } = byId.get(id)!;
      pluginOnStack ||= PLUGIN_PATH.test(callFrame.url);
      const { name, where } = label(callFrame);
      const key = `${name} ${where}`;
      if (seen.has(key)) {
        continue;
      }
      for (const table of [total, task.functions]) {
        const entry = table.get(key) ?? { name, where, selfUs: 0, totalUs: 0 };
        entry.totalUs += durationUs;
        entry.selfUs += seen.size === 0 ? durationUs : 0;
        table.set(key, entry);
      }
      seen.add(key);
    }
    pluginUs += pluginOnStack ? durationUs : 0;
  }
  const bySelf = (a: FunctionTime, b: FunctionTime) => b.selfUs - a.selfUs;
  return {
    sampledUs,
    pluginUs,
    functions: [...total.values()].filter((f) => !BOOKKEEPING.has(f.name) || f.selfUs > 0).sort(bySelf),
    tasks: windows
      .sort((a, b) => b.durationMs - a.durationMs)
      .map(({ functions, ...task }) => ({
        ...task,
        native: [...functions.values()]
          .filter((f) => f.where === '' && f.selfUs > 0)
          .sort(bySelf)
          .slice(0, 3)
          .map((f) => `${f.name} ${(f.selfUs / 1000).toFixed(0)} ms`),
        top: [...functions.values()]
          .filter((f) => !BOOKKEEPING.has(f.name) && f.where !== '' && !FRAMEWORK.test(f.where))
          .sort((a, b) => b.totalUs - a.totalUs || bySelf(a, b))
          .slice(0, 6)
          .map((f) => `${f.name} ${f.where} ${(f.totalUs / 1000).toFixed(0)}/${(f.selfUs / 1000).toFixed(0)} ms`),
      })),
  };
}

/**
 * `name` and `where` of a frame: plugin frames through the build's source maps, so they name our sources; frames
 * of the harness bundle by the module they belong to.
 */
function frameLabeller(hostBundleDir: string) {
  const maps = new Map<string, SourceMapConsumer | undefined>();
  const mapFor = (file: string) => {
    if (!maps.has(file)) {
      const mapFile = path.join(REPO_ROOT, 'dist', `${file}.map`);
      maps.set(
        file,
        existsSync(mapFile) ? new SourceMapConsumer(JSON.parse(readFileSync(mapFile, 'utf8'))) : undefined
      );
    }
    return maps.get(file);
  };
  const hostModules = new Map<string, Array<{ line: number; module: string }>>();
  const hostModuleOf = (file: string, line: number) => {
    if (!hostModules.has(file)) {
      const starts: Array<{ line: number; module: string }> = [];
      const bundleFile = path.join(hostBundleDir, file);
      const lines = existsSync(bundleFile) ? readFileSync(bundleFile, 'utf8').split('\n') : [];
      lines.forEach((text, i) => {
        const module = MODULE_COMMENT.exec(text)?.[1];
        if (module) {
          starts.push({ line: i + 1, module });
        }
      });
      hostModules.set(file, starts);
    }
    const starts = hostModules.get(file)!;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      [lo, hi] = starts[mid].line <= line ? [mid, hi] : [lo, mid - 1];
    }
    return starts[lo]?.line <= line ? starts[lo].module : undefined;
  };
  return ({ functionName, url, lineNumber, columnNumber }: CallFrame) => {
    const name = functionName || '(anonymous)';
    if (!url) {
      return { name, where: '' };
    }
    const { pathname } = new URL(url);
    const pluginFile = PLUGIN_PATH.exec(pathname)?.[1];
    const original = pluginFile
      ? mapFor(pluginFile)?.originalPositionFor({ line: lineNumber + 1, column: columnNumber })
      : undefined;
    if (original?.source) {
      const source = original.source.replace(/^webpack:\/\/[^/]*\//, '').replace(/^\.\//, '');
      return { name: original.name ?? name, where: `${source}:${original.line}` };
    }
    const hostFile = pathname.startsWith('/harness/') ? pathname.slice('/harness/'.length) : undefined;
    const module = hostFile ? hostModuleOf(hostFile, lineNumber + 1) : undefined;
    return { name, where: module ? `${module} (${hostFile}:${lineNumber + 1})` : `${pathname}:${lineNumber + 1}` };
  };
}
