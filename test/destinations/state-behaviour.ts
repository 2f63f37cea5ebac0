/**
 * `_tap.state` keeps a bookmark per target table (stream, layer, table), so configurations that
 * load one stream into different tables of one database never share a bookmark; and a database
 * written when the state was keyed by stream alone is migrated on open. Run against DuckDB and
 * Postgres by duckdb.test.ts and postgres.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DestinationConfigError,
  type SqlDestination,
  type StreamTable,
} from '../../src/destinations/index.js';
import { type BackendFactory, deal, dealsTable, withDestination } from './destination-behaviour.js';

async function loadOnce(destination: SqlDestination, table: StreamTable, state: Record<string, unknown>) {
  await destination.prepare(table);
  const load = await destination.begin(table, 'upsert');
  await load.write({ records: [deal(1, 'one')], state, extractedAt: new Date() });
  await load.finish(state);
}

/** Makes the state table as versions before the per-table key created it. */
async function streamKeyedState(destination: SqlDestination, schema: string, rows: [string, object][]) {
  const json = destination.driver.dialect === 'postgres' ? 'jsonb' : 'JSON';
  await destination.driver.query(`DROP TABLE "${schema}".state`);
  await destination.driver.query(
    `CREATE TABLE "${schema}".state (stream TEXT PRIMARY KEY, state ${json} NOT NULL, updated_at TIMESTAMPTZ NOT NULL)`,
  );
  for (const [stream, state] of rows) {
    await destination.driver.query(`INSERT INTO "${schema}".state VALUES ($1, CAST($2 AS ${json}), now())`, [
      stream,
      JSON.stringify(state),
    ]);
  }
}

export function stateBehaviour(factory: BackendFactory): void {
  describe('state per target table', () => {
    it('keeps one bookmark per table when two configurations load one stream into one database', () =>
      withDestination(factory, async (portalA, backend) => {
        const tableA = { ...dealsTable(backend.layer, { table: 'a_deals' }), stream: 'deals' };
        const tableB = { ...dealsTable(backend.layer, { table: 'b_deals' }), stream: 'deals' };
        const portalB = await backend.open();
        try {
          await loadOnce(portalA, tableA, { replication_key_value: '2026-01-01T00:00:00+00:00' });
          assert.deepEqual((await portalB.loadState([tableB])).bookmarks, {}, 'B starts from no bookmark');
          await loadOnce(portalB, tableB, { replication_key_value: '2025-06-01T00:00:00+00:00' });
          assert.deepEqual((await portalA.loadState([tableA])).bookmarks, {
            deals: { replication_key_value: '2026-01-01T00:00:00+00:00' },
          });
          assert.deepEqual((await portalA.loadState([tableB])).bookmarks, {
            deals: { replication_key_value: '2025-06-01T00:00:00+00:00' },
          });
          const other = { ...tableA, layer: `${backend.layer}_elsewhere` };
          assert.deepEqual((await portalA.loadState([other])).bookmarks, {}, 'another layer, no bookmark');
          const catalog = await portalA.driver.query(
            `SELECT table_name FROM "${backend.stateSchema}".tables WHERE stream = 'deals' AND layer = $1 ORDER BY table_name`,
            [backend.layer],
          );
          assert.deepEqual(
            catalog,
            [{ table_name: 'a_deals' }, { table_name: 'b_deals' }],
            'a catalog row per table',
          );
        } finally {
          await portalB.close();
        }
      }));

    it('loads one stream into two tables through one destination, each load keeping its own bookmark', () =>
      withDestination(factory, async (destination, backend) => {
        const first = dealsTable(backend.layer, { table: 'first' });
        const second = { ...first, table: 'second' };
        await loadOnce(destination, first, { page: 1 });
        await destination.prepare(second);
        const load = await destination.begin(second, 'upsert');
        await load.write({ records: [deal(2, 'two')], state: { page: 2 }, extractedAt: new Date() });
        // The batch's state is the bookmark of the table its rows went to, not of the stream.
        assert.deepEqual((await destination.loadState([first])).bookmarks, { [first.stream]: { page: 1 } });
        assert.deepEqual((await destination.loadState([second])).bookmarks, { [first.stream]: { page: 2 } });
        await load.finish({ page: 3 });
        assert.deepEqual((await destination.loadState([first])).bookmarks, { [first.stream]: { page: 1 } });
        assert.deepEqual((await destination.loadState([second])).bookmarks, { [first.stream]: { page: 3 } });
        // One configuration still maps a stream to one table.
        await assert.rejects(destination.loadState([first, second]), DestinationConfigError);
      }));

    it('migrates a stream-keyed state: a row stays the bookmark of the table the catalog names', () =>
      withDestination(factory, async (destination, backend) => {
        const deals = dealsTable(backend.layer);
        const leads = dealsTable(backend.layer, { table: 'Leads' });
        const schema = backend.stateSchema;
        await streamKeyedState(destination, schema, [
          [deals.stream, { replication_key_value: '2026-01-01T00:00:00+00:00' }],
          [leads.stream, { resume: { after: 7 } }],
        ]);
        // The catalog as those versions made it, keyed by stream. Only deals finished a load, so
        // only its catalog row says where its rows landed.
        await destination.driver.query(`DROP TABLE "${schema}".tables`);
        await destination.driver.query(
          `CREATE TABLE "${schema}".tables (stream TEXT PRIMARY KEY, layer TEXT, folder TEXT, table_name TEXT, sync_type TEXT, last_load_mode TEXT, last_sync_at TIMESTAMPTZ, row_count BIGINT)`,
        );
        await destination.driver.query(
          `INSERT INTO "${schema}".tables (stream, layer, folder, table_name) VALUES ($1, $2, 'crm', $3)`,
          [deals.stream, deals.layer, deals.table],
        );
        await destination.close();
        const migrated = await backend.open();
        try {
          assert.deepEqual((await migrated.loadState([deals, leads])).bookmarks, {
            [deals.stream]: { replication_key_value: '2026-01-01T00:00:00+00:00' },
          });
          const renamed = { ...deals, table: 'Deals_v2' };
          assert.deepEqual((await migrated.loadState([renamed])).bookmarks, {}, 'not a table it landed in');
          const kept = await migrated.driver.query(
            `SELECT layer, table_name FROM "${schema}".state WHERE stream = $1`,
            [leads.stream],
          );
          assert.deepEqual(kept, [{ layer: '', table_name: '' }], 'a row of no known table is kept, unread');
          await loadOnce(migrated, deals, { replication_key_value: '2026-02-01T00:00:00+00:00' });
          const rows = await migrated.driver.query(
            `SELECT layer, table_name FROM "${schema}".state WHERE stream = $1`,
            [deals.stream],
          );
          assert.deepEqual(
            rows,
            [{ layer: deals.layer, table_name: deals.table }],
            'saved over the migrated row',
          );
          // The finish above upserted its catalog row by (stream, layer, table_name): the rebuilt key.
          const catalog = await migrated.driver.query(
            `SELECT stream, table_name, last_load_mode FROM "${schema}".tables ORDER BY stream`,
          );
          assert.deepEqual(catalog, [
            { stream: deals.stream, table_name: deals.table, last_load_mode: 'upsert' },
          ]);
        } finally {
          await migrated.close();
        }
        const reopened = await backend.open();
        try {
          assert.deepEqual((await reopened.loadState([deals])).bookmarks, {
            [deals.stream]: { replication_key_value: '2026-02-01T00:00:00+00:00' },
          });
        } finally {
          await reopened.close();
        }
      }));
  });
}
