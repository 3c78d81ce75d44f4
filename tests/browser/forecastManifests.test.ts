/**
 * The Forecast page's "Copy manifests" in the built app, over simulated fleet history in a real Prometheus: pick a
 * format and a deployment, read the YAML the page shows, see the copy button.
 */
import { parseAllDocuments } from 'yaml';
import { MANIFESTS_TEST_IDS } from '../../src/pages/Forecast/manifestsTestIds';
import { problemsOf, waitForPanelsLoaded, waitForText } from './harness/assertions';
import { harnessOverFleet } from './harness/fleetHarness';
import { FLEET, FORECAST_HISTORY } from './harness/fleet';
import { defaultFleetSpec } from '../../src/simulator/defaultFleet';
import { screenshot, type Theme } from './harness';

const FORECAST_PATH = '/a/headroom-capacity-app/forecast';

const context = harnessOverFleet(FORECAST_HISTORY);

describe.each(['dark', 'light'] as Theme[])('Forecast page manifests (%s theme)', (theme) => {
  it('shows a KEDA ScaledObject for the named deployment, with cron triggers, and a copy button', async () => {
    context.harness!.server.notFound.length = 0;
    const watched = await context.harness!.open(
      FORECAST_PATH,
      { ...context.fleet!.timeRange, 'var-target': 'gpus_allocated', 'var-horizon': '24' },
      theme
    );
    const { page } = watched;
    try {
      const manifests = page.getByTestId(MANIFESTS_TEST_IDS.panel);
      await manifests.waitFor();
      await manifests.getByRole('radio', { name: 'hpa', exact: true }).check();
      await manifests.getByRole('radio', { name: 'keda', exact: true }).check();
      // Namespace, then deployment (Field labels are not tied to their inputs here).
      await manifests.getByRole('textbox').nth(0).fill('inference');
      await manifests.getByRole('textbox').nth(1).fill('vllm-llama');
      await waitForText(manifests.getByTestId(MANIFESTS_TEST_IDS.yaml), /name: vllm-llama/);
      const yaml = await manifests.getByTestId(MANIFESTS_TEST_IDS.yaml).innerText();
      const [object] = parseAllDocuments(yaml).map((d) => d.toJS());
      expect(object.kind).toBe('ScaledObject');
      expect(object.metadata.namespace).toBe('inference');
      expect(object.spec.scaleTargetRef.name).toBe('vllm-llama');
      const cron = object.spec.triggers.filter((t: { type: string }) => t.type === 'cron');
      expect(cron.length).toBeGreaterThan(0);
      expect(cron[0].metadata.start).toMatch(/^\d+ \d+ \* \* [*\d]$/);
      await expect(manifests.getByRole('button', { name: /Copy manifests/ }).count()).resolves.toBe(1);
      await waitForPanelsLoaded(page);
      await manifests.scrollIntoViewIfNeeded();
      await screenshot(page, `forecast-manifests-${theme}`);
      expect(problemsOf(watched, context.harness!.server.notFound)).toEqual([]);
    } catch (error) {
      await screenshot(page, `forecast-manifests-${theme}-failed`);
      throw error;
    } finally {
      await page.close();
    }
  });

  it('finds the inference services and diffs the KEDA objects against what kube-state-metrics shows', async () => {
    context.harness!.server.notFound.length = 0;
    const watched = await context.harness!.open(
      FORECAST_PATH,
      { ...context.fleet!.timeRange, 'var-target': 'gpus_allocated', 'var-horizon': '24' },
      theme
    );
    const { page } = watched;
    // The simulated fleet's own spec: its services, their namespace and HPA bounds.
    const mistral = defaultFleetSpec(FLEET).inference.find((d) => d.name === 'mistral-7b')!;
    try {
      const manifests = page.getByTestId(MANIFESTS_TEST_IDS.panel);
      await manifests.waitFor();
      await manifests.getByRole('radio', { name: 'keda', exact: true }).check();
      await manifests.getByRole('radio', { name: `${mistral.namespace}/vllm-mistral-7b`, exact: true }).check();
      const diff = manifests.getByTestId(MANIFESTS_TEST_IDS.diff);
      await waitForText(diff, /spec\.maxReplicas/);
      const rows = (await diff.locator('tr').allInnerTexts()).map((row) => row.replace(/\s+/g, ' ').trim());
      // Now: the HPA's bounds as the fleet spec sets them; the Deployment's replicas some count (the autoscaler's).
      expect(rows).toEqual([
        expect.stringMatching(
          /^Deployment inference\/vllm-mistral-7b spec\.replicas \(at the planned peak\) \d+ (→ \d+|\(unchanged\))$/
        ),
        expect.stringMatching(new RegExp(`spec\\.minReplicas ${mistral.minReplicas} (→ \\d+|\\(unchanged\\))$`)),
        expect.stringMatching(new RegExp(`spec\\.maxReplicas ${mistral.maxReplicas} (→ \\d+|\\(unchanged\\))$`)),
      ]);
      await waitForPanelsLoaded(page);
      await diff.scrollIntoViewIfNeeded();
      await screenshot(page, `forecast-manifests-diff-${theme}`);
      expect(problemsOf(watched, context.harness!.server.notFound)).toEqual([]);
    } catch (error) {
      await screenshot(page, `forecast-manifests-diff-${theme}-failed`);
      throw error;
    } finally {
      await page.close();
    }
  });
});
