/**
 * Which streams start selected is declared once, on the stream: the Singer catalog, `sync`
 * without a `streams` choice and the console's portal check (which the wizard ticks from) agree,
 * against a real emulated portal over HTTP.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { Bitrix24Client } from '../../src/client/index.js';
import { checkPortal } from '../../src/console/portal-check.js';
import { startEmulator } from '../../src/emulator/index.js';
import { catalogFromDiscovery } from '../../src/singer/catalog.js';
import { discoverStreams } from '../../src/streams/index.js';
import type { Discovery } from '../../src/streams/stream.js';
import { checkConfig, clientOptionsFrom, streamOptionsFrom } from '../../src/sync/config.js';
import { planStreams, planSync } from '../../src/sync/plan.js';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };
let emulator: Awaited<ReturnType<typeof startEmulator>>;
let discovery: Discovery;
let config: ReturnType<typeof checkConfig>;

before(async () => {
  emulator = await startEmulator({ seed: 5, scale: 30, plan: 'unlimited' });
  config = checkConfig({ webhook_url: emulator.webhookUrl, plan: 'unlimited', enable_deal_products: true });
  const client = new Bitrix24Client({ ...clientOptionsFrom(config), logger: quiet });
  try {
    discovery = await discoverStreams(client, streamOptionsFrom(config), quiet);
  } finally {
    await client.close();
  }
});
after(() => emulator.close());

it('the Singer catalog, sync and the console wizard start with the same streams selected', async () => {
  const all = discovery.streams.map((s) => s.name);
  const catalog = catalogFromDiscovery(discovery).streams.filter((entry) => {
    const root = entry.metadata.find((m) => m.breadcrumb.length === 0)?.metadata ?? {};
    assert.equal(root.selected, root['selected-by-default'], entry.tap_stream_id);
    return root.selected === true;
  });
  const singer = catalog.map((entry) => entry.tap_stream_id);
  const singerWithoutCatalog = planStreams(discovery, config).streams.map((s) => s.stream.name);
  const sync = planSync(discovery, config).selections.map((s) => s.stream.name);
  const check = await checkPortal({
    webhook_url: emulator.webhookUrl,
    plan: 'unlimited',
    enable_deal_products: true,
  });
  assert.ok(check.ok, JSON.stringify(check));
  const wizard = check.streams.filter((s) => s.selectedByDefault).map((s) => s.name);

  // No stream declares itself unselected today: every one starts selected, the field-metadata
  // streams included (the analyst tables decode enumerations from them).
  const expected = all.filter(
    (name) => discovery.streams.find((s) => s.name === name)?.declaration.selectedByDefault !== false,
  );
  assert.deepEqual(expected, all);
  assert.ok(all.includes('deals') && all.includes('deal_fields') && all.includes('spa_fields_128'));
  assert.deepEqual(singer, expected, 'Singer catalog');
  assert.deepEqual(singerWithoutCatalog, expected, 'Singer without a catalog');
  assert.deepEqual(sync, expected, 'sync');
  assert.deepEqual(wizard, expected, 'console wizard');
  // A config's own choice still wins over the default, in both directions.
  const chosen = checkConfig({
    webhook_url: emulator.webhookUrl,
    streams: { deal_fields: { selected: true }, deals: { selected: false } },
  });
  const planned = planSync(discovery, chosen).selections.map((s) => s.stream.name);
  assert.ok(planned.includes('deal_fields') && !planned.includes('deals'));
});
