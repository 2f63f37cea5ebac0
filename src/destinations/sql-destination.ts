/**
 * The Destination logic shared by DuckDB and Postgres: both speak enough of the same SQL
 * (schemas, ON CONFLICT upserts, transactional DDL, information_schema) that only the driver
 * (connection, bulk staging, type names) differs.
 *
 * Bookkeeping lives in schema `_tap` (`stateSchema` option; see bookkeeping.ts):
 * - `_tap.state(stream, layer, table_name, state JSON, updated_at)`, keyed by all three: each
 *   target table's Singer state, written in the same transaction as the rows it covers, so two
 *   configurations loading one stream into different tables of one database keep their own
 *   bookmarks; `loadState(tables)` returns `{bookmarks: {<stream>: …}}` for the given tables.
 * - `_tap.tables(stream, layer, folder, table_name, sync_type, last_load_mode, last_sync_at,
 *   row_count)`, keyed by stream, layer and table_name: the catalog of synced tables, updated when
 *   a load finishes.
 * - `_tap.verifications`: the last `verify` of each target table (verification-log.ts).
 */

import { ensureBookkeeping, readState } from './bookkeeping.js';
import { columnCommentStatements, commentsOfLayer, titlesOf } from './column-comments.js';
import { columnKind } from './columns.js';
import type { DerivedTable } from './derived-table.js';
import { derivedCommentStatements, ensureDerivedTables, refreshDerivedTables } from './derived-tables.js';
import type { Destination, LoadMode, StateTarget, StreamLoad, StreamTable, TapState } from './destination.js';
import { DestinationStateError } from './errors.js';
import { asOfQuery } from './history.js';
import { type DestinationLogger, historyTable, type LoadHost } from './load-host.js';
import { qualified, quoteIdent, quoteLiteral, type SqlDriver, type SqlParam } from './sql-driver.js';
import { SqlStreamLoad } from './stream-load.js';
import { columnsOf, dataColumns, ensureTable, historyColumns, type TableColumns } from './table-ddl.js';
import { readVerifications, saveVerifications, type VerificationRecord } from './verification-log.js';

export type { DestinationLogger } from './load-host.js';

/** Default schema of the bookkeeping tables. */
export const defaultStateSchema = '_tap';

/** What every SQL destination accepts when opened. */
export interface SqlDestinationOptions {
  logger?: DestinationLogger;
  /**
   * Schema of the state and catalog tables (default `_tap`). Both are kept per target table, so
   * configurations whose tables differ (by `table_prefix` or `layer`) can share one schema.
   */
  stateSchema?: string;
}

export abstract class SqlDestination implements Destination, LoadHost {
  abstract readonly kind: 'duckdb' | 'postgres';
  abstract readonly description: string;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  readonly logger?: DestinationLogger;
  /** The state schema, unquoted. */
  readonly stateSchema: string;
  /** The quoted state schema. */
  private readonly metaSchema: string;

  protected constructor(
    readonly driver: SqlDriver,
    options: SqlDestinationOptions = {},
  ) {
    this.logger = options.logger;
    this.stateSchema = options.stateSchema ?? defaultStateSchema;
    this.metaSchema = quoteIdent(this.stateSchema);
  }

