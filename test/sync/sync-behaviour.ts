/**
 * End-to-end sync behaviour shared by the DuckDB and Postgres tests: the real CLI path
 * (`syncPortal`: client over loopback HTTP to the emulator, discovery, plan, engine, destination).
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { Bitrix24Client, createLead, deleteEntity, updateEntity } from '../../src/client/index.js';
import { type Portal, portalSummary as summarise } from '../../src/emulator/methods/index.js';

const portalSummary = (portal: unknown) => summarise(portal as Portal);

import { type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { discoverStreams } from '../../src/streams/index.js';
import { checkConfig, streamOptionsFrom, type TapConfig } from '../../src/sync/config.js';
import { syncPortal } from '../../src/sync/run.js';
import type { TableSnapshot } from './table-snapshot.js';

export interface SyncBackend {
  target: string;
  /** Extra config (e.g. a private layer per stream) once the stream names are known. */
  config?(streamNames: string[]): Record<string, unknown>;
  snapshot(): Promise<Record<string, TableSnapshot>>;
}

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

function diff(before: TableSnapshot | undefined, after: TableSnapshot | undefined) {
  const b = new Set(before?.rows ?? []);
  const a = new Set(after?.rows ?? []);
  return { added: [...a].filter((r) => !b.has(r)), removed: [...b].filter((r) => !a.has(r)) };
}

export function syncBehaviour(backend: () => Promise<SyncBackend>): void {
  let emulator: RunningEmulator;
  let client: Bitrix24Client;
  let db: SyncBackend;
  let config: TapConfig;
  const base = {
    plan: 'unlimited',
    extract_deal_contacts: true,
    enable_deal_comments: true,
    enable_deal_products: true,
  };

  before(async () => {
    // The backend first: if it cannot be had (no database), nothing is left running.
    db = await backend();
    // Processing waits shrink 50 times: a few seconds of sync instead of minutes.
    emulator = await startEmulator({ seed: 11, scale: 40, plan: 'unlimited', timeScale: 50 });
    client = new Bitrix24Client({ webhookUrl: emulator.webhookUrl, plan: 'unlimited' });
    const plain = checkConfig({ webhook_url: emulator.webhookUrl, ...base });
    const names = (await discoverStreams(client, streamOptionsFrom(plain), quiet)).streams.map((s) => s.name);
    config = checkConfig({ webhook_url: emulator.webhookUrl, ...base, ...(db.config?.(names) ?? {}) });
  });
  after(async () => {
    await client?.close();
    await emulator?.close();
  });

  const sync = async (overrides: Record<string, unknown> = {}) => {
    const run = checkConfig({ ...config, ...overrides } as unknown as Record<string, unknown>);
    const result = await syncPortal({ config: run, target: db.target, logger: quiet });
    const failed = result.summary.streams.filter((s) => s.status !== 'ok');
    assert.deepEqual(failed, [], 'every stream syncs');
    return result.summary;
  };

  it('a sync fills every table with the emulator’s row counts', async () => {
    const summary = await sync();
    const counts = portalSummary(emulator.portal);
    const tables = await db.snapshot();
    const compared: string[] = [];
    for (const s of summary.streams) {
      if (counts[s.stream] === undefined) continue;
      assert.equal(tables[s.stream]?.rows.length, counts[s.stream], `rows of ${s.stream}`);
      assert.equal(s.rows, counts[s.stream], `rows read for ${s.stream}`);
      compared.push(s.stream);
    }
    for (const name of ['deals', 'leads', 'contacts', 'companies']) assert.ok(compared.includes(name), name);
  });

  it('a second sync after changes made through the API updates exactly those rows', async () => {
    const before = await db.snapshot();
    const dealId = Number(JSON.parse(before.deals!.rows[3]!).ID);
    await updateEntity(client, 'deal', dealId, { TITLE: 'Renamed by the sync test' });
    const leadId = await createLead(client, { TITLE: 'Lead added by the sync test' });
    const summary = await sync();
    const afterSync = await db.snapshot();
    const deals = diff(before.deals, afterSync.deals);
    assert.equal(deals.added.length, 1);
    assert.equal(deals.removed.length, 1);
    assert.equal(JSON.parse(deals.added[0]!).ID, JSON.parse(deals.removed[0]!).ID);
    assert.match(deals.added[0]!, /Renamed by the sync test/);
    const leads = diff(before.leads, afterSync.leads);
    assert.equal(leads.removed.length, 0);
    assert.deepEqual(
      leads.added.map((r) => Number(JSON.parse(r).ID)),
      [leadId],
    );
    for (const table of Object.keys(before)) {
      if (table === 'deals' || table === 'leads') continue;
      const d = diff(before[table], afterSync[table]);
      assert.deepEqual(d, { added: [], removed: [] }, `${table} unchanged`);
    }
    const incremental = summary.streams.find((s) => s.stream === 'deals')!;
    assert.ok(incremental.rows < before.deals!.rows.length, 'deals read incrementally, not whole');
  });

  it('after a deal is deleted, the next additional full sync marks it _sdc_deleted_at', async () => {
    const before = await db.snapshot();
    const dealId = Number(JSON.parse(before.deals!.rows[5]!).ID);
    await deleteEntity(client, 'deal', dealId);
    const quick = await sync();
    assert.deepEqual((await db.snapshot()).deals!.deleted, [], 'an incremental run cannot see deletes');
    assert.equal(quick.streams.find((s) => s.stream === 'deals')!.rowsMarkedDeleted, 0);
    // A cadence of ~0.1 emulated seconds: due at once on the emulator's fast clock.
    const summary = await sync({ full_sync_every_days: 1e-6 });
    const deals = summary.streams.find((s) => s.stream === 'deals')!;
    assert.equal(deals.mode, 'full_scan');
    assert.equal(deals.rowsMarkedDeleted, 1);
    const afterSync = await db.snapshot();
    assert.deepEqual(afterSync.deals!.deleted, [JSON.stringify([String(dealId)])]);
    assert.equal(afterSync.deals!.rows.length, portalSummary(emulator.portal).deals);
  });
}
