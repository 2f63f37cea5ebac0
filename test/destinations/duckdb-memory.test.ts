import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { DuckDbDestination, duckDbSettings } from '../../src/destinations/index.js';
import { tempDir } from '../temp-dir.js';
import { deal, dealsTable } from './destination-behaviour.js';

/** A table of `columns` columns, as wide as a Bitrix24 deal with its custom fields. */
function wideTableSql(name: string, columns: number): string {
  const definitions = Array.from(
    { length: columns },
    (_, c) => `c${c} ${c % 3 === 0 ? 'BIGINT' : 'VARCHAR'}`,
  );
  return `CREATE TABLE ${name} (id BIGINT PRIMARY KEY, ${definitions.join(', ')})`;
}

function wideRowsSql(name: string, columns: number, from: number, to: number): string {
  const values = Array.from({ length: columns }, (_, c) =>
    c % 3 === 0 ? `i * ${c}` : `'value ' || (i % 97) || ' of ${c}'`,
  );
  return `INSERT INTO ${name} SELECT i, ${values.join(', ')} FROM range(${from}, ${to}) r(i)`;
}

async function megabytesInMemory(destination: DuckDbDestination, tag: string): Promise<number> {
  const [row] = await destination.driver.query(
    `SELECT coalesce(sum(memory_usage_bytes), 0) AS bytes FROM duckdb_memory() WHERE tag = '${tag}'`,
  );
  return Number(row?.bytes ?? 0) / 2 ** 20;
}

describe('DuckDB memory', () => {
  it('derives memory_limit and threads from the budget, and creates files with 64 KiB blocks', async () => {
    const settings = duckDbSettings(256);
    assert.equal(settings.memory_limit, '256MB');
    assert.ok(Number(settings.threads) >= 1 && Number(settings.threads) <= 2);
    assert.equal(duckDbSettings(64).threads, '1');
    const dir = tempDir('tap-bitrix24-duckdb-memory-');
    const destination = await DuckDbDestination.open(join(dir, 'new.duckdb'));
    try {
      const [size] = await destination.driver.query('SELECT block_size FROM pragma_database_size()');
      assert.equal(Number(size?.block_size), 64 * 1024);
    } finally {
      await destination.close();
    }
  });

  it('holds a wide table being appended in a few MB, not a block of every column', async () => {
    // Committed rows stay in memory until a checkpoint, and the table's last row group keeps a
    // segment (at least one block) per column: with DuckDB's default 256 KiB blocks a 100-column
    // table held ~50 MB after 1,000 more rows, with 64 KiB blocks ~13 MB.
    const dir = tempDir('tap-bitrix24-duckdb-memory-');
    const destination = await DuckDbDestination.open(join(dir, 'wide.duckdb'));
    try {
      await destination.driver.query(wideTableSql('wide', 100));
      await destination.driver.query(wideRowsSql('wide', 100, 0, 2000));
      await destination.driver.query('CHECKPOINT');
      // Appending after a checkpoint: the table's last row group is held again, column by column.
      await destination.driver.query(wideRowsSql('wide', 100, 2000, 3000));
      const held = await megabytesInMemory(destination, 'IN_MEMORY_TABLE');
      assert.ok(held > 0, 'the committed rows are held in memory until a checkpoint');
      assert.ok(held < 25, `a 100-column table held ${held.toFixed(1)} MB`);
    } finally {
      await destination.close();
    }
  });

  it('keeps committed rows of four tables being loaded within the budget, without checkpointing for it', async () => {
    // Rows committed and not yet checkpointed count against memory_limit; past it DuckDB moves them
    // to <file>.tmp, so no checkpoint per commit is needed to hold the budget.
    const dir = tempDir('tap-bitrix24-duckdb-memory-');
    const destination = await DuckDbDestination.open(join(dir, 'budget.duckdb'), { memoryLimitMb: 128 });
    const limit = 128 * 2 ** 20;
    let largest = 0;
    try {
      for (let t = 0; t < 4; t++) await destination.driver.query(wideTableSql(`wide${t}`, 100));
      for (let commit = 0; commit < 40; commit++) {
        const table = `wide${commit % 4}`;
        const from = Math.floor(commit / 4) * 2000;
        await destination.driver.query(wideRowsSql(table, 100, from, from + 2000));
        const [row] = await destination.driver.query(
          'SELECT coalesce(sum(memory_usage_bytes), 0) AS bytes FROM duckdb_memory()',
        );
        largest = Math.max(largest, Number(row?.bytes ?? 0));
      }
      for (let t = 0; t < 4; t++) {
        const [count] = await destination.driver.query(`SELECT count(*) AS n FROM wide${t}`);
        assert.equal(Number(count?.n), 20_000, `wide${t}`);
      }
      assert.ok(largest > 0);
      assert.ok(largest <= limit, `DuckDB held ${(largest / 2 ** 20).toFixed(0)} MB of a 128 MB budget`);
    } finally {
      await destination.close();
    }
  });

  it('keeps loading a file made with DuckDB default 256 KiB blocks', async () => {
    const dir = tempDir('tap-bitrix24-duckdb-memory-');
    const path = join(dir, 'older.duckdb');
    const older = await DuckDBInstance.create(path);
    const connection = await older.connect();
    await connection.run('CREATE TABLE made_before (id BIGINT)');
    connection.closeSync();
    older.closeSync();
    const destination = await DuckDbDestination.open(path);
    try {
      const [size] = await destination.driver.query('SELECT block_size FROM pragma_database_size()');
      assert.equal(Number(size?.block_size), 256 * 1024);
      const table = dealsTable('raw');
      await destination.prepare(table);
      const load = await destination.begin(table, 'replace');
      await load.write({ records: [deal(1, 'one'), deal(2, 'two')], state: {}, extractedAt: new Date() });
      await load.finish({ done: true });
      const [count] = await destination.driver.query('SELECT count(*) AS n FROM raw."Deals"');
      assert.equal(Number(count?.n), 2);
    } finally {
      await destination.close();
    }
  });
});
