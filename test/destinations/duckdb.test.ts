import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { DuckDbDestination, openDestination } from '../../src/destinations/index.js';
import { catalogBehaviour } from './catalog-behaviour.js';
import { type BackendFactory, deal, dealsTable, destinationBehaviour } from './destination-behaviour.js';
import { loadModesBehaviour } from './load-modes-behaviour.js';
import { stateBehaviour } from './state-behaviour.js';

const duckdb: BackendFactory = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'tap-bitrix24-duckdb-'));
  const path = join(dir, 'test.duckdb');
  return {
    layer: 'bitrix24',
    stateSchema: '_tap',
    open: () => DuckDbDestination.open(path),
    epochMs: (column) => `epoch_ms(${column})`,
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
};

describe('DuckDB destination', () => {
  destinationBehaviour(duckdb);
  loadModesBehaviour(duckdb);
  stateBehaviour(duckdb);
  catalogBehaviour(duckdb);

  it('appends new keys straight into the table with their metadata, and a column a user retyped still loads', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tap-bitrix24-duckdb-'));
    try {
      let destination = await DuckDbDestination.open(join(dir, 'test.duckdb'));
      const table = dealsTable('raw');
      await destination.prepare(table);
      const extractedAt = new Date('2026-01-02T03:04:05.678Z');
      let load = await destination.begin(table, 'upsert');
      await load.write({
        records: [deal(1, 'one'), deal(2, 'two')],
        state: { bookmark: 'a' },
        extractedAt,
      });
      await load.finish({ bookmark: 'a' });
      const appended = await destination.driver.query(
        `SELECT "ID", epoch_ms(_sdc_extracted_at) AS extracted, _sdc_synced_at IS NOT NULL AS synced, _sdc_deleted_at FROM raw."Deals" ORDER BY "ID"`,
      );
      assert.deepEqual(
        appended.map((r) => [Number(r.ID), Number(r.extracted), r.synced, r._sdc_deleted_at]),
        [
          [1, extractedAt.getTime(), true, null],
          [2, extractedAt.getTime(), true, null],
        ],
      );
      // An INTEGER column is not one the destination makes: its values are staged as text and cast.
      // A user retypes it between runs (a destination reads its tables' columns once, when opened).
      await destination.close();
      destination = await DuckDbDestination.open(join(dir, 'test.duckdb'));
      await destination.driver.query('ALTER TABLE raw."Deals" ALTER COLUMN "OPPORTUNITY" TYPE INTEGER');
      await destination.prepare(table);
      load = await destination.begin(table, 'upsert');
      await load.write({
        records: [deal(3, 'three', { OPPORTUNITY: 1500 })],
        state: { bookmark: 'b' },
        extractedAt: new Date(),
      });
      await load.write({
        records: [deal(4, 'four', { OPPORTUNITY: 7 }), deal(1, 'one again')],
        state: { bookmark: 'c' },
        extractedAt: new Date(),
      });
      await load.finish({ bookmark: 'c' });
      const found = await destination.driver.query(
        `SELECT "ID", "TITLE", "OPPORTUNITY" FROM raw."Deals" ORDER BY "ID"`,
      );
      assert.deepEqual(
        found.map((r) => [Number(r.ID), r.TITLE, r.OPPORTUNITY === null ? null : Number(r.OPPORTUNITY)]),
        [
          [1, 'one again', null],
          [2, 'two', null],
          [3, 'three', 1500],
          [4, 'four', 7],
        ],
      );
      const state = await destination.loadState([table]);
      assert.deepEqual(state.bookmarks[table.stream], { bookmark: 'c' });
      await destination.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('an append refused for an existing key leaves nothing behind to spoil a later transaction', async () => {
    const destination = await DuckDbDestination.open(':memory:');
    try {
      const { driver } = destination;
      await driver.script(['CREATE TABLE keyed (id BIGINT PRIMARY KEY)', 'INSERT INTO keyed VALUES (1)']);
      await driver.script(['BEGIN TRANSACTION']);
      await assert.rejects(driver.appendPage!('main', 'keyed', [['bigint', [1]]], 1), (error) =>
        driver.isDuplicateKeyError(error),
      );
      await driver.query('ROLLBACK');
      // An appender still holding the refused row would flush it when garbage collected, into
      // whatever transaction runs then, and fail that one.
      setFlagsFromString('--expose-gc');
      const gc = runInNewContext('gc') as () => void;
      await driver.script(['BEGIN TRANSACTION']);
      for (let i = 0; i < 3; i++) {
        gc();
        // Finalizers run on a later turn of the event loop.
        await new Promise((resolve) => setImmediate(resolve));
      }
      await driver.script(['INSERT INTO keyed VALUES (2)', 'COMMIT']);
      const ids = await driver.query('SELECT id FROM keyed ORDER BY id');
      assert.deepEqual(
        ids.map((r) => Number(r.id)),
        [1, 2],
      );
    } finally {
      await destination.close();
    }
  });

  it('refuses a layer named like the file, which DuckDB cannot tell apart, naming the fix', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tap-bitrix24-duckdb-'));
    try {
      const destination = await DuckDbDestination.open(join(dir, 'bitrix24.duckdb'));
      await assert.rejects(
        destination.prepare(dealsTable('bitrix24')),
        /set streams\.deals_bitrix24_\d+\.layer to another name/,
      );
      await destination.prepare(dealsTable('raw'));
      await destination.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('two destinations on one file in one process share it safely', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tap-bitrix24-duckdb-'));
    const path = join(dir, 'shared.duckdb');
    try {
      const first = await DuckDbDestination.open(path);
      const second = await DuckDbDestination.open(path);
      const table = dealsTable('bitrix24');
      await first.prepare(table);
      const load = await first.begin(table, 'upsert');
      await load.write({
        records: [deal(1, 'a'), deal(2, 'b')],
        state: { page: 1 },
        extractedAt: new Date(),
      });
      await load.finish({ page: 1 });
      assert.equal(await second.countRows(table), 2);
      assert.deepEqual((await second.loadState([table])).bookmarks[table.stream], { page: 1 });
      await first.close();
      assert.equal(await second.countRows(table), 2, 'closing one leaves the other working');
      await second.close();
      const reopened = await DuckDbDestination.open(path);
      assert.equal(await reopened.countRows(table), 2);
      await reopened.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('openDestination accepts a path or duckdb:path and describes it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tap-bitrix24-duckdb-'));
    try {
      const plain = await openDestination(join(dir, 'a.duckdb'));
      assert.equal(plain.kind, 'duckdb');
      assert.equal(plain.description, `duckdb:${join(dir, 'a.duckdb')}`);
      await plain.close();
      const prefixed = await openDestination(`duckdb:${join(dir, 'b.duckdb')}`);
      assert.equal(prefixed.kind, 'duckdb');
      assert.deepEqual(await prefixed.loadState([dealsTable('raw')]), { bookmarks: {} });
      await prefixed.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
