/**
 * The setup wizard in a real browser against a console backed by the emulator: create a source
 * through all five steps, run it, and find every selected table in the catalog with the
 * emulated portal's row counts; plus the wizard's refusals (wrong webhook, a 141st character).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openBrowser, screenshot, type TestBrowser } from './browser.js';
import { type ConsoleHarness, rowCounts, startHarness } from './console-harness.js';

let h: ConsoleHarness;
let b: TestBrowser;

before(async () => {
  h = await startHarness({ scale: 60 });
  b = await openBrowser();
});

after(async () => {
  await b?.close();
  await h?.close();
});

test('the wizard creates a source, it runs, and the catalog shows every selected table with the portal row counts', async () => {
  const page = b.page;
  await page.goto(`${h.console.url}/sources/new`);
  await page.fill('#webhook_url', h.emulator.webhookUrl);
  await page.check('#enable_deal_products');
  await page.selectOption('#plan', 'unlimited');
  await screenshot(page, '1-access');
  await page.click('#check');
  await page.waitForSelector('section.step[data-step="2"]:not([hidden])');

  // Step 2: every discovered stream is offered, grouped; search narrows the list.
  const offered = await page.$$eval('#stream-groups li:not(.unavailable) input', (xs) =>
    xs.map((x) => x.getAttribute('value') ?? ''),
  );
  assert.ok(offered.includes('deals') && offered.includes('deal_products') && offered.includes('users'));
  await screenshot(page, '2-streams', true);
  await page.fill('#stream-search', 'stage_history');
  const visible = await page.$$eval('#stream-groups li', (xs) =>
    xs.filter((x) => !x.hasAttribute('hidden')).map((x) => x.getAttribute('data-name')),
  );
  assert.ok(visible.length > 0 && visible.every((n) => n?.includes('stage_history')), visible.join(','));
  await page.fill('#stream-search', '');
  // A new source starts with every stream selected, as `sync` and Singer do.
  const ticked = await page.$$eval('#stream-groups li:not(.unavailable) input:checked', (xs) =>
    xs.map((x) => x.getAttribute('value') ?? ''),
  );
  assert.deepEqual(ticked, offered);
  // A smart process shows its title beside the stream name.
  assert.match((await page.textContent('li[data-name="spa_128"]')) ?? '', /Equipment Procurement\s*spa_128/);
  // Leave out telephony by its group checkbox, and status_list by its own.
  await page.click('.group[data-group="telephony"] header input');
  await page.uncheck('input[data-stream="status_list"]');
  const selected = ticked.filter((n) => n !== 'calls' && n !== 'status_list');
  assert.equal(await page.textContent('#selected-count'), `${selected.length} of ${offered.length} selected`);
  await page.click('#to-settings');

  // Step 3: suggested layer/folder/table per stream, one prefix for all.
  await page.waitForSelector('section.step[data-step="3"]:not([hidden])');
  assert.equal(await page.inputValue('input[name="table"][data-stream="deals"]'), 'deals');
  assert.equal(await page.isDisabled('select[data-stream="deal_fields"]'), true);
  assert.ok(await page.isVisible('#settings-terms'), 'layer, folder and sync type explained');
  assert.match((await page.textContent('tr[data-stream="spa_128"] td')) ?? '', /Equipment Procurement/);
  await page.fill('#table_prefix', 'b24_');
  await page.fill('input[name="table"][data-stream="product"]', 'products');
  await screenshot(page, '3-stream-settings');
  await page.click('#to-source');

  // Step 4: name, description, trigger.
  await page.fill('#name', 'Sales portal');
  await page.fill('#description', 'Main Bitrix24 portal of the sales team');
  await page.selectOption('#trigger', 'cron');
  await page.fill('#cron', 'not a cron');
  await page.fill('#history_days', '30');
  await page.fill('#full_sync_every_days', '7');
  await page.click('#to-review');
  await page.waitForSelector('#source-error:not([hidden])');
  assert.match((await page.textContent('#source-error')) ?? '', /cron/i);
  await page.fill('#cron', '0 */6 * * *');
  await screenshot(page, '4-source-settings');
  await page.click('#to-review');
  await page.waitForSelector('section.step[data-step="5"]:not([hidden])');
  await screenshot(page, '5-review');
  await page.click('#create');
  await page.waitForURL(/\/sources\?saved=sales_portal/);
  assert.match((await page.textContent('#sources')) ?? '', /Sales portal/);
  assert.match((await page.textContent('tr[data-source="sales_portal"]')) ?? '', /never run/);

  // Run it by hand and follow the live view to the summary.
  await page.click('tr[data-source="sales_portal"] button:has-text("Run now")');
  await page.waitForURL(/\/runs\//);
  await page.waitForSelector('#run-status .status.ok', { timeout: 60_000 });
  await screenshot(page, 'run', true);
  const runRows = await page.$$eval('#run-streams tbody tr', (xs) =>
    xs.map((x) => x.getAttribute('data-stream')),
  );
  assert.deepEqual([...runRows].sort(), [...selected].sort());
  assert.match(
    (await page.textContent('#run-streams tr[data-stream="spa_128"] td')) ?? '',
    /Equipment Procurement/,
  );
  await page.goto(`${h.console.url}/sources`);
  assert.match((await page.textContent('tr[data-source="sales_portal"]')) ?? '', /ok/);
  assert.match((await page.textContent('tr[data-source="sales_portal"]')) ?? '', /cron 0 \*\/6 \* \* \*/);
  await screenshot(page, 'sources');

  // The catalog: every selected table, with the portal's own row counts.
  await page.goto(`${h.console.url}/sources/sales_portal/catalog`);
  const shown = await page.$$eval('table.catalog tr[data-stream]', (rows) =>
    rows.map((r) => ({
      stream: r.getAttribute('data-stream') ?? '',
      table: r.querySelector('code')?.textContent ?? '',
      rows: Number(r.querySelector('td.rows')?.textContent),
      derived: r.getAttribute('data-sync-type') === 'DERIVED',
    })),
  );
  const loaded = shown.filter((t) => !t.derived);
  assert.deepEqual(loaded.map((t) => t.stream).sort(), [...selected].sort());
  assert.match(
    (await page.textContent('table.catalog tr[data-stream="spa_128"]')) ?? '',
    /Equipment Procurement/,
  );
  const counts = rowCounts(h.emulator);
  for (const t of loaded) assert.equal(t.rows, counts[t.stream], `rows of ${t.stream}`);
  // Tables derived from the loaded ones carry the same prefix.
  const phones = shown.find((t) => t.stream === 'contact_phones');
  assert.equal(phones?.table, 'b24_contact_phones');
  assert.ok(phones.derived && phones.rows > 0);
  assert.equal(shown.find((t) => t.stream === 'product')?.table, 'b24_products');
  assert.ok(await page.isVisible('svg.relations'));
  await screenshot(page, 'catalog', true);
  await page.click('a:has-text("b24_deals")');
  await page.waitForSelector('#preview');
  assert.ok((await page.$$('#preview tbody tr')).length > 0);
  await screenshot(page, 'table');
});

