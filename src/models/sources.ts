/**
 * Which raw tables the models may read: a stream counts as synced when the destination's catalog
 * (`_tap.tables`) has a row for the table the configuration maps it to (its `layer`, its `table`
 * after `table_prefix`) and that table exists. A model reads its streams through `select`, which
 * names only the columns it needs, skips rows marked deleted, and stands NULL in for a column the
 * table lacks or for a stream that was not synced (when the model can do without it).
 */
import { qualified, quoteIdent, quoteLiteral, type SqlDriver } from '../destinations/sql-driver.js';
import { jsonType, type SqlDialectName } from './dialect.js';

/** Where the configuration puts a stream's rows: its schema (layer) and table name. */
export type TargetOf = (stream: string) => { layer: string; table: string };

export interface SyncedTable {
  stream: string;
  layer: string;
  table: string;
  /** Column names as the table has them now. */
  columns: ReadonlySet<string>;
}

/** A column a model reads and the type it has when the table lacks it. */
export type ColumnType = 'bigint' | 'double' | 'text' | 'timestamptz' | 'date' | 'boolean' | 'json';

export type ColumnList = Readonly<Record<string, ColumnType>>;

/** Streams whose table the configuration's mapping says was loaded, with their columns. */
export async function syncedTables(
  driver: SqlDriver,
  stateSchema: string,
  targetOf: TargetOf,
): Promise<Map<string, SyncedTable>> {
  const catalog = await driver.query(
    `SELECT stream, layer, table_name FROM ${qualified(stateSchema, 'tables')} ORDER BY stream`,
  );
  const wanted = catalog.filter((row) => {
    const target = targetOf(String(row.stream));
    return target.layer === String(row.layer) && target.table === String(row.table_name);
  });
  const synced = new Map<string, SyncedTable>();
  if (wanted.length === 0) return synced;
  const columns = await driver.query(
    `SELECT table_schema, table_name, column_name FROM information_schema.columns
     WHERE table_schema IN (${[...new Set(wanted.map((row) => quoteLiteral(String(row.layer))))].join(', ')})`,
  );
  const byTable = new Map<string, Set<string>>();
  for (const c of columns) {
    const key = `${c.table_schema}.${c.table_name}`;
    const set = byTable.get(key) ?? new Set<string>();
    set.add(String(c.column_name));
    byTable.set(key, set);
  }
  for (const row of wanted) {
    const found = byTable.get(`${row.layer}.${row.table_name}`);
    if (!found) continue;
    const stream = String(row.stream);
    synced.set(stream, { stream, layer: String(row.layer), table: String(row.table_name), columns: found });
  }
  return synced;
}

function nullOf(dialect: SqlDialectName, type: ColumnType): string {
  const sql: Record<ColumnType, string> = {
    bigint: 'BIGINT',
    double: 'DOUBLE PRECISION',
    text: 'TEXT',
    timestamptz: 'TIMESTAMPTZ',
    date: 'DATE',
    boolean: 'BOOLEAN',
    json: jsonType(dialect),
  };
  return `CAST(NULL AS ${sql[type]})`;
}

/** The synced tables as a model sees them. */
export class ModelSources {
  constructor(
    readonly dialect: SqlDialectName,
    readonly tables: ReadonlyMap<string, SyncedTable>,
  ) {}

  has(stream: string): boolean {
    return this.tables.has(stream);
  }

  /**
   * A subquery of `stream`'s live rows with exactly `columns` (NULL for one the table lacks);
   * no rows when the stream was not synced.
   */
  select(stream: string, columns: ColumnList): string {
    const table = this.tables.get(stream);
    const list = Object.entries(columns)
      .map(([name, type]) =>
        table?.columns.has(name) ? quoteIdent(name) : `${nullOf(this.dialect, type)} AS ${quoteIdent(name)}`,
      )
      .join(', ');
    if (!table) return `(SELECT ${list} WHERE 1 = 0)`;
    const live = table.columns.has('_sdc_deleted_at') ? ' WHERE "_sdc_deleted_at" IS NULL' : '';
    return `(SELECT ${list} FROM ${qualified(table.layer, table.table)}${live})`;
  }

  /** Those of `names` that `stream`'s table has, in `names`' order. */
  present(stream: string, names: Iterable<string>): string[] {
    const table = this.tables.get(stream);
    return table ? [...names].filter((name) => table.columns.has(name)) : [];
  }
}
