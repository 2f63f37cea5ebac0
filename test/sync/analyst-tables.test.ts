import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe } from 'node:test';
import { analystTablesBehaviour } from './analyst-tables-behaviour.js';
import { duckdbDatabase, postgresDatabase } from './analyst-tables-database.js';
import { resetPostgres } from './table-snapshot.js';

describe('analyst tables in DuckDB', () => {
  const folder = mkdtempSync(join(tmpdir(), 'tap-analyst-'));
  after(() => rmSync(folder, { recursive: true, force: true }));
  analystTablesBehaviour(async () => duckdbDatabase(join(folder, 'warehouse.duckdb'), 'analyst'));
});

describe('analyst tables in Postgres', () => {
  const layer = `analyst_${randomBytes(5).toString('hex')}`;
  const url = process.env.TAP_BITRIX24_TEST_PG_URL;
  after(async () => {
    if (url) await resetPostgres(url, [layer]);
  });
  analystTablesBehaviour(async () => {
    if (!url)
      throw new Error(
        'TAP_BITRIX24_TEST_PG_URL is not set: start Postgres with `bash .ci/start-postgres.sh`',
      );
    return postgresDatabase(url, layer);
  });
});
