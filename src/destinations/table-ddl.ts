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

/**
 * The columns of every table in `schema`, by table, in one read: DuckDB builds
 * `information_schema.columns` from its whole catalog on each query (about 16 ms with a sync's
 * tables), so reading it per table cost more than some streams' rows.
 */
export async function schemaColumnsOf(driver: SqlDriver, schema: string): Promise<Map<string, TableColumns>> {
  const rows = await driver.query(
    `SELECT table_name, column_name, data_type FROM information_schema.columns
     WHERE table_schema = $1 ORDER BY table_name, ordinal_position`,
    [schema],
  );
  const tables = new Map<string, TableColumns>();
  for (const row of rows) {
    const table = String(row.table_name);
    const columns = tables.get(table) ?? new Map<string, ColumnKind>();
    columns.set(String(row.column_name), kindOfSqlType(String(row.data_type)));
    tables.set(table, columns);
  }
  return tables;
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

/** What a table needs to have at least some columns: the DDL, and its columns afterwards. */
export interface TablePlan {
  statements: string[];
  columns: TableColumns;
}

/**
 * The statements that make `schema.table`, whose columns are `existing` (empty: it does not
 * exist), have at least `wanted` columns: CREATE TABLE, or ADD COLUMN for missing ones and ALTER
 * … TYPE for widened ones; and the columns it has once they ran, in order (a created table has
 * the data columns, the metadata, then `extra`; an added column comes last), so that nobody
 * need read the catalog again to know them. Run them inside a transaction.
 */
export function planTable(
  driver: SqlDriver,
  schema: string,
  table: string,
  existing: TableColumns,
  wanted: readonly (readonly [string, ColumnKind])[],
  keys: readonly string[],
  extra: readonly string[] = [],
): TablePlan {
  const timestamps = [...metaColumns, ...extra].map((name): [string, ColumnKind] => [name, 'timestamptz']);
  if (existing.size === 0) {
    return {
      statements: [createTableSql(driver, schema, table, wanted, keys, extra)],
      columns: new Map([...wanted, ...timestamps]),
    };
  }
  const name = qualified(schema, table);
  const columns = new Map(existing);
  const statements: string[] = [];
  const add = (column: string, kind: ColumnKind) => {
    statements.push(`ALTER TABLE ${name} ADD COLUMN ${quoteIdent(column)} ${sqlType(driver.dialect, kind)}`);
    columns.set(column, kind);
  };
  const keySet = new Set(keys);
  for (const [column, kind] of wanted) {
    const current = columns.get(column);
    if (current === undefined) {
      add(column, kind);
      continue;
    }
    const next = evolvedKind(current, kind, keySet.has(column));
    if (next !== current) {
      const type = sqlType(driver.dialect, next);
      const using = driver.dialect === 'postgres' ? ` USING ${quoteIdent(column)}::text` : '';
      statements.push(`ALTER TABLE ${name} ALTER COLUMN ${quoteIdent(column)} TYPE ${type}${using}`);
      columns.set(column, next);
    }
  }
  for (const [column, kind] of timestamps) if (!columns.has(column)) add(column, kind);
  return { statements, columns };
}
