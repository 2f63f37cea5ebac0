/**
 * One stream's trouble stays that stream's, and `verify` finds what a warehouse lacks: shared by
 * the DuckDB and Postgres tests. Real HTTP to the emulator, the real `syncPortal`/`verifyPortal`.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { Bitrix24Client, createDeal, deleteEntity } from '../../src/client/index.js';
import { openDestination } from '../../src/destinations/index.js';
import {
  type EmulatorOptions,
  MethodError,
  type RunningEmulator,
  startEmulator,
} from '../../src/emulator/index.js';
import { type Portal, portalSummary as summarise } from '../../src/emulator/methods/index.js';
import { discoverStreams } from '../../src/streams/index.js';
import { checkConfig, streamOptionsFrom, type TapConfig } from '../../src/sync/config.js';
import { syncPortal } from '../../src/sync/run.js';
import { formatSummaryTable } from '../../src/sync/summary.js';
import { verifyPortal } from '../../src/sync/verify.js';
import type { TableSnapshot } from './table-snapshot.js';

export interface IsolationBackend {
  target: string;
  /** Extra config (a private layer per stream) once the stream names are known. */
  config?(streamNames: string[]): Record<string, unknown>;
  snapshot(): Promise<Record<string, TableSnapshot>>;
}

const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const portalSummary = (portal: unknown) => summarise(portal as Portal);
const base = { plan: 'unlimited', enable_deal_comments: true, enable_deal_products: true };

/** A portal on loopback, and a config naming every stream it has (so a backend can place them). */
async function portalWith(
  backend: IsolationBackend,
  options: EmulatorOptions,
): Promise<{ emulator: RunningEmulator; config: TapConfig }> {
  const emulator = await startEmulator({ seed: 21, scale: 20, plan: 'unlimited', timeScale: 50, ...options });
  const plain = checkConfig({ webhook_url: emulator.webhookUrl, ...base });
  const client = new Bitrix24Client({ webhookUrl: emulator.webhookUrl, plan: 'unlimited' });
  try {
    const found = await discoverStreams(client, streamOptionsFrom(plain), quiet);
    const names = [...found.streams.map((s) => s.name), ...found.unavailable.map((u) => u.name)];
    const config = checkConfig({
      webhook_url: emulator.webhookUrl,
      ...base,
      ...(backend.config?.(names) ?? {}),
    });
    return { emulator, config };
  } finally {
    await client.close();
  }
}

