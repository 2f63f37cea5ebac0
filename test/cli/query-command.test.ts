/**
 * `tap-bitrix24 query`: SQL on a DuckDB file (the default target `sync` writes) or Postgres, as a
 * terminal table, JSON lines or CSV, through the real command line.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import pg from 'pg';
import { runCli } from './run-cli.js';

const PG_URL = process.env.TAP_BITRIX24_TEST_PG_URL ?? 'postgres://tap:tap@127.0.0.1:54329/tap_test';
const ROWS = `(1, 'Plain', 10.5, null), (2, 'Comma, "quoted"', 7, '2026-01-02 03:04:05+00')`;

describe('tap-bitrix24 query', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'tap-query-'));
  const schema = `query_test_${process.pid}`;
  before(async () => {
    // Where `sync` writes by default: ./bitrix24.duckdb in the working directory.
    const instance = await DuckDBInstance.create(join(cwd, 'bitrix24.duckdb'));
    const connection = await instance.connect();
    await connection.run('create schema raw');
    await connection.run(
      'create table raw.deals ("ID" bigint, "TITLE" varchar, "OPPORTUNITY" double, "CLOSED_AT" timestamptz)',
    );
    await connection.run(`insert into raw.deals values ${ROWS}`);
    connection.closeSync();
    instance.closeSync();
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    await client.query(`create schema ${schema}`);
    await client.query(
      `create table ${schema}.deals ("ID" bigint, "TITLE" text, "OPPORTUNITY" double precision, "CLOSED_AT" timestamptz)`,
    );
    await client.query(`insert into ${schema}.deals values ${ROWS}`);
    await client.end();
  });
  after(async () => {
    rmSync(cwd, { recursive: true, force: true });
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    await client.query(`drop schema if exists ${schema} cascade`);
    await client.end();
  });

  const sql = 'select "ID", "TITLE", "OPPORTUNITY", "CLOSED_AT" from raw.deals order by 1';

  it('prints a table from ./bitrix24.duckdb by default', async () => {
    const result = await runCli(['query', sql], { cwd });
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trimEnd().split('\n');
    assert.match(lines[0]!, /^ID\s+TITLE\s+OPPORTUNITY\s+CLOSED_AT$/);
    assert.match(lines[1]!, /^-+ {2}-+ {2}-+ {2}-+$/);
    assert.match(lines[2]!, /^ 1 {2}Plain\s+10\.5$/);
    assert.match(lines[3]!, /^ 2 {2}Comma, "quoted"\s+7 {2}2026-01-02 03:04:05/);
    assert.equal(lines[4], '(2 rows)');
  });

  it('--json prints one object per row with numbers as numbers; --csv quotes what needs it', async () => {
    const json = await runCli(['query', sql, '--json'], { cwd });
    assert.equal(json.code, 0, json.stderr);
    const rows = json.stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.deepEqual(
      rows.map((r) => [r.ID, r.TITLE, r.OPPORTUNITY]),
      [
        [1, 'Plain', 10.5],
        [2, 'Comma, "quoted"', 7],
      ],
    );
    assert.equal(rows[0]!.CLOSED_AT, null);
    const csv = await runCli(['query', sql, '--csv'], { cwd });
    assert.equal(csv.code, 0, csv.stderr);
    const lines = csv.stdout.trimEnd().split('\n');
    assert.equal(lines[0], 'ID,TITLE,OPPORTUNITY,CLOSED_AT');
    assert.equal(lines[1], '1,Plain,10.5,');
    assert.match(lines[2]!, /^2,"Comma, ""quoted""",7,2026-01-02/);
  });

  it('--to a postgres:// URL runs the query there', async () => {
    const result = await runCli(['query', sql.replace('raw.', `${schema}.`), '--to', PG_URL, '--json'], {
      cwd,
    });
    assert.equal(result.code, 0, result.stderr);
    const rows = result.stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.deepEqual(
      rows.map((r) => [r.ID, r.TITLE, r.OPPORTUNITY, r.CLOSED_AT]),
      [
        [1, 'Plain', 10.5, null],
        [2, 'Comma, "quoted"', 7, '2026-01-02T03:04:05.000Z'],
      ],
    );
  });

  it('a missing file or bad SQL is one error line and exit 1', async () => {
    const missing = await runCli(['query', 'select 1', '--to', 'nowhere.duckdb'], { cwd });
    assert.equal(missing.code, 1);
    assert.equal(
      missing.stderr,
      'error: no database at nowhere.duckdb; run `tap-bitrix24 sync --config config.json` first, or pass --to with the file or postgres:// URL sync wrote to\n',
    );
    const bad = await runCli(['query', 'select * from raw.nosuch'], { cwd });
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /^error: Catalog Error: Table with name nosuch does not exist/);
  });
});
