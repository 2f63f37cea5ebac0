/** Reads what a sync left in a database, for comparing runs: data columns only, rows sorted. */
import { DuckDBInstance } from '@duckdb/node-api';
import pg from 'pg';

export interface TableSnapshot {
  /** JSON of each live row's data columns (no `_sdc_*`), sorted. */
  rows: string[];
  /** Keys (JSON) of rows marked `_sdc_deleted_at`. */
  deleted: string[];
}

function normalise(rows: Record<string, unknown>[], keys: readonly string[]): TableSnapshot {
  const live: string[] = [];
  const deleted: string[] = [];
  for (const row of rows) {
    const data = Object.fromEntries(
      Object.entries(row)
        .filter(([c]) => !c.startsWith('_sdc_'))
        .sort(([a], [b]) => a.localeCompare(b)),
    );
    if (row._sdc_deleted_at !== null && row._sdc_deleted_at !== undefined)
      deleted.push(JSON.stringify(keys.map((k) => String(row[k]))));
    else live.push(JSON.stringify(data, (_k, v) => (typeof v === 'bigint' ? String(v) : v)));
  }
  return { rows: live.sort(), deleted: deleted.sort() };
}

function keyColumn(columns: string[]): string[] {
  return columns.includes('ID') ? ['ID'] : columns.includes('id') ? ['id'] : [];
}

export async function duckdbSnapshot(path: string, layer = 'raw'): Promise<Record<string, TableSnapshot>> {
  const instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
  const connection = await instance.connect();
  try {
    const tables = (
      await connection.runAndReadAll(
        `select table_name from duckdb_tables() where schema_name = '${layer}' order by 1`,
      )
    ).getRowObjectsJson();
    const out: Record<string, TableSnapshot> = {};
    for (const { table_name } of tables) {
      const reader = await connection.runAndReadAll(`select * from "${layer}"."${table_name}"`);
      const rows = reader.getRowObjectsJson() as Record<string, unknown>[];
      out[String(table_name)] = normalise(rows, keyColumn(reader.columnNames()));
    }
    return out;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

export async function postgresSnapshot(url: string, layer = 'raw'): Promise<Record<string, TableSnapshot>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const tables = await client.query<{ table_name: string }>(
      `select table_name from information_schema.tables where table_schema = $1 order by 1`,
      [layer],
    );
    const out: Record<string, TableSnapshot> = {};
    for (const { table_name } of tables.rows) {
      // Text for every column so numbers and dates compare the same way across runs.
      const result = await client.query(`select * from "${layer}"."${table_name}"`);
      const rows = result.rows.map((r: Record<string, unknown>) =>
        Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v])),
      );
      out[table_name] = normalise(rows, keyColumn(result.fields.map((f) => f.name)));
    }
    return out;
  } finally {
    await client.end();
  }
}

/**
 * Drops the connector's schemas (layers), and their rows in the shared `_tap` bookkeeping, so a
 * Postgres test leaves nothing behind.
 */
export async function resetPostgres(url: string, schemas: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const schema of schemas) await client.query(`drop schema if exists "${schema}" cascade`);
    for (const bookkeeping of ['state', 'tables', 'verifications'])
      await client
        .query(`delete from _tap.${bookkeeping} where layer = any($1)`, [schemas])
        .catch(() => undefined);
  } finally {
    await client.end();
  }
}
