/**
 * Replace (FULL_TABLE), full scan deletion marking and history (as-of reads), run against real
 * DuckDB and Postgres by duckdb.test.ts and postgres.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StreamTable } from '../../src/destinations/index.js';
import { type BackendFactory, deal, dealsTable, rows, withDestination } from './destination-behaviour.js';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function loadModesBehaviour(factory: BackendFactory): void {
  describe('replace (FULL_TABLE)', () => {
    it('leaves the live table untouched until finish, then swaps so deleted records disappear', () =>
      withDestination(factory, async (destination, backend) => {
        const table: StreamTable = dealsTable(backend.layer, { replicationMethod: 'FULL_TABLE' });
        await destination.prepare(table);
        const first = await destination.begin(table, 'replace');
        await first.write({
          records: [deal(1, 'a'), deal(2, 'b'), deal(3, 'c')],
          state: {},
          extractedAt: new Date(),
        });
        assert.deepEqual(await rows(destination, table), [], 'nothing is live before finish');
        await first.finish({ run: 1 });
        assert.equal(await destination.countRows(table), 3);

        const second = await destination.begin(table, 'replace');
        await second.write({ records: [deal(2, 'b2')], state: { run: 2 }, extractedAt: new Date() });
        await second.write({ records: [deal(4, 'd')], state: { run: 2 }, extractedAt: new Date() });
        assert.equal(await destination.countRows(table), 3, 'live table unchanged mid-load');
        assert.deepEqual(
          (await destination.loadState([table])).bookmarks[table.stream],
          { run: 1 },
          'state held until finish',
        );
        const summary = await second.finish({ run: 2 });
        assert.equal(summary.rowsWritten, 2);
        assert.deepEqual(await rows(destination, table), [
          { ID: 2, TITLE: 'b2' },
          { ID: 4, TITLE: 'd' },
        ]);
        assert.deepEqual((await destination.loadState([table])).bookmarks[table.stream], { run: 2 });
      }));

    it('keeps the last copy of a key read twice, and the swapped-in table has its primary key', () =>
      withDestination(factory, async (destination, backend) => {
        const table = dealsTable(backend.layer, { replicationMethod: 'FULL_TABLE' });
        await destination.prepare(table);
        const load = await destination.begin(table, 'replace');
        // A row that moved while the list was read comes twice: in one page, and across pages.
        await load.write({
          records: [deal(1, 'a'), deal(2, 'b'), deal(1, 'a again')],
          state: {},
          extractedAt: new Date(),
        });
        await load.write({ records: [deal(3, 'c'), deal(2, 'b again')], state: {}, extractedAt: new Date() });
        await load.write({ records: [deal(2, 'b last')], state: {}, extractedAt: new Date() });
        await load.finish({});
        assert.deepEqual(await rows(destination, table), [
          { ID: 1, TITLE: 'a again' },
          { ID: 2, TITLE: 'b last' },
          { ID: 3, TITLE: 'c' },
        ]);
        const keys = await destination.driver.query(
          `SELECT count(*) AS n FROM information_schema.table_constraints
           WHERE table_schema = $1 AND table_name = $2 AND constraint_type = 'PRIMARY KEY'`,
          [backend.layer, table.table],
        );
        assert.equal(Number(keys[0].n), 1, 'the live table has its primary key');
        const upsert = await destination.begin(table, 'upsert');
        await upsert.write({ records: [deal(3, 'c2'), deal(4, 'd')], state: {}, extractedAt: new Date() });
        await upsert.finish({});
        assert.deepEqual(await rows(destination, table), [
          { ID: 1, TITLE: 'a again' },
          { ID: 2, TITLE: 'b last' },
          { ID: 3, TITLE: 'c2' },
          { ID: 4, TITLE: 'd' },
        ]);
      }));

    it('views on the live table keep working across a replace', () =>
      withDestination(factory, async (destination, backend) => {
        const table = dealsTable(backend.layer, { replicationMethod: 'FULL_TABLE' });
        await destination.prepare(table);
        const first = await destination.begin(table, 'replace');
        await first.write({ records: [deal(1, 'a'), deal(2, 'b')], state: {}, extractedAt: new Date() });
        await first.finish({});
        const view = `"${backend.layer}"."deal_titles"`;
        await destination.driver.query(
          `CREATE VIEW ${view} AS SELECT "ID", "TITLE" FROM "${backend.layer}"."Deals"`,
        );
        const second = await destination.begin(table, 'replace');
        await second.write({ records: [deal(3, 'c')], state: {}, extractedAt: new Date() });
        await second.finish({});
        const found = await destination.driver.query(`SELECT "ID", "TITLE" FROM ${view}`);
        assert.deepEqual(
          found.map((row) => ({ ...row, ID: Number(row.ID) })),
          [{ ID: 3, TITLE: 'c' }],
        );
      }));

    it('discards the staging table of a load that never finished (crash or abort)', () =>
      withDestination(factory, async (destination, backend) => {
        const table = dealsTable(backend.layer, { replicationMethod: 'FULL_TABLE' });
        await destination.prepare(table);
        const first = await destination.begin(table, 'replace');
        await first.write({ records: [deal(1, 'a')], state: {}, extractedAt: new Date() });
        await first.finish({});
        const crashed = await destination.begin(table, 'replace');
        await crashed.write({
          records: [deal(9, 'from the crashed run')],
          state: {},
          extractedAt: new Date(),
        });
        await destination.close(); // the process "dies": no finish, no abort
        const reopened = await backend.open();
        try {
          assert.deepEqual(await rows(reopened, table), [{ ID: 1, TITLE: 'a' }]);
          const retry = await reopened.begin(table, 'replace');
          await retry.write({ records: [deal(5, 'e')], state: {}, extractedAt: new Date() });
          await retry.finish({});
          assert.deepEqual(await rows(reopened, table), [{ ID: 5, TITLE: 'e' }]);
          const aborted = await reopened.begin(table, 'replace');
          await aborted.write({ records: [deal(6, 'f')], state: {}, extractedAt: new Date() });
          await aborted.abort();
          assert.deepEqual(await rows(reopened, table), [{ ID: 5, TITLE: 'e' }]);
          assert.equal((await reopened.columns(table.layer, `${table.table}__staging`)).size, 0);
        } finally {
          await reopened.close();
        }
      }));
  });

  describe('full scan (additional full sync)', () => {
    it('marks rows not seen as deleted, and clears the mark when they come back', () =>
      withDestination(factory, async (destination, backend) => {
        const table = dealsTable(backend.layer);
        await destination.prepare(table);
        const initial = await destination.begin(table, 'upsert');
        await initial.write({
          records: [1, 2, 3, 4, 5].map((id) => deal(id, `v1 ${id}`)),
          state: {},
          extractedAt: new Date(),
        });
        await initial.finish({});

        const scan = await destination.begin(table, 'full_scan');
        await scan.write({
          records: [deal(1, 'v2 1'), deal(2, 'v2 2')],
          state: { page: 1 },
          extractedAt: new Date(),
        });
        await scan.write({ records: [deal(4, 'v2 4')], state: { page: 2 }, extractedAt: new Date() });
        assert.equal(await destination.countRows(table), 5, 'nothing marked before finish');
        const summary = await scan.finish({ done: true });
        assert.deepEqual(summary, { rowsWritten: 3, rowsMarkedDeleted: 2 });
        assert.equal(await destination.countRows(table), 3);
        const deleted = await destination.driver.query(
          `SELECT "ID" FROM "${table.layer}"."${table.table}" WHERE _sdc_deleted_at IS NOT NULL ORDER BY "ID"`,
        );
        assert.deepEqual(
          deleted.map((row) => Number(row.ID)),
          [3, 5],
        );

        const again = await destination.begin(table, 'full_scan');
        await again.write({
          records: [1, 2, 3, 4].map((id) => deal(id, `v3 ${id}`)),
          state: {},
          extractedAt: new Date(),
        });
        assert.deepEqual(await again.finish({}), { rowsWritten: 4, rowsMarkedDeleted: 0 });
        assert.deepEqual(
          (await rows(destination, table)).map((row) => row.ID),
          [1, 2, 3, 4],
        );
      }));
  });

  describe('history (delta log retention)', () => {
    it('keeps overwritten versions so the table can be read as of a past time', () =>
      withDestination(factory, async (destination, backend) => {
        const table = dealsTable(backend.layer, { historyDays: 7 });
        await destination.prepare(table);
        const load = await destination.begin(table, 'upsert');
        await load.write({
          records: [deal(1, 'one v1'), deal(2, 'two v1')],
          state: {},
          extractedAt: new Date(),
        });
        await pause(20);
        const afterFirst = new Date();
        await pause(20);
        await load.write({
          records: [deal(1, 'one v2'), deal(3, 'three v1')],
          state: {},
          extractedAt: new Date(),
        });
        await pause(20);
        const afterSecond = new Date();
        await load.finish({});

        const asOf = async (at: Date) => {
          const found = await destination.driver.query(await destination.tableAsOf(table, at));
          return found.map((row) => `${Number(row.ID)}:${row.TITLE}`).sort();
        };
        assert.deepEqual(await asOf(afterFirst), ['1:one v1', '2:two v1']);
        assert.deepEqual(await asOf(afterSecond), ['1:one v2', '2:two v1', '3:three v1']);
        assert.deepEqual(await asOf(new Date(afterFirst.getTime() - 60_000)), []);
      }));

    it('keeps the rows a replace drops, and prunes versions older than historyDays at finish', () =>
      withDestination(factory, async (destination, backend) => {
        const table = dealsTable(backend.layer, { historyDays: 2, replicationMethod: 'FULL_TABLE' });
        await destination.prepare(table);
        const first = await destination.begin(table, 'replace');
        await first.write({ records: [deal(1, 'a'), deal(2, 'b')], state: {}, extractedAt: new Date() });
        await first.finish({});
        await pause(20);
        const between = new Date();
        await pause(20);
        const history = `"${table.layer}"."${table.table}__history"`;
        await destination.driver.query(
          `INSERT INTO ${history} ("ID", "TITLE", _sdc_valid_from, _sdc_valid_to)
           VALUES (99, 'ancient', CAST('2020-01-01T00:00:00Z' AS TIMESTAMPTZ), CAST('2020-01-02T00:00:00Z' AS TIMESTAMPTZ))`,
        );
        const second = await destination.begin(table, 'replace');
        await second.write({ records: [deal(2, 'b2')], state: {}, extractedAt: new Date() });
        await second.finish({});

        const asOfBetween = await destination.driver.query(await destination.tableAsOf(table, between));
        assert.deepEqual(asOfBetween.map((row) => `${Number(row.ID)}:${row.TITLE}`).sort(), ['1:a', '2:b']);
        const asOfNow = await destination.driver.query(
          await destination.tableAsOf(table, new Date(Date.now() + 1000)),
        );
        assert.deepEqual(
          asOfNow.map((row) => `${Number(row.ID)}:${row.TITLE}`),
          ['2:b2'],
        );
        const ancient = await destination.driver.query(
          `SELECT count(*) AS n FROM ${history} WHERE "ID" = 99`,
        );
        assert.equal(Number(ancient[0].n), 0, 'versions older than historyDays are pruned');
      }));
  });
}
