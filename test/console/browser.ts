/** Debian's Chromium under Playwright, set up so it never stalls on network it should not use. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface TestBrowser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

export async function openBrowser(): Promise<TestBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'tap-console-chromium-'));
  // A fresh profile dir per browser: Playwright takes it as the persistent context's user data dir.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    viewport: { width: 1200, height: 860 },
    args: [
      '--no-sandbox',
      '--headless',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(20_000);
  return {
    context,
    page,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Saves a screenshot into docs/img when CONSOLE_SCREENSHOTS=1 (so ordinary test runs leave docs alone). */
export async function screenshot(page: Page, name: string, fullPage = false): Promise<void> {
  if (process.env.CONSOLE_SCREENSHOTS !== '1') return;
  await page.screenshot({ path: join('docs', 'img', `console-${name}.png`), fullPage });
}
