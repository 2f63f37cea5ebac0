/**
 * The `_tap` bookkeeping tables of a SQL destination: `state` (bookmarks), `tables` (the
 * catalog of synced tables) and `verifications` (verification-log.ts), their creation, and the one
 * migration of `state`.
 *
 * A bookmark belongs to the table a stream's rows land in, not to the stream name: two
 * configurations may sync two portals into one database and keep them apart by `table_prefix` or
 * `layer`, and each must resume from its own bookmark. (Keyed by stream alone, portal B read
 * portal A's `deals` bookmark and skipped every deal modified before it.) So a state row is keyed
 * by (stream, layer, table_name): a table later given to another stream does not hand that stream
 * a bookmark of rows it never read either.
 *
 * Databases written before that have `state(stream PRIMARY KEY, …)`. DuckDB cannot change a
 * primary key in place (no ALTER TABLE … DROP CONSTRAINT; a second PRIMARY KEY is refused), so,
 * the same way for both databases, the table is rebuilt once, at open, in the transaction that
 * creates the bookkeeping (a new table beside it would leave the old one looking current to
 * anyone who reads or resets `_tap.state` by hand). Each old row gets the layer and table that
 * the catalog (`tables`, which those versions keyed by stream and wrote in the same transaction as
 * the final state) says its stream landed in. That is done before this version writes any catalog
 * row, so the catalog still describes the runs the old rows came from. A row
 * whose stream has no catalog row (its first load never finished) is kept with an empty layer and
 * table, which no target has, so it is never read: that stream reads from `start_date` again,
 * which upserts and so loses nothing, rather than borrow a bookmark that may be another portal's.
 * The table keeps its name and `stream` column, so `DELETE FROM _tap.state WHERE stream = …` (how
 * a benchmark or a user resets a stream) keeps working. The catalog `tables` is keyed the same
 * way, and an older one, keyed by stream, is rebuilt after the state (which reads it).
 */
import { sqlType } from './columns.js';
import type { StateTarget, TapState } from './destination.js';
import { DestinationConfigError } from './errors.js';
import { qualified, quoteIdent, quoteLiteral, type SqlDriver } from './sql-driver.js';
import { verificationTableSql } from './verification-log.js';

const STATE = 'state';
const CATALOG = 'tables';

function catalogTableSql(driver: SqlDriver, schema: string, name: string): string {
  const text = sqlType(driver.dialect, 'text');
  return `CREATE TABLE IF NOT EXISTS ${qualified(schema, name)} (stream ${text} NOT NULL, layer ${text} NOT NULL, folder ${text}, table_name ${text} NOT NULL, sync_type ${text}, last_load_mode ${text}, last_sync_at TIMESTAMPTZ, row_count BIGINT, PRIMARY KEY (stream, layer, table_name))`;
}

function stateTableSql(driver: SqlDriver, schema: string, name: string): string {
  const text = sqlType(driver.dialect, 'text');
  const json = sqlType(driver.dialect, 'json');
  return `CREATE TABLE IF NOT EXISTS ${qualified(schema, name)} (stream ${text} NOT NULL, layer ${text} NOT NULL, table_name ${text} NOT NULL, state ${json} NOT NULL, updated_at TIMESTAMPTZ NOT NULL, PRIMARY KEY (stream, layer, table_name))`;
}

/**
 * Creates schema `schema` with the bookkeeping tables, migrating a stream-keyed `state`. Run
 * inside a transaction, so a failed migration leaves the old table as it was.
 */
export async function ensureBookkeeping(driver: SqlDriver, schema: string): Promise<void> {
  if (driver.dialect === 'postgres') {
    // Two processes opening one database at once would both see the old table and both rebuild
    // it; the second waits here and then finds it migrated. (A DuckDB file has one writer process.)
    await driver.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`tap-bitrix24 ${schema}`]);
  }
  await driver.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
  await driver.query(catalogTableSql(driver, schema, CATALOG));
  const keyedByStream = async (table: string) =>
    (await primaryKeyOf(driver, schema, table)).join() === 'stream';
  // The state first: it reads the catalog as the versions that wrote both left it.
  if (await keyedByStream(STATE)) {
    await rebuildKeyedByTarget(
      driver,
      schema,
      STATE,
      stateTableSql,
      `(stream, layer, table_name, state, updated_at)
       SELECT s.stream, coalesce(t.layer, ''), coalesce(t.table_name, ''), s.state, s.updated_at
       FROM ${qualified(schema, STATE)} s LEFT JOIN ${qualified(schema, CATALOG)} t ON t.stream = s.stream`,
    );
  }
  await driver.query(stateTableSql(driver, schema, STATE));
  await driver.query(verificationTableSql(driver, schema));
  if (await keyedByStream(CATALOG)) {
    await rebuildKeyedByTarget(
      driver,
      schema,
      CATALOG,
      catalogTableSql,
      `(stream, layer, folder, table_name, sync_type, last_load_mode, last_sync_at, row_count)
       SELECT stream, coalesce(layer, ''), folder, coalesce(table_name, ''), sync_type, last_load_mode, last_sync_at, row_count
       FROM ${qualified(schema, CATALOG)}`,
    );
  }
}

