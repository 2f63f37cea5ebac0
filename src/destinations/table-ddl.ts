/**
 * Creating and evolving a table so it has a typed column per property (see columns.ts for the
 * type mapping and the evolution rule). Columns are only ever added or widened to text.
 */
import { type ColumnKind, evolvedKind, kindOfSqlType, sqlType } from './columns.js';
import { qualified, quoteIdent, type SqlDriver } from './sql-driver.js';

/** Every row's load metadata, as in Singer targets. */
export const metaColumns = ['_sdc_extracted_at', '_sdc_synced_at', '_sdc_deleted_at'] as const;
/** A history row's validity interval: [from, to). */
export const historyColumns = ['_sdc_valid_from', '_sdc_valid_to'] as const;

/** Columns of a table in their order, with kinds; empty when the table does not exist. */
export type TableColumns = Map<string, ColumnKind>;

export async function columnsOf(driver: SqlDriver, schema: string, table: string): Promise<TableColumns> {
  const rows = await driver.query(
    `SELECT column_name, data_type FROM information_schema.columns
     WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position`,
    [schema, table],
  );
  return new Map(rows.map((row) => [String(row.column_name), kindOfSqlType(String(row.data_type))]));
}

/** Data columns (everything but the `_sdc_` metadata) of a table. */
export function dataColumns(columns: TableColumns): [string, ColumnKind][] {
  const meta = new Set<string>([...metaColumns, ...historyColumns]);
  return [...columns].filter(([name]) => !meta.has(name));
}

/**
 * `CREATE TABLE` with the data columns, the metadata and `extra` timestamp columns. The keys are
 * the primary key, or, with `keyConstraint: 'not-null'`, only NOT NULL (a table whose key is
 * added once it is filled).
 */
export function createTableSql(
  driver: SqlDriver,
  schema: string,
  table: string,
  columns: readonly (readonly [string, ColumnKind])[],
  keys: readonly string[],
  extra: readonly string[] = [],
  keyConstraint: 'primary-key' | 'not-null' = 'primary-key',
): string {
  const notNull = new Set(keyConstraint === 'not-null' ? keys : []);
  const definitions = [
    ...columns.map(
      ([name, kind]) =>
        `${quoteIdent(name)} ${sqlType(driver.dialect, kind)}${notNull.has(name) ? ' NOT NULL' : ''}`,
    ),
    ...[...metaColumns, ...extra].map(
      (name) => `${quoteIdent(name)} ${sqlType(driver.dialect, 'timestamptz')}`,
    ),
  ];
  if (keys.length > 0 && keyConstraint === 'primary-key')
    definitions.push(`PRIMARY KEY (${keys.map(quoteIdent).join(', ')})`);
  return `CREATE TABLE ${qualified(schema, table)} (${definitions.join(', ')})`;
}

/**
 * Makes `schema.table` have at least `wanted` columns: creates it, or adds missing columns and
 * widens changed ones. Returns the table's columns afterwards. Run inside a transaction.
 */
export async function ensureTable(
  driver: SqlDriver,
  schema: string,
  table: string,
  wanted: readonly (readonly [string, ColumnKind])[],
  keys: readonly string[],
  extra: readonly string[] = [],
): Promise<TableColumns> {
  const existing = await columnsOf(driver, schema, table);
  const name = qualified(schema, table);
  if (existing.size === 0) {
    await driver.query(createTableSql(driver, schema, table, wanted, keys, extra));
    return columnsOf(driver, schema, table);
  }
  const keySet = new Set(keys);
  for (const [column, kind] of wanted) {
    const current = existing.get(column);
    if (current === undefined) {
      await driver.query(
        `ALTER TABLE ${name} ADD COLUMN ${quoteIdent(column)} ${sqlType(driver.dialect, kind)}`,
      );
      continue;
    }
    const next = evolvedKind(current, kind, keySet.has(column));
    if (next !== current) {
      const type = sqlType(driver.dialect, next);
      const using = driver.dialect === 'postgres' ? ` USING ${quoteIdent(column)}::text` : '';
      await driver.query(`ALTER TABLE ${name} ALTER COLUMN ${quoteIdent(column)} TYPE ${type}${using}`);
    }
  }
  for (const column of [...metaColumns, ...extra]) {
    if (!existing.has(column)) {
      await driver.query(
        `ALTER TABLE ${name} ADD COLUMN ${quoteIdent(column)} ${sqlType(driver.dialect, 'timestamptz')}`,
      );
    }
  }
  return columnsOf(driver, schema, table);
}
