/**
 * The Fragmentation page of the built app against 12 hours of simulated fleet history in a real Prometheus: the
 * summary stats, the node × GPU grid with its tooltip, the jobs that fit, FGD over time and the defragmentation
 * plan, in both themes. Numbers are checked against the simulator's own ground truth at the last sample.
 */
import { panel, problemsOf, readNumber, waitForPanelsLoaded, waitForText } from './harness/assertions';
import { harnessOverFleet } from './harness/fleetHarness';
import { screenshot, type Theme } from './harness';

const FRAGMENTATION_PATH = '/a/headroom-capacity-app/fragmentation';
// 12 hours of 5-minute samples ending at a fixed time, as the other page tests use: stable dates in screenshots.
const HISTORY = { endSeconds: Date.UTC(2025, 5, 2, 12, 0, 0) / 1000, days: 0.5, stepSeconds: 300 };

const context = harnessOverFleet(HISTORY);

describe.each(['dark', 'light'] as Theme[])('Fragmentation page (%s theme)', (theme) => {
  it('shows the free GPUs the simulator holds free, GPU by GPU, with what fits and the plan', async () => {
    const { truth, timeRange } = context.fleet!;
    context.harness!.server.notFound.length = 0;
    const watched = await context.harness!.open(FRAGMENTATION_PATH, timeRange, theme);
    const { page } = watched;
    try {
      await page.getByRole('heading', { name: 'Fragmentation', exact: true }).waitFor();
      // Whole GPUs are held entirely or not at all: free = allocatable whole GPUs − those running pods hold.
      const freeGpus = truth.allocatableWholeGpus - truth.atEnd.allocatedGpus;
      expect(freeGpus).toBeGreaterThan(0);
      expect(await readNumber(panel(page, 'Free GPUs'), 'GPUs')).toBe(freeGpus);
      expect(await readNumber(panel(page, 'Fully free'), 'GPUs')).toBe(freeGpus);
      const fragmented = await readNumber(panel(page, 'Fragmented'), '%');
      expect(fragmented).toBeGreaterThanOrEqual(0);
      expect(fragmented).toBeLessThanOrEqual(100);
      // The same FGD in GPUs: the share of the free GPUs (both stats rounded to one decimal).
      const fragmentedGpus = await readNumber(panel(page, 'Fragmented GPUs'), 'GPUs');
      expect(Math.abs(fragmentedGpus - (fragmented / 100) * freeGpus)).toBeLessThan(0.06);

      // The grid: one cell per GPU, free cells as many as free GPUs, one cell per MIG GPU.
      const grid = panel(page, 'GPUs by node');
      await grid.getByTestId('headroom-gpu-grid').waitFor();
      const cells = grid.getByTestId('headroom-gpu-cell');
      expect(await cells.count()).toBe(truth.totalGpus);
      expect(await grid.locator('[data-testid="headroom-gpu-cell"][data-state="free"]').count()).toBe(freeGpus);
      const migGpus = truth.nodes.filter((n) => n.mig).reduce((sum, n) => sum + n.gpuCount, 0);
      expect(await grid.locator('[data-testid="headroom-gpu-cell"][data-state="mig"]').count()).toBe(migGpus);
      // 1-GPU jobs that fit (CPU ignored) are the fully free GPUs.
      await waitForText(grid.getByTestId('headroom-jobs-fit'), new RegExp(`1-GPU job\\s*${freeGpus}\\b`));

      // Hovering a MIG GPU names its node and lists its instances.
      const migCell = grid.locator('[data-testid="headroom-gpu-cell"][data-state="mig"]').first();
      await migCell.hover();
      const tooltip = page.getByTestId('headroom-gpu-tooltip');
      await waitForText(tooltip, /gpu-a100-mig\S* · GPU \d[\s\S]*Instances[\s\S]*3g\.40gb/);

      await waitForText(panel(page, 'Jobs that fit now'), /m\d+: \d+ GPUs?, \d+ cores/);
      await waitForText(panel(page, 'Defragmentation'), /Makes room for/);
      await waitForText(panel(page, 'Fragmentation over time'), /Fragmented \(% of free\)/);
      await waitForPanelsLoaded(page);
      await page.mouse.move(0, 0);
      await screenshot(page, `fragmentation-page-${theme}`);
      await migCell.hover();
      await screenshot(page, `fragmentation-page-tooltip-${theme}`);
      expect(problemsOf(watched, context.harness!.server.notFound)).toEqual([]);
    } catch (error) {
      await screenshot(page, `fragmentation-page-${theme}-failed`);
      console.error(
        `Fragmentation page showed:\n${await page.locator('body').innerText()}\nProblems: ${problemsOf(watched, context.harness!.server.notFound).join('\n')}`
      );
      throw error;
    } finally {
      await page.close();
    }
  });
});
