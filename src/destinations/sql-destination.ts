/**
 * The Destination logic shared by DuckDB and Postgres: both speak enough of the same SQL
 * (schemas, ON CONFLICT upserts, transactional DDL, information_schema) that only the driver
 * (connection, bulk staging, type names) differs.
 *
 * Bookkeeping lives in schema `_tap` (`stateSchema` option):
 * - `_tap.state(stream PRIMARY KEY, state JSON, updated_at)`: each stream's Singer state, written
 *   in the same transaction as the rows it covers; `loadState()` returns `{bookmarks: {...}}`.
 * - `_tap.tables(stream PRIMARY KEY, layer, folder, table_name, sync_type, last_load_mode,
 *   last_sync_at, row_count)`: the catalog of synced tables, updated when a load finishes.
 */

import { columnKind, sqlType } from './columns.js';
import type { Destination, LoadMode, StreamLoad, StreamTable, TapState } from './destination.js';
import { DestinationStateError } from './errors.js';
import { asOfQuery } from './history.js';
import { qualified, quoteIdent, quoteLiteral, type SqlDriver, type SqlParam } from './sql-driver.js';
import { SqlStreamLoad } from './stream-load.js';
import { columnsOf, dataColumns, ensureTable, historyColumns, type TableColumns } from './table-ddl.js';

/** The part of a pino logger a destination uses. */
export interface DestinationLogger {
  warn(details: object, message: string): void;
}

/** Default schema of the bookkeeping tables. */
export const defaultStateSchema = '_tap';

/** What every SQL destination accepts when opened. */
export interface SqlDestinationOptions {
  logger?: DestinationLogger;
  /**
   * Schema of the state and catalog tables (default `_tap`). Stream names key the state, so two
   * configurations syncing into one database (two portals, or tests) need different ones.
   */
  stateSchema?: string;
}

export function historyTable(table: string): string {
  return `${table}__history`;
}

export abstract class SqlDestination implements Destination {
  abstract readonly kind: 'duckdb' | 'postgres';
  abstract readonly description: string;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  readonly logger?: DestinationLogger;
  /** The quoted state schema. */
  private readonly metaSchema: string;

  protected constructor(
    readonly driver: SqlDriver,
    options: SqlDestinationOptions = {},
  ) {
    this.logger = options.logger;
    this.metaSchema = quoteIdent(options.stateSchema ?? defaultStateSchema);
  }

  /** Creates the `_tap` bookkeeping tables; subclasses call it once after connecting. */
  protected async initialise(): Promise<void> {
    const json = sqlType(this.driver.dialect, 'json');
    const text = sqlType(this.driver.dialect, 'text');
    await this.exclusive(() =>
      this.transaction(async () => {
        await this.driver.query(`CREATE SCHEMA IF NOT EXISTS ${this.metaSchema}`);
        await this.driver.query(
          `CREATE TABLE IF NOT EXISTS ${this.metaSchema}.state (stream ${text} PRIMARY KEY, state ${json} NOT NULL, updated_at TIMESTAMPTZ NOT NULL)`,
        );
        await this.driver.query(
          `CREATE TABLE IF NOT EXISTS ${this.metaSchema}.tables (stream ${text} PRIMARY KEY, layer ${text}, folder ${text}, table_name ${text}, sync_type ${text}, last_load_mode ${text}, last_sync_at TIMESTAMPTZ, row_count BIGINT)`,
        );
      }),
    );
  }

