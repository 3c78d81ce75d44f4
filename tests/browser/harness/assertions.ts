// Reading what a page shows, the way a person reads it: by panel title and visible text.
import type { Locator, Page } from 'playwright-core';
import type { WatchedPage } from './browser';

const POLL_MS = 100;
const TIMEOUT_MS = 30_000;

/** Waits until the locator's visible text matches, and returns the match. */
export async function waitForText(locator: Locator, pattern: RegExp): Promise<RegExpMatchArray> {
  const deadline = Date.now() + TIMEOUT_MS;
  let last = '';
  while (Date.now() < deadline) {
    last = (await locator.count()) > 0 ? await locator.first().innerText() : '';
    const match = last.match(pattern);
    if (match) {
      return match;
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  throw new Error(`Timed out after ${TIMEOUT_MS} ms waiting for ${pattern} in:\n${last || '(nothing shown)'}`);
}

/** A panel is a <section> labelled by its title (Grafana's PanelChrome). */
export function panel(page: Page, title: string): Locator {
  return page.getByRole('region', { name: title, exact: true });
}

/** The message behind a panel's error badge, as a person reads it: by pointing at the badge. */
export async function panelError(page: Page, title: string, pattern: RegExp): Promise<string> {
  const badge = panel(page, title).getByTestId('data-testid Panel status error');
  await badge.waitFor({ timeout: 60_000 });
  await badge.hover();
  const [shown] = await waitForText(page.getByRole('tooltip'), pattern);
  return shown;
}

/** Waits until no panel shows its loading bar (queries done). */
export async function waitForPanelsLoaded(page: Page): Promise<void> {
  await page
    .getByRole('status', { name: 'Panel loading bar' })
    .first()
    .waitFor({ state: 'detached', timeout: TIMEOUT_MS });
}

/** The number shown before a unit (`12.5 GPUs`), as a person would read it off a stat. */
export async function readNumber(locator: Locator, unit: string): Promise<number> {
  const match = await waitForText(locator, new RegExp(`(-?\\d+(?:\\.\\d+)?)\\s*${unit}`));
  return Number(match[1]);
}

/** "$12.3K" or "$950" as a stat shows it, in dollars. */
export function dollars(text: string): number {
  const match = text.match(/\$\s*(-?[\d,.]+)\s*([KMB]?)/);
  if (!match) {
    throw new Error(`No dollar amount in "${text}"`);
  }
  return Number(match[1].replace(/,/g, '')) * ({ '': 1, K: 1e3, M: 1e6, B: 1e9 } as const)[match[2] as '' | 'K'];
}

/** Everything the page and the server reported that a test should fail on. */
export function problemsOf(watched: WatchedPage, serverNotFound: string[]): string[] {
  return [...watched.problems, ...serverNotFound.map((entry) => `server 404: ${entry}`)];
}
