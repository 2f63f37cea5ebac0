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
import { columnKind } from './columns.js';
import type { Destination, LoadMode, StateTarget, StreamLoad, StreamTable, TapState } from './destination.js';
import { DestinationStateError } from './errors.js';
import { asOfQuery } from './history.js';
import {
  type DestinationLogger,
  historyTable,
  type LoadHost,
  type TransactionStatements,
} from './load-host.js';
import { qualified, quoteIdent, type SqlDriver } from './sql-driver.js';
import { SqlStreamLoad } from './stream-load.js';
import { TableCatalog } from './table-catalog.js';
import { dataColumns, historyColumns, planTable, type TableColumns } from './table-ddl.js';
import { finishDerivedWork, streamCatalogSql } from './table-finish.js';
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
  /** The columns and comments of the tables in the layers this destination loads. */
  readonly catalog: TableCatalog;

  protected constructor(
    readonly driver: SqlDriver,
    options: SqlDestinationOptions = {},
  ) {
    this.logger = options.logger;
    this.stateSchema = options.stateSchema ?? defaultStateSchema;
    this.catalog = new TableCatalog(driver);
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

  /**
   * BEGIN … COMMIT around `work`, rolled back if it throws (and then what the catalog recorded of
   * it is forgotten). `opening` statements run with the BEGIN and `closing` ones (given `work`'s
   * result) with the COMMIT, each in one round trip. Call inside `exclusive`.
   */
  async transaction<T>(work: () => Promise<T>, statements: TransactionStatements<T> = {}): Promise<T> {
    try {
      await this.driver.script(['BEGIN TRANSACTION', ...(statements.opening ?? [])]);
      const result = await work();
      await this.driver.script([...(statements.closing?.(result) ?? []), 'COMMIT']);
      return result;
    } catch (error) {
      await this.rollBack();
      throw error;
    }
  }

  /** Rolls back the open transaction, and forgets what the catalog recorded (see table-catalog.ts). */
  private async rollBack(): Promise<void> {
    this.catalog.clear();
    await this.driver.query('ROLLBACK').catch(() => undefined);
  }

  catalogEntrySql(table: StreamTable, mode: LoadMode, at: Date): string {
    return streamCatalogSql(this.stateSchema, table, mode, at);
  }

  finishTables(table: StreamTable, replaced: boolean, at: Date): Promise<void> {
    return finishDerivedWork(this.catalog, this.stateSchema, table, replaced, at);
  }

  loadState(tables: readonly StateTarget[]): Promise<TapState> {
    return this.exclusive(() => readState(this.driver, this.stateSchema, tables));
  }

  /**
   * Creates or evolves the table (and its history table) in one transaction of one round trip,
   * and none when it already has every column.
   */
  prepare(table: StreamTable): Promise<void> {
    return this.exclusive(async () => {
      const wanted = Object.entries(table.schema.properties ?? {}).map(
        ([name, property]) => [name, columnKind(property)] as const,
      );
      for (const key of table.keyProperties) {
        if (!wanted.some(([name]) => name === key)) wanted.push([key, 'text']);
      }
      const existing = await this.catalog.columns(table.layer, table.table);
      const statements = this.catalog.hasLayer(table.layer)
        ? []
        : [`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(table.layer)}`];
      const live = planTable(this.driver, table.layer, table.table, existing, wanted, table.keyProperties);
      statements.push(...live.statements);
      this.catalog.setColumns(table.layer, table.table, live.columns);
      if (table.historyDays > 0) {
        const name = historyTable(table.table);
        const existingHistory = await this.catalog.columns(table.layer, name);
        const history = planTable(
          this.driver,
          table.layer,
          name,
          existingHistory,
          dataColumns(live.columns),
          [],
          historyColumns,
        );
        statements.push(...history.statements);
        this.catalog.setColumns(table.layer, name, history.columns);
      }
      if (statements.length === 0) return;
      try {
        await this.driver.script(['BEGIN TRANSACTION', ...statements, 'COMMIT']);
      } catch (error) {
        await this.rollBack();
        throw error;
      }
    });
  }

  begin(table: StreamTable, mode: LoadMode): Promise<StreamLoad> {
    return this.exclusive(async () => {
      const columns = await this.catalog.columns(table.layer, table.table);
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

  /** Columns of a table as they are now (empty if missing), read from the database. */
  columns(layer: string, table: string): Promise<TableColumns> {
    return this.exclusive(() => this.catalog.reread(layer, table));
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
