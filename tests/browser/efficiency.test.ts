/**
 * The Efficiency page of the built app against twelve hours of simulated fleet history in a real Prometheus: the
 * waste stats and table, the MFU distribution and the budget burn, in both themes. The numbers are checked against
 * the simulator's own record of which pod held which GPU when and how busy it was, not against the analysis code.
 */
import { PUBLISHED_GPU_PRICES } from '../../src/engine/efficiency/priceCatalog';
import { efficiencyPanelTitles } from '../../src/pages/Efficiency/efficiencyText';
import { defaultFleetSpec } from '../../src/simulator/defaultFleet';
import { GPU_MODELS } from '../../src/simulator/gpuCatalog';
import { activityAt } from '../../src/simulator/signals';
import { FleetSimulation, TICK_SECONDS } from '../../src/simulator/simulation';
import { sampleTimes, simulationStartSeconds } from '../../src/simulator/window';
import { dollars, panel, problemsOf, readNumber, waitForPanelsLoaded, waitForText } from './harness/assertions';
import { startSimulatedFleet, type SimulatedFleet } from './harness/fleet';
import { screenshot, startHarness, type Harness, type Theme } from './harness';

const EFFICIENCY_PATH = '/a/headroom-capacity-app/efficiency';
/** The harness fleet (harness/fleet.ts): 24 GPUs, seed 7, 12 hours at 5-minute samples ending 2025-06-02 12:00. */
const FLEET = { gpuCount: 24, seed: 7 };
const END_SECONDS = Date.UTC(2025, 5, 2, 12, 0, 0) / 1000;
const DAYS = 0.5;
const STEP_SECONDS = 300;
const MONTHLY_BUDGET = 20_000;
const IDLE_WINDOW_SECONDS = 6 * 3600;

interface PodTruth {
  name: string;
  gpus: number;
  modelName: string;
  /** Share of the pod's samples in the last 6 h under 5 % activity; undefined without samples there. */
  idleShare?: number;
}

/** What the simulator did: each pod's GPUs, model and idle share; GPUs held per model at each hourly sample. */
function simulatorTruth() {
  const spec = defaultFleetSpec(FLEET);
  const times = sampleTimes(END_SECONDS, DAYS, STEP_SECONDS);
  const lastSeconds = times.firstSeconds + (times.count - 1) * STEP_SECONDS;
  const sim = new FleetSimulation(spec, simulationStartSeconds(END_SECONDS, DAYS));
  sim.advanceTo(Math.floor(lastSeconds / TICK_SECONDS));
  const sampleSeconds = Array.from({ length: times.count }, (_, j) => times.firstSeconds + j * STEP_SECONDS);
  const holds = (pod: (typeof sim.pods)[number], t: number) =>
    pod.startTick >= 0 && pod.startTick * TICK_SECONDS <= t && t < pod.endTick * TICK_SECONDS;
  const modelOf = (pod: (typeof sim.pods)[number]) => GPU_MODELS[sim.layout.nodes[pod.node].model].modelName;
  const pods: PodTruth[] = sim.pods
    .filter((pod) => sampleSeconds.some((t) => holds(pod, t)))
    .map((pod) => {
      const window = sampleSeconds.filter((t) => t > lastSeconds - IDLE_WINDOW_SECONDS && holds(pod, t));
      const idle = window.filter((t) => activityAt(sim, pod, t) < 0.05).length;
      return {
        name: pod.name,
        gpus: pod.slots.length,
        modelName: modelOf(pod),
        idleShare: window.length > 0 ? idle / window.length : undefined,
      };
    });
  // Month-to-date: each hourly instant with a sample stands for the hour after it (01:00 … 11:00; the first sample is
  // at 00:05, the one at 12:00 is now and adds nothing yet), a MIG instance for its share of the physical GPU.
  const price = new Map(PUBLISHED_GPU_PRICES.map((p) => [p.gpuModel, p.onDemandPerGpuHour]));
  const gpuEquivalents = (pod: (typeof sim.pods)[number]) =>
    pod.slots.reduce((sum, slot) => sum + sim.layout.slots[slot].computeShare, 0);
  let monthToDate = 0;
  for (const t of sampleSeconds.filter((s) => s % 3600 === 0 && s < lastSeconds)) {
    for (const pod of sim.pods.filter((p) => holds(p, t))) {
      monthToDate += gpuEquivalents(pod) * price.get(modelOf(pod))!;
    }
  }
  return { pods, monthToDate, lastSeconds };
}

let fleet: SimulatedFleet | undefined;
let harness: Harness | undefined;
const truth = simulatorTruth();

