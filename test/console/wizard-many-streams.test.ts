/**
 * The wizard's streams step with a 200-stream portal (60 smart processes): every stream the
 * portal check finds is listed, search narrows the list, and the per-group and visible-only
 * select-all work on it. Functional only; page speed is measured by bench/console-pages.ts.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openBrowser, type TestBrowser } from './browser.js';
import { type ConsoleHarness, startHarness } from './console-harness.js';

let h: ConsoleHarness;
let b: TestBrowser;

before(async () => {
  h = await startHarness({ scale: 20, spaTypes: 60 });
  b = await openBrowser();
});

after(async () => {
  await b?.close();
  await h?.close();
});

test('the streams step lists all ~200 streams, searches them and selects per group', async () => {
  const check = (
    await h.api('POST', '/api/check', {
      access: { kind: 'webhook', webhook_url: h.emulator.webhookUrl },
      options: { plan: 'unlimited' },
    })
  ).json as { streams: { name: string; group: string }[] };
  const names = check.streams.map((s) => s.name);
  const spa = check.streams.filter((s) => s.group === 'smart_processes').map((s) => s.name);
  const g = spa.length;
  assert.ok(names.length >= 200, `${names.length} streams`);
  assert.equal(names.filter((n) => /^spa_(fields_|stage_history_)?\d+$/.test(n)).length, 180, '3 per type');
  assert.ok(g >= 120, `${g} in the smart-process group`);
  assert.ok(names.includes('spa_1084') && names.includes('spa_stage_history_190'));

  const page = b.page;
  await page.goto(`${h.console.url}/sources/new`);
  await page.fill('#webhook_url', h.emulator.webhookUrl);
  await page.selectOption('#plan', 'unlimited');
  await page.click('#check');
  await page.waitForSelector('section.step[data-step="2"]:not([hidden])');
  const listed = await page.$$eval('#stream-groups li:not(.unavailable) input', (xs) =>
    xs.map((x) => x.getAttribute('value') ?? ''),
  );
  assert.deepEqual([...listed].sort(), [...names].sort());
  const smartListed = await page.$$eval('.group[data-group="smart_processes"] li input', (xs) => xs.length);
  assert.equal(smartListed, g);
  const total = names.length;
  assert.equal(await page.textContent('#selected-count'), `${total} of ${total} selected`);
  assert.match((await page.textContent('li[data-name="spa_1084"]')) ?? '', /spa_1084/);

  // Search narrows to exactly the matching names, across groups.
  await page.fill('#stream-search', 'spa_stage_history_10');
  const visible = await page.$$eval('#stream-groups li', (xs) =>
    xs.filter((x) => !x.hasAttribute('hidden')).map((x) => x.getAttribute('data-name') ?? ''),
  );
  assert.deepEqual(visible.sort(), names.filter((n) => n.includes('spa_stage_history_10')).sort());
  assert.equal(visible.length, 28, 'spa_stage_history_1030 … _1084');
  assert.equal(await page.isHidden('.group[data-group="crm"]'), true);

  // "Clear" with a search active clears only what is shown.
  await page.click('#select-none');
  assert.equal(await page.textContent('#selected-count'), `${total - 28} of ${total} selected`);
  await page.fill('#stream-search', '');
  assert.equal(await page.$$eval('#stream-groups li[hidden]', (xs) => xs.length), 0);

  // The smart-process group box: all on, all off, and the header counter follows.
  const groupBox = '.group[data-group="smart_processes"] header input';
  assert.equal(await page.evaluate(`document.querySelector('${groupBox}').indeterminate`), true);
  await page.click(groupBox);
  assert.equal(await page.isChecked(groupBox), true);
  assert.equal(await page.textContent('.group[data-group="smart_processes"] header .counter'), `${g} / ${g}`);
  await page.click(groupBox);
  assert.equal(await page.textContent('#selected-count'), `${total - g} of ${total} selected`);
  assert.equal(await page.textContent('.group[data-group="smart_processes"] header .counter'), `0 / ${g}`);
  assert.equal(await page.isChecked('input[data-stream="deals"]'), true);

  // Select all again, then step 3 has one settings row per stream.
  await page.click('#select-all');
  assert.equal(await page.textContent('#selected-count'), `${total} of ${total} selected`);
  await page.click('#to-settings');
  await page.waitForSelector('section.step[data-step="3"]:not([hidden])');
  assert.equal(await page.$$eval('#stream-settings tbody tr', (xs) => xs.length), total);
});
