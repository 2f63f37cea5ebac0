/**
 * One load of one stream into a SQL destination. Every page's values are converted once to their
 * column kinds (record-values.ts), staged through the driver's bulk path and moved into the target
 * by ONE set-based statement (cast + dedupe by key + upsert), so the database does the per-row
 * work. Modes:
 * - upsert: `INSERT … ON CONFLICT (key) DO UPDATE` into the live table; rows and state commit
 *   together per page.
 * - replace: rows go to a staging table (replace-staging.ts); the state is held until finish,
 *   which swaps the staging rows in, in one transaction with the state.
 * - full_scan: like upsert, and every key seen is recorded in the same transaction
 *   (seen-keys.ts); finish marks live rows whose key was not seen as deleted.
 * The load writes its table's bookmark itself, in the transaction of the rows it covers: it owns
 * one table, so the bookmark is keyed by that table and no one else need know where it went.
 */

import { AppendPlan } from './append-plan.js';
import { saveStateSql } from './bookkeeping.js';
import type { ColumnKind } from './columns.js';
import type { LoadBatch, LoadMode, LoadSummary, StreamLoad, StreamTable } from './destination.js';
import { DestinationConfigError, DestinationStateError } from './errors.js';
import { finishLoad } from './load-finish.js';
import { historyTable, type LoadHost } from './load-host.js';
import { commitPage } from './page-commit.js';
import { PageStatements, type PageWrite } from './page-statements.js';
import { type StagedPage, stagedPage } from './record-values.js';
import { ReplaceStaging } from './replace-staging.js';
import { SeenKeys } from './seen-keys.js';
import { qualified } from './sql-driver.js';
import { dataColumns, metaColumns, type TableColumns } from './table-ddl.js';

let stageCounter = 0;

export class SqlStreamLoad implements StreamLoad {
  private readonly stageName = `_tap_stage_${process.pid}_${++stageCounter}`;
  /** Columns written from records: the table's data columns that the schema declares. */
  private readonly columns: [string, ColumnKind][];
  private readonly allColumns: [string, ColumnKind][];
  private readonly keys: readonly string[];
  private readonly startedAt = new Date();
  private rowsWritten = 0;
  /**
   * A plain INSERT costs DuckDB about two thirds of an ON CONFLICT upsert. While pages bring only
   * new keys (a first sync, a replace) they are inserted; the first page that hits an existing
   * key rolls back and is upserted, and so is every later page of the load.
   */
  private insertFirst = true;
  /**
   * Pages of new keys are appended straight into the target where the driver can (DuckDB), except
   * in a full scan, whose seen-keys table is filled from the staged page.
   */
  private readonly appendsDirectly: boolean;
  /** Where and how pages are appended, when they are. */
  private readonly appendPlan?: AppendPlan;
  /** The replace's staging table. */
  private readonly staging?: ReplaceStaging;
  /** The full scan's record of keys seen. */
  private readonly seenKeys?: SeenKeys;
  private readonly statements: PageStatements;
  /** Whether a page was staged (so the page staging table may exist). */
  private staged = false;
  private done = false;

  constructor(
    private readonly destination: LoadHost,
    private readonly table: StreamTable,
    private readonly mode: LoadMode,
    private readonly tableColumns: TableColumns,
  ) {
    const declared = new Set([...Object.keys(table.schema.properties ?? {}), ...table.keyProperties]);
    this.allColumns = dataColumns(tableColumns);
    this.columns = this.allColumns.filter(([name]) => declared.has(name));
    this.keys = table.keyProperties;
    this.statements = new PageStatements(
      destination.driver.dialect,
      this.columns,
      this.allColumns,
      this.keys,
      this.stageName,
    );
    this.appendsDirectly = destination.driver.appendPage !== undefined && mode !== 'full_scan';
    if (this.keys.length === 0 && mode !== 'upsert') {
      throw new DestinationConfigError(`stream ${table.stream}: mode ${mode} needs key properties`);
    }
    if (mode === 'replace') {
      this.staging = new ReplaceStaging(
        destination.driver,
        table,
        this.allColumns,
        this.keys,
        this.appendsDirectly,
      );
    }
    if (mode === 'full_scan') this.seenKeys = new SeenKeys(destination.driver, table, this.keys);
    if (this.appendsDirectly) {
      // The staging table of a replace is created with the data columns and then the metadata.
      const target: [string, ColumnKind][] = this.staging
        ? [...this.allColumns, ...metaColumns.map((name): [string, ColumnKind] => [name, 'timestamptz'])]
        : [...this.tableColumns];
      this.appendPlan = new AppendPlan(target, this.columns);
    }
  }

  private get driver() {
    return this.destination.driver;
  }
  private get live(): string {
    return qualified(this.table.layer, this.table.table);
  }
  private get history(): string | null {
    return this.table.historyDays > 0 ? qualified(this.table.layer, historyTable(this.table.table)) : null;
  }

  /** Runs in the destination's exclusive section (from begin). */
  async start(): Promise<void> {
    const staging = this.staging;
    if (staging) {
      await this.destination.transaction(async () => undefined, { opening: staging.createSql() });
    } else if (this.seenKeys) {
      await this.seenKeys.create((key) => this.statements.kindOf(key));
    }
  }

  private assertOpen(): void {
    if (this.done)
      throw new DestinationStateError(`load of ${this.table.stream} already finished or aborted`);
  }

  private stagedPage(records: readonly Record<string, unknown>[]): StagedPage {
    const invalid = new Map<string, number>();
    const page = stagedPage(records, this.columns, invalid);
    if (invalid.size > 0) {
      this.destination.logger?.warn(
        { stream: this.table.stream, columns: Object.fromEntries(invalid) },
        'values that do not fit their column type were written as NULL',
      );
    }
    return page;
  }