/** The primary key's columns of `schema.table`, in key order; none when it does not exist. */
async function primaryKeyOf(driver: SqlDriver, schema: string, table: string): Promise<string[]> {
  const rows = await driver.query(
    `SELECT k.column_name FROM information_schema.table_constraints c
     JOIN information_schema.key_column_usage k ON k.constraint_schema = c.constraint_schema
       AND k.constraint_name = c.constraint_name AND k.table_name = c.table_name
     WHERE c.table_schema = $1 AND c.table_name = $2 AND c.constraint_type = 'PRIMARY KEY'
     ORDER BY k.ordinal_position`,
    [schema, table],
  );
  return rows.map((row) => String(row.column_name));
}

/**
 * Rebuilds `table`, keyed by stream alone, as `create` makes it now, from `rows` (a column list
 * and a SELECT over the old table); see the top for why a rebuild.
 */
async function rebuildKeyedByTarget(
  driver: SqlDriver,
  schema: string,
  table: string,
  create: (driver: SqlDriver, schema: string, name: string) => string,
  rows: string,
): Promise<void> {
  const rebuilt = `${table}__by_target`;
  await driver.query(create(driver, schema, rebuilt));
  await driver.query(`INSERT INTO ${qualified(schema, rebuilt)} ${rows}`);
  await driver.query(`DROP TABLE ${qualified(schema, table)}`);
  await driver.query(`ALTER TABLE ${qualified(schema, rebuilt)} RENAME TO ${quoteIdent(table)}`);
}

/** The statement that writes one target's state, with literals so it can join a page's script. */
export function saveStateSql(
  driver: SqlDriver,
  schema: string,
  target: StateTarget,
  state: Record<string, unknown>,
): string {
  const json = sqlType(driver.dialect, 'json');
  const key = [target.stream, target.layer, target.table].map(quoteLiteral).join(', ');
  return `INSERT INTO ${qualified(schema, STATE)} (stream, layer, table_name, state, updated_at) VALUES (${key}, CAST(${quoteLiteral(JSON.stringify(state))} AS ${json}), now())
       ON CONFLICT (stream, layer, table_name) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`;
}

/**
 * The saved state of each of `targets`, Singer-shaped: bookmarks keyed by stream name, which is
 * what a stream reads. One configuration maps a stream to one table, so a name twice is an error.
 */
export async function readState(
  driver: SqlDriver,
  schema: string,
  targets: readonly StateTarget[],
): Promise<TapState> {
  const wanted = new Map<string, string>();
  for (const target of targets) {
    const other = wanted.get(target.stream);
    const key = targetKey(target.stream, target.layer, target.table);
    if (other !== undefined && other !== key) {
      throw new DestinationConfigError(
        `stream ${target.stream} is mapped to two tables; a configuration loads a stream into one table`,
      );
    }
    wanted.set(target.stream, key);
  }
  const bookmarks: TapState['bookmarks'] = {};
  if (wanted.size === 0) return { bookmarks };
  const rows = await driver.query(
    `SELECT stream, layer, table_name, CAST(state AS TEXT) AS state FROM ${qualified(schema, STATE)}`,
  );
  for (const row of rows) {
    const stream = String(row.stream);
    if (wanted.get(stream) === targetKey(stream, String(row.layer), String(row.table_name)))
      bookmarks[stream] = JSON.parse(String(row.state)) as Record<string, unknown>;
  }
  return { bookmarks };
}

function targetKey(stream: string, layer: string, table: string): string {
  return JSON.stringify([stream, layer, table]);
}

/** Where a catalog row's table is, and what it is called in the catalog. */
export type CatalogTarget = Pick<StateTarget, 'stream' | 'layer' | 'table'> & { folder: string };

/**
 * The statement that writes a table's catalog row, counting its rows not marked deleted as it
 * goes (one statement, so it can join a script), with literals.
 */
export function catalogRowSql(
  schema: string,
  target: CatalogTarget,
  syncType: string,
  mode: string,
  at: Date,
): string {
  const values = [target.stream, target.layer, target.folder, target.table, syncType, mode].map(quoteLiteral);
  return `INSERT INTO ${qualified(schema, CATALOG)} (stream, layer, folder, table_name, sync_type, last_load_mode, last_sync_at, row_count)
       SELECT ${values.join(', ')}, CAST(${quoteLiteral(at.toISOString())} AS TIMESTAMPTZ), count(*)
       FROM ${qualified(target.layer, target.table)} WHERE _sdc_deleted_at IS NULL
       ON CONFLICT (stream, layer, table_name) DO UPDATE SET folder = excluded.folder,
         sync_type = excluded.sync_type, last_load_mode = excluded.last_load_mode, last_sync_at = excluded.last_sync_at,
         row_count = excluded.row_count`;
}

/**
 * SQL reading when a derived table was last rebuilt (its catalog row's `last_sync_at`), and a
 * query returning that row's `row_count` beside the table's rows now (`n`); no row when it has none.
 */
export function rebuildCheckSql(
  schema: string,
  target: Pick<StateTarget, 'stream' | 'layer' | 'table'>,
): {
  lastRebuilt: string;
  check: string;
} {
  const catalog = qualified(schema, CATALOG);
  const where = `stream = ${quoteLiteral(target.stream)} AND layer = ${quoteLiteral(target.layer)} AND table_name = ${quoteLiteral(target.table)}`;
  return {
    lastRebuilt: `(SELECT last_sync_at FROM ${catalog} WHERE ${where})`,
    check: `SELECT row_count, (SELECT count(*) FROM ${qualified(target.layer, target.table)}) AS n FROM ${catalog} WHERE ${where} AND last_sync_at IS NOT NULL`,
  };
}
