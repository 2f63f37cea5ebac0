/**
 * Data that changes while a sync reads it: rows added, changed (many in the same second, so
 * DATE_MODIFY ties) and deleted at page boundaries and by a concurrent writer. The next
 * incremental sync, then an additional full sync for deletions, must converge to the portal's
 * truth: the tables of a fresh sync made after the writing stopped, with deleted rows marked.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  Bitrix24Client,
  type CrmEntity,
  createDeal,
  createLead,
  deleteEntity,
  updateEntity,
} from '../../src/client/index.js';
import { type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { duckdbSnapshot } from '../sync/table-snapshot.js';
import { mulberry32, syncOnce, tableDifferences, tempDir } from './reliability-harness.js';

const ONLY = ['deals', 'leads', 'contacts'];
const LAYER = 'raw';

describe('changing data during a sync', () => {
  let emulator: RunningEmulator;
  let writer: Bitrix24Client;
  const dir = tempDir('changing');
  const deletedKeys = new Map<string, Set<string>>([
    ['deals', new Set()],
    ['leads', new Set()],
    ['contacts', new Set()],
  ]);
  const tableOf: Record<CrmEntity, string> = {
    deal: 'deals',
    lead: 'leads',
    contact: 'contacts',
    company: 'companies',
  };

  before(async () => {
    emulator = await startEmulator({ seed: 61, scale: 400, plan: 'unlimited', timeScale: 5 });
    writer = new Bitrix24Client({ webhookUrl: emulator.webhookUrl, plan: 'unlimited' });
  });
  after(async () => {
    await writer.close();
    await emulator.close();
  });

  it('writes between pages and from a concurrent writer; the next syncs converge to the portal', async () => {
    const random = mulberry32(61);
    const maxId = 400;
    const pick = () => 1 + Math.floor(random() * maxId);
    let writes = 0;
    const pending: Promise<unknown>[] = [];
    /** One random change: mostly updates (a burst in one second: DATE_MODIFY ties), some adds and deletes. */
    const change = async () => {
      const entity: CrmEntity = (['deal', 'lead', 'contact'] as const)[Math.floor(random() * 3)]!;
      const roll = random();
      try {
        if (roll < 0.55) {
          const ids = [pick(), pick(), pick()];
          await Promise.all(
            ids.map((id) => updateEntity(writer, entity, id, { COMMENTS: `changed ${writes}` })),
          );
        } else if (roll < 0.8) {
          if (entity === 'lead') await createLead(writer, { TITLE: `added ${writes}` });
          else if (entity === 'deal') await createDeal(writer, { TITLE: `added ${writes}` });
          else await writer.write('crm.contact.add', { fields: { NAME: `added ${writes}` } });
        } else {
          const id = pick();
          if (await deleteEntity(writer, entity, id))
            deletedKeys.get(tableOf[entity])!.add(JSON.stringify([String(id)]));
        }
        writes++;
      } catch {
        // A row deleted earlier cannot be updated or deleted again: the portal says not found.
      }
    };

    const target = join(dir, 'moving.duckdb');
    const config = {
      webhook_url: emulator.webhookUrl,
      plan: 'unlimited',
      max_concurrency: 3,
      lookback_seconds: 5,
    };
    // First a sync that is written to while it reads.
    let writing = true;
    const loop = (async () => {
      while (writing) {
        await change();
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    const first = await syncOnce({
      config,
      target,
      only: ONLY,
      onPage: () => {
        pending.push(change());
      },
    });
    writing = false;
    await loop;
    await Promise.all(pending);
    assert.ok(first.summary.ok, JSON.stringify(first.summary.streams));
    assert.ok(writes >= 20, `the portal changed during the read (${writes} writes)`);

    // Then syncs with the portal at rest: incremental, then an additional full sync for deletions.
    const second = await syncOnce({ config, target, only: ONLY });
    assert.ok(second.summary.ok);
    const third = await syncOnce({ config: { ...config, full_sync_every_days: 1e-9 }, target, only: ONLY });
    assert.ok(third.summary.ok);
    for (const s of third.summary.streams) assert.equal(s.mode, 'full_scan', `${s.stream} read whole`);

    const truthTarget = join(dir, 'truth.duckdb');
    const truth = await syncOnce({ config, target: truthTarget, only: ONLY });
    assert.ok(truth.summary.ok);
    const got = await duckdbSnapshot(target, LAYER);
    const want = await duckdbSnapshot(truthTarget, LAYER);
    // Live rows equal the portal's; rows deleted after the first sync saw them are marked deleted.
    const live = Object.fromEntries(Object.entries(got).map(([t, s]) => [t, { ...s, deleted: [] }]));
    assert.deepEqual(tableDifferences(live, want, ONLY), []);
    for (const table of ONLY) {
      const marked = new Set(got[table]!.deleted);
      for (const key of marked)
        assert.ok(deletedKeys.get(table)!.has(key), `${table} ${key} marked deleted but not deleted`);
    }
    const deletedTotal = [...deletedKeys.values()].reduce((n, s) => n + s.size, 0);
    const markedTotal = ONLY.reduce((n, t) => n + got[t]!.deleted.length, 0);
    assert.ok(deletedTotal > 0, 'rows were deleted');
    // A row deleted before the first sync read it never reached the table, so it has nothing to mark.
    assert.ok(
      markedTotal > 0 && markedTotal <= deletedTotal,
      `${markedTotal} of ${deletedTotal} deletions marked`,
    );
  });
});
