import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DuckDbDestination, openDestination } from '../../src/destinations/index.js';
import { type BackendFactory, deal, dealsTable, destinationBehaviour } from './destination-behaviour.js';
import { loadModesBehaviour } from './load-modes-behaviour.js';

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
      await load.write([deal(1, 'a'), deal(2, 'b')], { page: 1 }, new Date());
      await load.finish({ page: 1 });
      assert.equal(await second.countRows(table), 2);
      assert.deepEqual((await second.loadState()).bookmarks[table.stream], { page: 1 });
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
      assert.deepEqual(await prefixed.loadState(), { bookmarks: {} });
      await prefixed.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