  /**
   * Runs `work` with the connection to itself: streams load concurrently, but each write is a
   * transaction on the one connection, so they take turns.
   */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new DestinationStateError(`${this.description} is closed`));
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** BEGIN … COMMIT around `work`, rolled back if it throws. Call inside `exclusive`. */
  async transaction<T>(work: () => Promise<T>): Promise<T> {
    await this.driver.query('BEGIN TRANSACTION');
    try {
      const result = await work();
      await this.driver.query('COMMIT');
      return result;
    } catch (error) {
      await this.driver.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  /** Writes one stream's state; part of the caller's transaction. */
  async saveState(stream: string, state: Record<string, unknown>): Promise<void> {
    await this.driver.query(this.saveStateSql(stream, state));
  }

  /** The statement `saveState` runs, with literals, so it can join a script. */
  saveStateSql(stream: string, state: Record<string, unknown>): string {
    const json = sqlType(this.driver.dialect, 'json');
    return `INSERT INTO ${this.metaSchema}.state (stream, state, updated_at) VALUES (${quoteLiteral(stream)}, CAST(${quoteLiteral(JSON.stringify(state))} AS ${json}), now())
       ON CONFLICT (stream) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`;
  }

  async saveCatalogEntry(table: StreamTable, mode: LoadMode, at: Date): Promise<void> {
    const rows = await this.driver.query(
      `SELECT count(*) AS n FROM ${qualified(table.layer, table.table)} WHERE _sdc_deleted_at IS NULL`,
    );
    const params: SqlParam[] = [
      table.stream,
      table.layer,
      table.folder,
      table.table,
      table.replicationMethod,
      mode,
      at.toISOString(),
      String(rows[0]?.n ?? 0),
    ];
    await this.driver.query(
      `INSERT INTO ${this.metaSchema}.tables (stream, layer, folder, table_name, sync_type, last_load_mode, last_sync_at, row_count)
       VALUES ($1, $2, $3, $4, $5, $6, CAST($7 AS TIMESTAMPTZ), CAST($8 AS BIGINT))
       ON CONFLICT (stream) DO UPDATE SET layer = excluded.layer, folder = excluded.folder, table_name = excluded.table_name,
         sync_type = excluded.sync_type, last_load_mode = excluded.last_load_mode, last_sync_at = excluded.last_sync_at,
         row_count = excluded.row_count`,
      params,
    );
  }

  loadState(): Promise<TapState> {
    return this.exclusive(async () => {
      const rows = await this.driver.query(
        `SELECT stream, CAST(state AS TEXT) AS state FROM ${this.metaSchema}.state`,
      );
      const bookmarks: TapState['bookmarks'] = {};
      for (const row of rows)
        bookmarks[String(row.stream)] = JSON.parse(String(row.state)) as Record<string, unknown>;
      return { bookmarks };
    });
  }

  prepare(table: StreamTable): Promise<void> {
    return this.exclusive(() =>
      this.transaction(async () => {
        await this.driver.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(table.layer)}`);
        const wanted = Object.entries(table.schema.properties ?? {}).map(
          ([name, property]) => [name, columnKind(property)] as const,
        );
        for (const key of table.keyProperties) {
          if (!wanted.some(([name]) => name === key)) wanted.push([key, 'text']);
        }
        const live = await ensureTable(this.driver, table.layer, table.table, wanted, table.keyProperties);
        if (table.historyDays > 0) {
          await ensureTable(
            this.driver,
            table.layer,
            historyTable(table.table),
            dataColumns(live),
            [],
            historyColumns,
          );
        }
      }),
    );
  }

  begin(table: StreamTable, mode: LoadMode): Promise<StreamLoad> {
    return this.exclusive(async () => {
      const columns = await columnsOf(this.driver, table.layer, table.table);
      if (columns.size === 0) {
        throw new DestinationStateError(
          `table ${table.layer}.${table.table} does not exist: call prepare() first`,
        );
      }
      const load = new SqlStreamLoad(this, table, mode, columns);
      await load.start();
      return load;
    });
  }

  countRows(table: StreamTable): Promise<number> {
    return this.exclusive(async () => {
      const rows = await this.driver.query(
        `SELECT count(*) AS n FROM ${qualified(table.layer, table.table)} WHERE _sdc_deleted_at IS NULL`,
      );
      return Number(rows[0]?.n ?? 0);
    });
  }

  /** Columns of a table as they are now (empty if missing). */
  columns(layer: string, table: string): Promise<TableColumns> {
    return this.exclusive(() => columnsOf(this.driver, layer, table));
  }

  /**
   * SQL that reads a table as it was at `at`: live rows valid then, plus history versions whose
   * [valid_from, valid_to) contains `at` (see docs/HISTORY.md). Needs `historyDays` > 0.
   */
  async tableAsOf(table: Pick<StreamTable, 'layer' | 'table'>, at: Date): Promise<string> {
    const columns = await this.columns(table.layer, table.table);
    return asOfQuery(table.layer, table.table, [...dataColumns(columns).map(([name]) => name)], at);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.exclusive(() => this.driver.close());
    this.closed = true;
  }
}