  /**
   * Creates the `_tap` bookkeeping tables (migrating an older state table); subclasses call it
   * once after connecting.
   */
  protected async initialise(): Promise<void> {
    await this.exclusive(() => this.transaction(() => ensureBookkeeping(this.driver, this.stateSchema)));
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

  async saveCatalogEntry(table: StreamTable, mode: LoadMode, at: Date): Promise<void> {
    await this.saveCatalogRow(table, table.replicationMethod, mode, at);
  }

  /**
   * What a load's finish does beyond its own table, in the finish transaction: the columns'
   * comments (see column-comments.ts; also what a DuckDB replace's swap left without), and the
   * derived tables, created where missing, rebuilt, with their comments and catalog rows.
   */
  async finishTables(table: StreamTable, columns: TableColumns, replaced: boolean, at: Date): Promise<void> {
    const comments = await commentsOfLayer(this.driver, table.layer);
    const ensured = await ensureDerivedTables(this.driver, table);
    const statements = [
      ...columnCommentStatements(
        table.layer,
        table.table,
        titlesOf(table.schema),
        columns.keys(),
        comments.get(table.table),
      ),
      ...derivedCommentStatements(ensured, comments),
    ];
    if (statements.length > 0) await this.driver.script(statements);
    const rebuiltAt = (derived: DerivedTable) => this.derivedRebuiltAt(derived);
    for (const derived of await refreshDerivedTables(this.driver, table, rebuiltAt, replaced))
      await this.saveDerivedCatalogEntry(derived, at);
  }

  /** The catalog row of a table derived from a stream's (sync type `DERIVED`, mode `rebuild`). */
  async saveDerivedCatalogEntry(table: DerivedTable, at: Date): Promise<void> {
    const row = { stream: table.catalogName, layer: table.layer, folder: table.folder, table: table.table };
    await this.saveCatalogRow(row, 'DERIVED', 'rebuild', at);
  }

  /**
   * The time `table` was last rebuilt, as SQL reading its catalog row; undefined when it has none
   * or holds another number of rows than that row says (then it is rebuilt whole).
   */
  async derivedRebuiltAt(table: DerivedTable): Promise<string | undefined> {
    const where = `stream = ${quoteLiteral(table.catalogName)} AND layer = ${quoteLiteral(table.layer)} AND table_name = ${quoteLiteral(table.table)}`;
    const catalog = await this.driver.query(
      `SELECT row_count FROM ${this.metaSchema}.tables WHERE ${where} AND last_sync_at IS NOT NULL`,
    );
    if (catalog.length === 0) return undefined;
    const rows = await this.driver.query(`SELECT count(*) AS n FROM ${qualified(table.layer, table.table)}`);
    if (Number(rows[0]?.n ?? -1) !== Number(catalog[0].row_count)) return undefined;
    return `(SELECT last_sync_at FROM ${this.metaSchema}.tables WHERE ${where})`;
  }

  private async saveCatalogRow(
    table: Pick<StreamTable, 'stream' | 'layer' | 'folder' | 'table'>,
    syncType: string,
    mode: string,
    at: Date,
  ): Promise<void> {
    const rows = await this.driver.query(
      `SELECT count(*) AS n FROM ${qualified(table.layer, table.table)} WHERE _sdc_deleted_at IS NULL`,
    );
    const params: SqlParam[] = [
      table.stream,
      table.layer,
      table.folder,
      table.table,
      syncType,
      mode,
      at.toISOString(),
      String(rows[0]?.n ?? 0),
    ];
    await this.driver.query(
      `INSERT INTO ${this.metaSchema}.tables (stream, layer, folder, table_name, sync_type, last_load_mode, last_sync_at, row_count)
       VALUES ($1, $2, $3, $4, $5, $6, CAST($7 AS TIMESTAMPTZ), CAST($8 AS BIGINT))
       ON CONFLICT (stream, layer, table_name) DO UPDATE SET folder = excluded.folder,
         sync_type = excluded.sync_type, last_load_mode = excluded.last_load_mode, last_sync_at = excluded.last_sync_at,
         row_count = excluded.row_count`,
      params,
    );
  }

  loadState(tables: readonly StateTarget[]): Promise<TapState> {
    return this.exclusive(() => readState(this.driver, this.stateSchema, tables));
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

  /** Records a verification's findings, one row per target table, in one transaction. */
  recordVerification(records: readonly VerificationRecord[]): Promise<void> {
    return this.exclusive(() =>
      this.transaction(() => saveVerifications(this.driver, this.stateSchema, records)),
    );
  }

  /** The last verification of every target table in this database, newest first. */
  verifications(): Promise<VerificationRecord[]> {
    return this.exclusive(() => readVerifications(this.driver, this.stateSchema));
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