test('a wrong webhook URL gets a clear message at step 1', async () => {
  const page = b.page;
  await page.goto(`${h.console.url}/sources/new`);
  await page.fill(
    '#webhook_url',
    h.emulator.webhookUrl.replace(/\/rest\/1\/[^/]+\//, '/rest/1/wrongcode123/'),
  );
  await page.click('#check');
  await page.waitForSelector('#access-error:not([hidden])');
  assert.match((await page.textContent('#access-error')) ?? '', /refused these credentials/);
  assert.equal(await page.isHidden('section.step[data-step="2"]'), true);
  await screenshot(page, 'access-error');
  await page.fill('#webhook_url', 'https://example.invalid/not-a-webhook');
  await page.click('#check');
  await page.waitForSelector('#access-error:has-text("not an incoming webhook URL")');
});

test('the description field refuses a 141st character', async () => {
  const page = b.page;
  await page.goto(`${h.console.url}/sources/new`);
  await page.fill('#webhook_url', h.emulator.webhookUrl);
  await page.selectOption('#plan', 'unlimited');
  await page.click('#check');
  await page.click('#to-settings');
  await page.click('#to-source');
  await page.click('#description');
  await page.keyboard.type('x'.repeat(141));
  assert.equal((await page.inputValue('#description')).length, 140);
  assert.equal(await page.textContent('#description-count'), '140');
});
