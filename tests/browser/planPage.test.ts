/**
 * The Plan page of the built app: the Llama 2 70B examples entered as a person would, the answers read off
 * the page and checked against hand calculations, a bad MFU shown as a message at its field, and the inputs kept by
 * a reload (they live in the URL). No Prometheus: sizing is arithmetic on what is entered (the rate's measured tokens/s
 * per GPU is planMeasured.test.ts).
 */
import type { Page } from 'playwright-core';
import { problemsOf, waitForText } from './harness/assertions';
import { screenshot, startHarness, type Harness, type Theme } from './harness';

const PLAN_PATH = '/a/headroom-capacity-app/plan';

let harness: Harness | undefined;

beforeAll(async () => {
  harness = await startHarness();
});

afterAll(() => harness?.close());

const input = (page: Page, field: string) => page.locator(`#headroom-plan-${field}`);

async function enter(page: Page, values: Record<string, string>) {
  for (const [field, value] of Object.entries(values)) {
    await input(page, field).fill(value);
  }
}

async function choose(page: Page, field: string, option: string) {
  await input(page, field).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

// Llama 2 70B (Touvron et al. 2023, "Llama 2: Open Foundation and Fine-Tuned Chat Models": 80 layers, 8 KV heads
// of 128 under grouped-query attention, 2T tokens, trained on A100-80GB).
const TRAINING = { trainingParams: '70e9', trainingTokens: '2e12', trainingMfu: '0.435', trainingGpus: '2048' };
const INFERENCE = {
  inferenceParams: '70e9',
  inferenceLayers: '80',
  inferenceKvHeads: '8',
  inferenceHeadDim: '128',
  inferenceBytes: '2',
  inferenceContext: '8192',
  inferenceConcurrency: '32',
};

describe.each(['dark', 'light'] as Theme[])('Plan page (%s theme)', (theme) => {
  it('sizes Llama 2 70B training and serving, shows a bad MFU at its field, and keeps the inputs over a reload', async () => {
    harness!.server.notFound.length = 0;
    const watched = await harness!.open(PLAN_PATH, {}, theme);
    const { page } = watched;
    try {
      await page.getByRole('heading', { name: 'Plan', exact: true }).waitFor();

      await enter(page, TRAINING);
      await choose(page, 'trainingGpu', 'A100-80GB');
      await page.getByRole('radio', { name: 'bf16' }).check();
      // 6 × 70e9 × 2e12 = 8.4e23 FLOPs; ÷ (312e12 (A100 bf16 dense, NVIDIA datasheet) × 0.435 × 3600) = 1.719e6
      // GPU-hours (the paper's Table 2: 1,720,320); ÷ 2048 GPUs ÷ 24 = 35.0 days.
      await waitForText(page.getByTestId('headroom-plan-flops'), /8\.4 × 10²³ FLOPs/);
      await waitForText(page.getByTestId('headroom-plan-gpu-hours'), /1\.72 M GPU-hours/);
      await waitForText(page.getByTestId('headroom-plan-days'), /35 days/);

      await enter(page, INFERENCE);
      await choose(page, 'inferenceGpu', 'Other: enter its memory');
      await enter(page, { inferenceGpuMemoryGib: '80' });
      // 80 × 8 × 128 × 2 (K and V) × 2 bytes × 8192 × 32 = 85,899,345,920 B. Weights 140 GB + 85.9 GB on GPUs of
      // 0.9 × 80 GiB = 77.3 GB usable: 2 GPUs hold 113 GB each (too much), 4 hold 56.5 GB.
      await waitForText(page.getByTestId('headroom-plan-kv-cache'), /85\.9 GB/);
      await waitForText(page.getByTestId('headroom-plan-weights'), /140\.0 GB/);
      await waitForText(page.getByTestId('headroom-plan-gpus-per-replica'), /^GPUs per replica\s+4 /);
      await waitForText(page.getByTestId('headroom-plan-note'), /do not fit one GPU/);
      await screenshot(page, `plan-page-${theme}`);

      // An MFU above 1 is refused where it was typed: the message sits right under the MFU input, the GPU-hours go,
      // and the inference section, which does not use the MFU, keeps its answer.
      await enter(page, { trainingMfu: '1.5' });
      const message = page.getByText(/mfu must be a share in \(0, 1\]/);
      await message.waitFor();
      const field = (await input(page, 'trainingMfu').boundingBox())!;
      const shown = (await message.boundingBox())!;
      expect(shown.y).toBeGreaterThanOrEqual(field.y + field.height);
      expect(shown.y).toBeLessThan(field.y + field.height + 40);
      expect(Math.abs(shown.x - field.x)).toBeLessThan(20);
      expect(await page.getByTestId('headroom-plan-gpu-hours').count()).toBe(0);
      await waitForText(page.getByTestId('headroom-plan-kv-cache'), /85\.9 GB/);
      await screenshot(page, `plan-page-bad-mfu-${theme}`);

      // A reload keeps every input, the refused one too, from the URL.
      await page.waitForURL((url) => url.searchParams.get('train-mfu') === '1.5');
      await page.reload({ waitUntil: 'domcontentloaded' });
      await message.waitFor();
      for (const [name, value] of Object.entries({ ...TRAINING, ...INFERENCE, trainingMfu: '1.5' })) {
        expect(await input(page, name).inputValue()).toBe(value);
      }
      expect(await input(page, 'inferenceGpuMemoryGib').inputValue()).toBe('80');
      await waitForText(page.getByTestId('headroom-plan-gpus-per-replica'), /^GPUs per replica\s+4 /);

      await enter(page, { trainingMfu: '0.435' });
      await waitForText(page.getByTestId('headroom-plan-gpu-hours'), /1\.72 M GPU-hours/);
      // No Prometheus here: the measured-throughput query (serving, throughput view) fails with Grafana's 500, and the
      // page sizes without it (planMeasured.test.ts has the fleet). Nothing else may go wrong.
      const noPrometheus =
        /Failed to load resource: the server responded with a status of 500|HTTP 500: GET .*\/resources\/api\/v1\/label\/model_name\/values/;
      expect(problemsOf(watched, harness!.server.notFound).filter((p) => !noPrometheus.test(p))).toEqual([]);
    } catch (error) {
      await screenshot(page, `plan-page-${theme}-failed`);
      console.error(
        `Plan page showed:\n${await page.locator('body').innerText()}\nProblems: ${problemsOf(watched, harness!.server.notFound).join('\n')}`
      );
      throw error;
    } finally {
      await page.close();
    }
  });
});