/** `backend(scenario)`: a fresh place (file or schema) per scenario, so no bookmark crosses over. */
export function isolationBehaviour(backend: (scenario: string) => Promise<IsolationBackend>): void {
  it('a portal without user.fields: users is unavailable with the reason, every other stream lands', async () => {
    const db = await backend('missing');
    const { emulator, config } = await portalWith(db, { missingMethods: ['user.fields'] });
    try {
      const result = await syncPortal({ config, target: db.target, logger: quiet });
      const { summary } = result;
      assert.equal(summary.ok, false, 'a selected stream did not sync');
      const users = summary.streams.find((s) => s.stream === 'users')!;
      assert.equal(users.status, 'unavailable');
      assert.match(users.error!, /user\.fields.*ERROR_METHOD_NOT_FOUND/);
      const others = summary.streams.filter((s) => s.stream !== 'users');
      assert.deepEqual(
        others.filter((s) => s.status !== 'ok').map((s) => s.stream),
        [],
      );
      const counts = portalSummary(emulator.portal);
      const tables = await db.snapshot();
      for (const s of others) assert.equal(tables[s.stream]?.rows.length, counts[s.stream], s.stream);
      assert.equal(tables.users, undefined, 'no users table');
      const text = formatSummaryTable(summary);
      assert.match(text, /^users\s+0\s+0\s+0\.0\s+unavailable$/m);
      assert.match(
        text,
        /^users unavailable: the portal does not offer user\.fields \(ERROR_METHOD_NOT_FOUND/m,
      );
    } finally {
      await emulator.close();
    }
  });

  it('a failing crm.deal.fields takes deals and what depends on it, nothing else', async () => {
    const db = await backend('failing');
    const { emulator, config } = await portalWith(db, {});
    // After discovery has been planned: the portal fails the method from now on (HTTP 500).
    emulator.methods.set('crm.deal.fields', {
      name: 'crm.deal.fields',
      scopes: ['crm'],
      handle() {
        throw new MethodError('INTERNAL_SERVER_ERROR', 'Internal server error', 500);
      },
    });
    try {
      const { summary } = await syncPortal({
        config,
        target: db.target,
        logger: quiet,
        clientOverrides: { maxRetries: 1 },
      });
      const notOk = Object.fromEntries(
        summary.streams.filter((s) => s.status !== 'ok').map((s) => [s.stream, s.status]),
      );
      assert.deepEqual(notOk, {
        deals: 'unavailable',
        deal_fields: 'unavailable',
        deal_comments: 'unavailable',
        deal_products: 'unavailable',
      });
      const deals = summary.streams.find((s) => s.stream === 'deals')!;
      assert.match(deals.error!, /crm\.deal\.fields failed \(INTERNAL_SERVER_ERROR/);
      const products = summary.streams.find((s) => s.stream === 'deal_products')!;
      assert.match(products.error!, /parent stream deals is unavailable: crm\.deal\.fields failed/);
      const counts = portalSummary(emulator.portal);
      const tables = await db.snapshot();
      for (const name of ['leads', 'contacts', 'companies', 'users', 'deal_stage_history'])
        assert.equal(tables[name]?.rows.length, counts[name], name);
    } finally {
      await emulator.close();
    }
  });

  it('verify: no drift after a clean sync; K deals added on the portal are K missing; K deleted are K extra', async () => {
    const db = await backend('verify');
    const { emulator, config } = await portalWith(db, {});
    const client = new Bitrix24Client({ webhookUrl: emulator.webhookUrl, plan: 'unlimited' });
    const verify = () => verifyPortal({ config, target: db.target, logger: quiet });
    try {
      const synced = await syncPortal({ config, target: db.target, logger: quiet });
      assert.equal(synced.summary.ok, true);
      const clean = await verify();
      assert.equal(clean.ok, true);
      const byName = new Map(clean.streams.map((s) => [s.stream, s]));
      const counts = portalSummary(emulator.portal);
      for (const name of ['deals', 'leads', 'contacts', 'users', 'calls', 'deal_stage_history']) {
        const s = byName.get(name)!;
        assert.deepEqual(
          [s.status, s.portal, s.warehouse, s.missing, s.extra],
          ['ok', counts[name], counts[name], 0, 0],
          name,
        );
      }
      // Per-deal children and field descriptors have no count: shown, never as ok.
      for (const name of ['deal_products', 'deal_comments', 'deal_fields', 'open_lines']) {
        assert.equal(byName.get(name)!.status, 'not_counted', name);
        assert.ok(byName.get(name)!.note, `${name} says why`);
      }
      // The counts went out as batches: far fewer requests than counted streams.
      const counted = clean.streams.filter((s) => s.portal !== null).length;
      assert.ok(clean.countRequests <= 1 + Math.ceil(counted / 50), `${clean.countRequests} requests`);

      const K = 3;
      for (let i = 0; i < K; i++) await createDeal(client, { TITLE: `Added after the sync ${i}` });
      const behind = await verify();
      assert.equal(behind.ok, false);
      const deals = behind.streams.find((s) => s.stream === 'deals')!;
      assert.deepEqual([deals.status, deals.missing, deals.extra], ['drift', K, 0]);
      assert.deepEqual(
        behind.streams.filter((s) => s.status === 'drift').map((s) => s.stream),
        ['deals'],
      );

      await syncPortal({ config, target: db.target, logger: quiet });
      const leadRows = (await db.snapshot()).leads!.rows.slice(0, K);
      for (const row of leadRows) await deleteEntity(client, 'lead', Number(JSON.parse(row).ID));
      const ahead = await verify();
      const leads = ahead.streams.find((s) => s.stream === 'leads')!;
      assert.deepEqual([leads.status, leads.missing, leads.extra], ['drift', 0, K]);
      assert.equal(ahead.streams.find((s) => s.stream === 'deals')!.status, 'ok');

      // The last verification of each target is kept in the database's bookkeeping.
      const destination = await openDestination(db.target);
      try {
        const recorded = await destination.verifications();
        const lead = recorded.find((r) => r.stream === 'leads' && r.verifiedAt === ahead.verifiedAt);
        assert.ok(lead, 'the leads verification is recorded');
        assert.deepEqual(
          [lead.status, lead.portal, lead.warehouse],
          ['drift', counts.leads! - K, counts.leads],
        );
      } finally {
        await destination.close();
      }
    } finally {
      await client.close();
      await emulator.close();
    }
  });

  it('verify: rows the portal withholds from every list page (access rights) are reported missing, exactly', async () => {
    const db = await backend('withheld');
    const { emulator, config } = await portalWith(db, { scale: 200, variants: ['short-pages'] });
    try {
      const synced = await syncPortal({ config, target: db.target, logger: quiet });
      assert.equal(synced.summary.ok, true);
      const report = await verifyPortal({ config, target: db.target, logger: quiet });
      assert.equal(report.ok, false, 'withheld rows are drift, not ok');
      const truth = emulator.truth();
      const withheld = truth['crm.deal.list']!;
      assert.ok(withheld.hidden_count > 0, 'the portal withholds some deals');
      const deals = report.streams.find((s) => s.stream === 'deals')!;
      assert.deepEqual(
        [deals.status, deals.portal, deals.warehouse, deals.missing, deals.extra],
        ['drift', withheld.count, withheld.visible.length, withheld.hidden_count, 0],
      );
    } finally {
      await emulator.close();
    }
  });
}
