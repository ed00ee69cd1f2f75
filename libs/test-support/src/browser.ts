import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.SIGHTLINE_CHROMIUM ?? '/usr/bin/chromium';

/** The flags every browser test runs Chromium with (environment.md), plus autoplay without a gesture. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--autoplay-policy=no-user-gesture-required',
  // Background pages keep their timers and media running: several play side by side.
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
];

/** Why the browser tests cannot run here, or null when Chromium is present. */
export function chromiumMissing(): string | null {
  return existsSync(CHROMIUM) ? null : `Chromium is missing (${CHROMIUM}): apt-get install chromium`;
}

/** Debian's Chromium through playwright-core, with a fresh empty profile (one browser per test file). */
export async function launchBrowser(): Promise<Browser> {
  const missing = chromiumMissing();
  if (missing) throw new Error(missing);
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/** A page in a context of its own (its own cache, cookies and network conditions), console and page errors kept. */
export async function openPage(browser: Browser): Promise<{ page: Page; console: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  const lines: string[] = [];
  page.on('console', (m) => lines.push(`[${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => lines.push(`[pageerror] ${e.message}`));
  return { page, console: lines };
}

