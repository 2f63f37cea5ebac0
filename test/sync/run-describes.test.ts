/**
 * A run describes only what it reads: the describe calls (`*.fields`, crm.type.list) and every
 * other command a run sends, counted by the emulator over real HTTP, for `sync` with `--streams`,
 * with a config's `streams`, and for Singer mode with a catalog. `--discover` still describes
 * every stream.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Bitrix24Client, ConfigError } from '../../src/client/index.js';
import { type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { type Catalog, catalogFromDiscovery } from '../../src/singer/catalog.js';
import { STREAM_DECLARATIONS } from '../../src/streams/catalog.js';
import { discoverStreams } from '../../src/streams/index.js';
import type { Discovery } from '../../src/streams/stream.js';
import { checkConfig, streamOptionsFrom } from '../../src/sync/config.js';
import { PlanError, streamsToDiscover } from '../../src/sync/plan.js';
import { syncPortal } from '../../src/sync/run.js';
import { runCli } from '../cli/run-cli.js';
import { tempDir } from '../temp-dir.js';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const isDescribe = (method: string) => method.endsWith('.fields') || method === 'crm.type.list';

describe('the commands a run sends', () => {
  let emulator: RunningEmulator;
  let dir: string;
  let runs = 0;
  /** Every stream the portal offers, from a full discovery. */
  let everything: Discovery;
  /** One smart process's items stream, e.g. `spa_128`. */
  let spa: string;

  /** Commands the portal ran (plain or inside `batch`), by method. */
  const ran = new Map<string, number>();

  before(async () => {
    emulator = await startEmulator({ seed: 5, scale: 60, plan: 'unlimited', timeScale: 1000 });
    for (const [name, definition] of emulator.methods) {
      emulator.methods.set(name, {
        ...definition,
        handle: (params, ctx) => {
          ran.set(name, (ran.get(name) ?? 0) + 1);
          return definition.handle(params, ctx);
        },
      });
    }
    dir = tempDir('tap-describes-');
    const client = new Bitrix24Client({ webhookUrl: emulator.webhookUrl, plan: 'unlimited' });
    try {
      everything = await discoverStreams(client, streamOptionsFrom(config()), quiet);
    } finally {
      await client.close();
    }
    const found = everything.streams.find((s) => /^spa_\d+$/.test(s.name));
    assert.ok(found, 'the portal has a smart process');
    spa = found.name;
  });
  after(async () => emulator?.close());

  const config = (extra: Record<string, unknown> = {}) =>
    checkConfig({ webhook_url: emulator.webhookUrl, plan: 'unlimited', ...extra });

  /** The methods the portal ran (plain or inside `batch`) during `work`, sorted. */
  async function methodsRunBy(work: () => Promise<unknown>): Promise<string[]> {
    ran.clear();
    await work();
    return [...ran.keys()].filter((name) => name !== 'batch').sort();
  }

  const sync = (only: string[] | undefined, extra: Record<string, unknown> = {}) =>
    syncPortal({
      config: config(extra),
      target: join(dir, `run-${++runs}.duckdb`),
      logger: quiet,
      ...(only ? { only } : {}),
    });

  it('a run of deals asks crm.deal.fields and nothing it does not read', async () => {
    let rows = 0;
    const methods = await methodsRunBy(async () => {
      const result = await sync(['deals']);
      assert.equal(result.summary.ok, true);
      rows = result.summary.streams.find((s) => s.stream === 'deals')?.rows ?? 0;
    });
    assert.ok(rows > 0, 'the deals were read');
    // scope: which streams the credentials may read; server.time: the run's clock for bookmarks.
    assert.deepEqual(methods, ['crm.deal.fields', 'crm.deal.list', 'scope', 'server.time']);
  });

  it('a `*_fields` stream reads the answer discovery got: one crm.deal.fields for deals and deal_fields', async () => {
    const methods = await methodsRunBy(async () => {
      const result = await sync(['deals', 'deal_fields']);
      assert.equal(result.summary.ok, true);
      const fieldRows = result.summary.streams.find((s) => s.stream === 'deal_fields')?.rows ?? 0;
      assert.ok(fieldRows > 0, 'the field descriptors were written');
    });
    assert.deepEqual(methods.filter(isDescribe), ['crm.deal.fields']);
    assert.equal(ran.get('crm.deal.fields'), 1);
  });

  it('a per-deal stream describes its parent too, and nothing else', async () => {
    const methods = await methodsRunBy(async () => {
      const result = await sync(['deal_products'], { enable_deal_products: true });
      assert.equal(result.summary.ok, true);
    });
    assert.deepEqual(methods.filter(isDescribe), ['crm.deal.fields']);
    assert.ok(methods.includes('crm.deal.productrows.get'), methods.join(', '));
  });

  it('a smart process asks crm.type.list and crm.item.fields, no CRM entity describe', async () => {
    const methods = await methodsRunBy(async () => {
      const result = await sync([spa]);
      assert.equal(result.summary.ok, true);
    });
    assert.deepEqual(methods.filter(isDescribe), ['crm.item.fields', 'crm.type.list']);
  });

  it("a config's streams decide what is described; a deselected stream's name stays valid", async () => {
    const deselected = Object.fromEntries(
      STREAM_DECLARATIONS.filter((d) => !['contacts', 'leads'].includes(d.name) && !d.name.includes('{'))
        .map((d) => [d.name, { selected: false }])
        .concat([[spa, { selected: false }]]),
    );
    // A per-object family selected by default is described even with one of its streams off.
    const names = streamsToDiscover(config({ streams: deselected }));
    assert.ok(names?.includes('spa_{entityTypeId}'));
    const methods = await methodsRunBy(async () => {
      const result = await sync(undefined, { streams: deselected });
      assert.equal(result.summary.ok, true);
      const read = result.summary.streams.map((s) => s.stream);
      assert.ok(read.includes('contacts') && read.includes('leads') && !read.includes('deals'), read.join());
    });
    assert.ok(methods.includes('crm.contact.fields') && methods.includes('crm.lead.fields'));
    for (const unread of ['crm.deal.fields', 'crm.activity.fields', 'crm.product.fields', 'user.fields'])
      assert.ok(!methods.includes(unread), `${unread} was asked`);
  });

  it('a stream name no stream has is reported against every stream the portal offers', async () => {
    await assert.rejects(
      () => sync(['deal']),
      (error: unknown) =>
        error instanceof PlanError &&
        /did you mean `deals`\?/.test(error.message) &&
        /available: .*activities.*users/.test(error.message),
    );
    await assert.rejects(
      () => sync(['deals'], { streams: { activites: { selected: false } } }),
      (error: unknown) => error instanceof ConfigError && /did you mean `activities`\?/.test(error.message),
    );
  });

  it('discovery without a list of streams describes every stream', async () => {
    const client = new Bitrix24Client({ webhookUrl: emulator.webhookUrl, plan: 'unlimited' });
    try {
      const methods = await methodsRunBy(() => discoverStreams(client, streamOptionsFrom(config()), quiet));
      for (const method of ['crm.deal.fields', 'crm.activity.fields', 'user.fields', 'crm.type.list'])
        assert.ok(methods.includes(method), `${method} was not asked`);
    } finally {
      await client.close();
    }
  });

  it('Singer mode with a catalog describes only the streams it selects', async () => {
    const catalog: Catalog = catalogFromDiscovery(everything);
    for (const entry of catalog.streams) {
      const root = entry.metadata.find((m) => m.breadcrumb.length === 0)!.metadata;
      root.selected = ['contacts', 'leads'].includes(entry.tap_stream_id);
    }
    const configPath = join(dir, 'config.json');
    const catalogPath = join(dir, 'catalog.json');
    writeFileSync(configPath, JSON.stringify({ webhook_url: emulator.webhookUrl, plan: 'unlimited' }));
    writeFileSync(catalogPath, JSON.stringify(catalog));
    let records = new Set<string>();
    const methods = await methodsRunBy(async () => {
      const run = await runCli(['--config', configPath, '--catalog', catalogPath]);
      assert.equal(run.code, 0, run.stderr);
      records = new Set(
        run.stdout
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line) as { type: string; stream?: string })
          .filter((m) => m.type === 'RECORD')
          .map((m) => m.stream ?? ''),
      );
    });
    assert.deepEqual([...records].sort(), ['contacts', 'leads']);
    assert.deepEqual(methods.filter(isDescribe), ['crm.contact.fields', 'crm.lead.fields']);
  });
});