  write({ records, state: streamState, extractedAt }: LoadBatch): Promise<void> {
    // Staged before taking a turn on the connection, while other streams' commits run there.
    const page = records.length > 0 ? this.stagedPage(records) : undefined;
    return this.destination.exclusive(async () => {
      this.assertOpen();
      // A row is synced once it was extracted: never stamp it earlier (a replace's rows carry its
      // start, which its first pages, extracted later, would otherwise precede).
      const syncedAt = new Date(
        Math.max((this.mode === 'replace' ? this.startedAt : new Date()).getTime(), extractedAt.getTime()),
      );
      if (page && this.staging?.keyless) {
        // No key to collide with: a key read twice is resolved when the load finishes.
        await this.appendDirectly(page, streamState, extractedAt, syncedAt);
        this.rowsWritten += records.length;
        return;
      }
      const duplicates = page !== undefined && this.statements.hasDuplicateKeys(page);
      if (page && this.insertFirst && !duplicates && this.keys.length > 0) {
        if (await this.tryInsert(page, streamState, extractedAt, syncedAt)) {
          this.rowsWritten += records.length;
          return;
        }
      }
      await this.writeStaged(page, duplicates ? 'dedupe' : 'upsert', streamState, extractedAt, syncedAt);
      this.rowsWritten += records.length;
    });
  }

  /**
   * Writes a page as new keys; false (and every later page is upserted) once one is not, after
   * the failed attempt was rolled back.
   */
  private async tryInsert(
    page: StagedPage,
    streamState: Record<string, unknown>,
    extractedAt: Date,
    syncedAt: Date,
  ): Promise<boolean> {
    try {
      if (this.appendsDirectly) await this.appendDirectly(page, streamState, extractedAt, syncedAt);
      else await this.writeStaged(page, 'insert', streamState, extractedAt, syncedAt);
      return true;
    } catch (error) {
      if (!this.driver.isDuplicateKeyError(error)) throw error;
      this.insertFirst = false;
      return false;
    }
  }

  /** Commits a page (page-commit.ts): a replace holds its state until finish. */
  private commit(
    statements: string[],
    streamState: Record<string, unknown>,
    write?: () => Promise<void>,
  ): Promise<void> {
    const state = this.mode === 'replace' ? undefined : this.bookmarkSql(streamState);
    return commitPage(this.driver, statements, state, write);
  }

  /**
   * A page of new keys goes straight into its target with the driver's appender (DuckDB), in one
   * transaction with the state: no staging table and no INSERT … SELECT, which at a few million
   * rows were most of a sync's write time.
   */
  private async appendDirectly(
    page: StagedPage,
    streamState: Record<string, unknown>,
    extractedAt: Date,
    syncedAt: Date,
  ): Promise<void> {
    const appendPage = this.driver.appendPage!.bind(this.driver);
    const target = this.staging ? this.staging.tableName : this.table.table;
    const columns = this.appendPlan!.columns(page, extractedAt, syncedAt);
    await this.commit([], streamState, () => appendPage(this.table.layer, target, columns, page.rowCount));
  }

  /**
   * Stages the page (if any) and moves it into its target (and, except for a replace, commits the
   * state with it) in one transaction. `insert` is a plain INSERT, which fails as a whole if a key
   * exists.
   */
  private async writeStaged(
    page: StagedPage | undefined,
    how: PageWrite,
    streamState: Record<string, unknown>,
    extractedAt: Date,
    syncedAt: Date,
  ): Promise<void> {
    const statements: string[] = [];
    if (page) {
      this.staged = true;
      await this.driver.stage(this.stageName, this.columns, page);
      // A replace keeps its rows in staging until finish; committing state now would claim rows
      // that a crash discards.
      const target = this.staging ? this.staging.name : this.live;
      const history = this.history;
      // After a successful plain insert no key existed, so there was nothing to archive.
      if (this.mode !== 'replace' && history && this.keys.length > 0 && how !== 'insert')
        statements.push(this.statements.archiveSql(this.live, history, syncedAt));
      statements.push(this.statements.writeSql(target, extractedAt, syncedAt, how));
      if (this.seenKeys) statements.push(this.statements.seenKeysSql(this.seenKeys.name));
    }
    await this.commit(statements, streamState);
  }

  finish(streamState: Record<string, unknown>): Promise<LoadSummary> {
    return this.destination.exclusive(async () => {
      this.assertOpen();
      const rowsMarkedDeleted = await finishLoad(
        {
          host: this.destination,
          table: this.table,
          mode: this.mode,
          startedAt: this.startedAt,
          statements: this.statements,
          history: this.history,
          staging: this.staging,
          seenKeys: this.seenKeys,
        },
        streamState,
      );
      await this.dropStage();
      // A swapped-in or updated table's rows may be held in memory until written out.
      await this.driver.afterCommit?.();
      return { rowsWritten: this.rowsWritten, rowsMarkedDeleted };
    });
  }

  abort(): Promise<void> {
    return this.destination.exclusive(async () => {
      if (this.done) return;
      if (this.staging) await this.staging.drop();
      await this.seenKeys?.drop();
      await this.dropStage();
    });
  }

  /** The statement that saves this table's bookmark, with literals so it can join a page's script. */
  private bookmarkSql(state: Record<string, unknown>): string {
    return saveStateSql(this.driver, this.destination.stateSchema, this.table, state);
  }

  /** Drops the page staging table, if a page was staged (appended pages need none). */
  private async dropStage(): Promise<void> {
    this.done = true;
    if (this.staged) await this.driver.query(`DROP TABLE IF EXISTS ${this.stageName}`);
  }
}