beforeAll(async () => {
  fleet = await startSimulatedFleet();
  harness = await startHarness({ prometheusUrl: fleet.prometheusUrl, appJsonData: { monthlyBudget: MONTHLY_BUDGET } });
}, 150_000);

afterAll(async () => {
  await harness?.close();
  await fleet?.stop();
});

describe.each(['dark', 'light'] as Theme[])('Efficiency page (%s theme)', (theme) => {
  it('shows waste, idle pods, the MFU distribution and the burn the simulator implies, without console errors', async () => {
    harness!.server.notFound.length = 0;
    expect(fleet!.truth.lastSampleSeconds).toBe(truth.lastSeconds);
    const watched = await harness!.open(EFFICIENCY_PATH, { ...fleet!.timeRange }, theme);
    const { page } = watched;
    try {
      await page.getByRole('heading', { name: 'Efficiency', exact: true }).waitFor();
      const table = panel(page, efficiencyPanelTitles().waste).getByTestId('headroom-efficiency-waste-table');
      await table.waitFor({ timeout: 60_000 });
      await waitForPanelsLoaded(page);

      // Idle pods: every pod the simulator kept ≥ 95 % idle in the last 6 h is flagged, none under 85 % is. The
      // page samples every 60 s where the history has 5-minute samples, so shares near the 90 % rule may differ.
      const rows = await table.locator('tbody tr').evaluateAll((trs) =>
        trs.map((tr) => ({
          pod: (tr as HTMLTableRowElement).cells[0].innerText.trim(),
          text: (tr as HTMLTableRowElement).innerText,
        }))
      );
      const flagged = new Set(
        rows.filter((r) => /\bidle\b/.test(r.text.replace('memory held while idle', ''))).map((r) => r.pod)
      );
      const clearlyIdle = truth.pods.filter((p) => (p.idleShare ?? 0) >= 0.95).map((p) => p.name);
      const clearlyBusy = truth.pods.filter((p) => p.idleShare !== undefined && p.idleShare < 0.85).map((p) => p.name);
      expect(clearlyIdle.length).toBeGreaterThan(0);
      for (const pod of clearlyIdle) {
        expect([pod, flagged.has(pod)]).toEqual([pod, true]);
      }
      for (const pod of clearlyBusy) {
        expect([pod, flagged.has(pod)]).toEqual([pod, false]);
      }
      const idleStat = await readNumber(panel(page, efficiencyPanelTitles().idlePods), 'pods');
      expect(idleStat).toBe(flagged.size);
      expect(rows.map((r) => r.pod).sort()).toEqual(truth.pods.map((p) => p.name).sort());

      // Allocated GPU-hours: each pod's GPUs × the time it held them within the 12 h (5-minute resolution).
      const allocated = await readNumber(panel(page, efficiencyPanelTitles().allocated), 'GPU-h');
      const busy = await readNumber(panel(page, efficiencyPanelTitles().busy), 'GPU-h');
      expect(busy).toBeGreaterThan(0);
      expect(busy).toBeLessThan(allocated);
      const heldGpuHours = truth.pods.reduce((sum, p) => sum + p.gpus, 0);
      expect(allocated).toBeLessThanOrEqual(heldGpuHours * 12);
      expect(dollars(await panel(page, efficiencyPanelTitles().wasted).innerText())).toBeGreaterThan(0);

      // Month to date: GPUs held at each hourly sample × the on-demand list price, against the budget.
      const monthToDate = dollars(await panel(page, efficiencyPanelTitles().monthToDate).innerText());
      expect(Math.abs(monthToDate - truth.monthToDate) / truth.monthToDate).toBeLessThan(0.01);
      await waitForText(panel(page, efficiencyPanelTitles().budgetShare), /\d+\s*%/);
      await waitForText(panel(page, efficiencyPanelTitles().burn), /Budget/);
      // The simulated fleet has no spot-labelled nodes: the spot stat says so rather than showing 0 %.
      await waitForText(panel(page, efficiencyPanelTitles().spot), /no spot nodes found/);

      // The MFU estimate: one bar per tenth of peak, labelled as an estimate.
      await waitForText(
        panel(page, efficiencyPanelTitles().mfu),
        /tensor activity × SM clock \/ max clock\), \d+ pods/
      );
      await screenshot(page, `efficiency-page-${theme}`);
      expect(problemsOf(watched, harness!.server.notFound)).toEqual([]);
    } catch (error) {
      await screenshot(page, `efficiency-page-${theme}-failed`);
      console.error(
        `Efficiency page showed:\n${await page.locator('body').innerText()}\nProblems: ${problemsOf(watched, harness!.server.notFound).join('\n')}`
      );
      throw error;
    } finally {
      await page.close();
    }
  });
});
