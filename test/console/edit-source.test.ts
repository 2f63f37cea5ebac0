/**
 * Editing a source in the browser: change a stream's sync type in step 3, save, run again, and
 * the run honours it (the table is replaced, so a deal deleted in the portal disappears).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openBrowser, type TestBrowser } from './browser.js';
import { type ConsoleHarness, draftFor, rowCounts, runToEnd, startHarness } from './console-harness.js';

let h: ConsoleHarness;
let b: TestBrowser;

before(async () => {
  h = await startHarness({ scale: 40, seed: 5 });
  b = await openBrowser();
});

after(async () => {
  await b?.close();
  await h?.close();
});

type Run = { status: string; summary: { streams: { stream: string; mode?: string; rows: number }[] } };

test('a stream switched to FULL_TABLE in the wizard is replaced on the next run', async () => {
  const draft = await draftFor(h, 'Edit me', (s) => s === 'deals' || s === 'contacts', {
    deals: 'INCREMENTAL',
  });
  assert.equal((await h.api('POST', '/api/sources', draft)).status, 201);
  const first = (await runToEnd(h, 'edit_me')) as unknown as Run;
  assert.equal(first.status, 'ok');
  assert.equal(first.summary.streams.find((s) => s.stream === 'deals')?.mode, 'upsert');

  // A deal deleted in the portal: an incremental run cannot see it, a full-table run drops it.
  const victim = (
    (await (await fetch(`${h.emulator.webhookUrl}crm.deal.list`)).json()) as { result: { ID: string }[] }
  ).result[0].ID;
  const deleted = await fetch(`${h.emulator.webhookUrl}crm.deal.delete`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ id: Number(victim) }),
  });
  assert.equal(deleted.status, 200);
  assert.equal(
    rowCounts(h.emulator).deals,
    (first.summary.streams.find((s) => s.stream === 'deals')?.rows ?? 0) - 1,
  );

  const page = b.page;
  await page.goto(`${h.console.url}/sources/edit_me/edit`);
  assert.match(await page.inputValue('#webhook_url'), /…/);
  await page.click('#check');
  await page.waitForSelector('section.step[data-step="2"]:not([hidden])');
  assert.equal(await page.isChecked('input[data-stream="deals"]'), true);
  assert.equal(await page.isChecked('input[data-stream="users"]'), false);
  await page.click('#to-settings');
  assert.equal(await page.inputValue('select[data-stream="deals"]'), 'INCREMENTAL');
  await page.selectOption('select[data-stream="deals"]', 'FULL_TABLE');
  await page.click('#to-source');
  assert.equal(await page.inputValue('#name'), 'Edit me');
  await page.click('#to-review');
  await page.waitForSelector('section.step[data-step="5"]:not([hidden])');
  await page.click('#create');
  await page.waitForURL(/\/sources\?saved=edit_me/);

  await page.click('tr[data-source="edit_me"] button:has-text("Run now")');
  await page.waitForURL(/\/runs\//);
  await page.waitForSelector('#run-status .status.ok', { timeout: 60_000 });
  const runId = page.url().split('/runs/')[1];
  const second = (await h.api('GET', `/api/runs/${runId}`)).json as Run;
  assert.equal(second.summary.streams.find((s) => s.stream === 'deals')?.mode, 'replace');
  assert.equal(second.summary.streams.find((s) => s.stream === 'contacts')?.mode, 'upsert');

  await page.goto(`${h.console.url}/sources/edit_me/catalog`);
  const deals = page.locator('tr[data-stream="deals"]');
  assert.match((await deals.textContent()) ?? '', /FULL_TABLE/);
  assert.equal(Number(await deals.locator('td.rows').textContent()), rowCounts(h.emulator).deals);
});
