// Reading a uPlot chart as a person reads it: the text it draws on its canvas (axis labels, marker labels), Grafana's
// legend, the tooltip under the mouse, and a drag across the plot.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { REPO_ROOT } from './harness/buildHost';

declare global {
  interface Window {
    __headroomCanvasText?: string[];
  }
}

/**
 * Records every text drawn on a canvas from now on (uPlot draws axis labels with fillText). Takes effect on the next
 * navigation, so the page is reloaded.
 */
export async function recordCanvasText(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const drawn: string[] = [];
    window.__headroomCanvasText = drawn;
    const fillText = CanvasRenderingContext2D.prototype.fillText;
    CanvasRenderingContext2D.prototype.fillText = function (text: string, x: number, y: number, maxWidth?: number) {
      drawn.push(String(text));
      return maxWidth === undefined ? fillText.call(this, text, x, y) : fillText.call(this, text, x, y, maxWidth);
    };
  });
  await page.reload({ waitUntil: 'domcontentloaded' });
}

export async function canvasTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => [...(window.__headroomCanvasText ?? [])]);
}

export interface LegendItem {
  label: string;
  disabled: boolean;
}

/** Grafana's legend items under the locator, in order, with whether each is switched off. */
export async function legendItems(scope: Locator): Promise<LegendItem[]> {
  return scope.locator('[data-testid^="data-testid VizLegend series"]').evaluateAll((items) =>
    items.map((item) => ({
      label: (item.textContent ?? '').replace(/\s+/g, ' ').trim(),
      disabled: item.className.includes('LegendLabelDisabled'),
    }))
  );
}

/** The plot's interaction layer (uPlot's `.u-over`), where the mouse hovers, clicks and drags. */
export function plotArea(scope: Locator): Locator {
  return scope.locator('.u-over').first();
}

async function pointAt(area: Locator, xFraction: number, yFraction = 0.5) {
  const box = await area.boundingBox({ timeout: 5_000 });
  if (!box) {
    throw new Error('The plot is not on screen');
  }
  return { x: box.x + box.width * xFraction, y: box.y + box.height * yFraction };
}

/** Moves the mouse over the plot at a share of its width (0 left edge, 1 right edge). */
export async function hoverPlot(page: Page, area: Locator, xFraction: number): Promise<void> {
  const { x, y } = await pointAt(area, xFraction);
  await page.mouse.move(x, y, { steps: 4 });
}

/** Drags across the plot from one share of its width to another, as a person selects a time range. */
export async function dragPlot(page: Page, area: Locator, fromFraction: number, toFraction: number): Promise<void> {
  const start = await pointAt(area, fromFraction);
  const end = await pointAt(area, toFraction);
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  await page.mouse.move(end.x, end.y, { steps: 8 });
  await page.mouse.up();
}

/** The tooltip a chart shows while the mouse is over it (rendered in Grafana's portal, outside the panel). */
export function chartTooltip(page: Page): Locator {
  return page.getByTestId('headroom-chart-tooltip');
}

/**
 * A screenshot of what is on screen, into test-results/screenshots/<name>.png: a full-page one resizes the viewport,
 * and Grafana's tooltip closes on a resize, as it does in Grafana.
 */
export async function viewportScreenshot(page: Page, name: string): Promise<void> {
  const dir = path.join(REPO_ROOT, 'test-results/screenshots');
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`) });
}
