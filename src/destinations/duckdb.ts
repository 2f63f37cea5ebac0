/**
 * DuckDB destination (the default): one file, one writer process at a time (DuckDB locks the
 * file; a second process gets DestinationLockedError; destinations in the same process share it). Commits are durable through DuckDB's WAL,
 * so a kill -9 leaves every page either fully committed with its state, or absent.
 * Pages are staged with the Appender (whole data chunks, no per-row SQL) into a temp table.
 */

import {
  BIGINT,
  BOOLEAN,
  DATE,
  DOUBLE,
  type DuckDBConnection,
  DuckDBDataChunk,
  DuckDBInstance,
  type DuckDBType,
  DuckDBVarCharType,
  INTEGER,
  TIMESTAMPTZ,
  VARCHAR,
} from '@duckdb/node-api';
import duckdb from '@duckdb/node-bindings';
import type { ColumnKind } from './columns.js';
import type { StreamTable } from './destination.js';
import { DEFAULT_MEMORY_LIMIT_MB, duckDbSettings } from './duckdb-settings.js';
import { chunkRows, fillRawVector } from './duckdb-vectors.js';
import { DestinationConfigError, DestinationError, DestinationLockedError } from './errors.js';
import type { StagedPage, StagedValue } from './record-values.js';
import { SqlDestination, type SqlDestinationOptions } from './sql-destination.js';
import { type AppendColumn, quoteIdent, type SqlDriver, type SqlParam } from './sql-driver.js';

/** A column to append: its kind and values, or `seq` (each row's position in the page). */
type StagedColumn = readonly [kind: ColumnKind | 'seq', values: readonly StagedValue[] | undefined];

/** JSON columns hold VARCHAR data; the appender wants the alias to match the column's type. */
const JSON_TEXT = DuckDBVarCharType.create('JSON');

/** The type of a table column of a kind (columns.ts `sqlType`), for appending into it. */
function columnType(kind: ColumnKind): DuckDBType {
  return kind === 'json' ? JSON_TEXT : stageType(kind);
}

/**
 * The staging column type of a kind. Strings cost one native call per value to append, numbers
 * and times are copied per vector; so everything that is not text is staged typed.
 */
function stageType(kind: ColumnKind): DuckDBType {
  switch (kind) {
    case 'bigint':
      return BIGINT;
    case 'double':
      return DOUBLE;
    case 'boolean':
      return BOOLEAN;
    case 'timestamptz':
      return TIMESTAMPTZ;
    case 'date':
      return DATE;
    default:
      return VARCHAR;
  }
}

/** Bytes of committed rows DuckDB holds in memory until a checkpoint writes them to the file. */
const COMMITTED_IN_MEMORY =
  "SELECT coalesce(sum(memory_usage_bytes), 0) AS bytes FROM duckdb_memory() WHERE tag = 'IN_MEMORY_TABLE'";

class DuckDbDriver implements SqlDriver {
  readonly dialect = 'duckdb' as const;

  /** Committed rows in memory right after the last checkpoint (or the least seen since). */
  private inMemoryFloor = 0;

  constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    private readonly memoryLimitBytes: number,
  ) {}

  /**
   * Rows committed since the last checkpoint stay in memory (`IN_MEMORY_TABLE` in
   * `duckdb_memory()`) until a checkpoint writes them to the file. Past the budget DuckDB moves
   * them to `<file>.tmp`, which holds for a few wide tables, but not for many at once: 200 small
   * tables ran out of a 128 MB budget without checkpoints (test/sync/many-streams.test.ts). So the
   * driver checkpoints once they hold 60 % of the budget and have grown by an eighth of it since
   * the last checkpoint: a checkpoint costs about the same whatever it writes, and each table being
   * appended keeps its last row group in memory through one, so a fixed threshold below what the
   * running streams keep checkpointed at nearly every commit (137 CPU-s for a scale-100,000 sync).
   * Checkpointing every eighth of the budget cost a scale-20,000 sync ~4.5 of its ~22 CPU-s.
   */
  async afterCommit(): Promise<void> {
    await this.checkpointUnderPressure(await this.committedInMemory());
  }

  /** `closing` and the question `afterCommit` asks, in one round trip (a script's last result). */
  async commitThenSettle(closing: readonly string[]): Promise<void> {
    const reader = await this.connection.runAndReadAll([...closing, COMMITTED_IN_MEMORY].join(';\n'));
    const [row] = reader.getRowObjectsJson() as Record<string, unknown>[];
    await this.checkpointUnderPressure(Number(row?.bytes ?? 0));
  }

  private async checkpointUnderPressure(held: number): Promise<void> {
    this.inMemoryFloor = Math.min(this.inMemoryFloor, held);
    const pressure = this.memoryLimitBytes * 0.6;
    if (held < Math.max(pressure, this.inMemoryFloor + this.memoryLimitBytes / 8)) return;
    // A checkpoint that cannot run now (another transaction open) runs at a later commit.
    await this.connection.run('CHECKPOINT').catch(() => undefined);
    this.inMemoryFloor = await this.committedInMemory();
  }

  private async committedInMemory(): Promise<number> {
    const [row] = await this.query(COMMITTED_IN_MEMORY);
    return Number(row?.bytes ?? 0);
  }

  async query(sql: string, params?: readonly SqlParam[]): Promise<Record<string, unknown>[]> {
    const reader = await this.connection.runAndReadAll(sql, params ? [...params] : undefined);
    return reader.getRowObjectsJson() as Record<string, unknown>[];
  }

  async stage(
    name: string,
    columns: readonly (readonly [string, ColumnKind])[],
    page: StagedPage,
  ): Promise<void> {
    // A fresh table per page, not DELETE: deleted rows stay in the table's row groups, and
    // appending after them made the Appender's flush about twice as slow.
    const definitions = [
      ...columns.map(([column, kind]) => `${quoteIdent(column)} ${stageType(kind).toString()}`),
      '_sdc_seq INTEGER',
    ];
    await this.connection.run(`CREATE OR REPLACE TEMP TABLE ${name} (${definitions.join(', ')})`);
    const types = [...columns.map(([, kind]) => stageType(kind)), INTEGER];
    const values = [
      ...columns.map(([, kind], c): StagedColumn => [kind, page.columns[c]]),
      ['seq', undefined] as const,
    ];
    await this.append(name, 'main', 'temp', types, values, page.rowCount);
  }

  async script(statements: readonly string[]): Promise<void> {
    await this.connection.run(statements.join(';\n'));
  }

  appendPage(
    schema: string,
    table: string,
    columns: readonly AppendColumn[],
    rowCount: number,
  ): Promise<void> {
    const types = columns.map(([kind]) => columnType(kind));
    return this.append(table, schema, undefined, types, columns, rowCount);
  }

  /** Appends `rowCount` rows, a value list per column (`seq`: the row's position), in data chunks. */
  private async append(
    table: string,
    schema: string,
    catalog: string | undefined,
    types: readonly DuckDBType[],
    columns: readonly StagedColumn[],
    rowCount: number,
  ): Promise<void> {
    const appender = await this.connection.createAppender(table, schema, catalog);
    try {
      for (let first = 0; first < rowCount; first += chunkRows) {
        const count = Math.min(chunkRows, rowCount - first);
        const chunk = DuckDBDataChunk.create(types, count);
        for (let c = 0; c < columns.length; c++)
          fillRawVector(
            duckdb.data_chunk_get_vector(chunk.chunk, c),
            columns[c][0],
            columns[c][1],
            first,
            count,
          );
        appender.appendDataChunk(chunk);
      }
      appender.flushSync();
    } catch (error) {
      // An appender still holding rows flushes them again when closed, or when garbage collected,
      // in whatever transaction the connection is in by then, and fails that one. So drop them.
      appender.clear();
      appender.closeSync();
      throw error;
    }
    appender.closeSync();
  }

  isDuplicateKeyError(error: unknown): boolean {
    return (
      error instanceof Error &&
      // "Constraint Error: Duplicate key …" from a statement, "Failed to append: Duplicate key …
      // violates primary key constraint" from the appender.
      /constraint/i.test(error.message) &&
      /duplicate key/i.test(error.message)
    );
  }

  async close(): Promise<void> {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

export class DuckDbDestination extends SqlDestination {
  readonly kind = 'duckdb' as const;
  /** The file's catalog name (its file name without extension), e.g. `bitrix24` for bitrix24.duckdb. */
  private catalogName?: string;

  /**
   * DuckDB cannot resolve `x.deals` when `x` names both the file's catalog and a schema ("Ambiguous
   * reference to catalog or schema"), in our SQL and in every query a user types later; so such a
   * layer is refused up front with the fix, instead of failing every stream.
   */
  override async prepare(table: StreamTable): Promise<void> {
    if (this.catalogName === undefined) {
      const [row] = await this.driver.query('SELECT current_database() AS name');
      this.catalogName = String(row?.name ?? '');
    }
    if (table.layer.toLowerCase() === this.catalogName.toLowerCase()) {
      throw new DestinationConfigError(
        `layer "${table.layer}" of stream ${table.stream} has the same name as the DuckDB file (${this.description}), which DuckDB cannot tell apart; set streams.${table.stream}.layer to another name, or write to a file with another name`,
      );
    }
    return super.prepare(table);
  }

  private constructor(
    driver: SqlDriver,
    readonly description: string,
    options: SqlDestinationOptions,
  ) {
    super(driver, options);
  }

  /**
   * Opens (creating if needed) the DuckDB file at `path`; `:memory:` gives a throwaway database.
   * `memoryLimitMb` sets DuckDB's memory settings (`duckDbSettings`); `settings` are further
   * DuckDB configuration options, laid over them, e.g. `{ memory_limit: '1GB', threads: '2' }`.
   */
  static async open(
    path: string,
    options: SqlDestinationOptions & { memoryLimitMb?: number; settings?: Record<string, string> } = {},
  ): Promise<DuckDbDestination> {
    let instance: DuckDBInstance;
    const memoryLimitMb = options.memoryLimitMb ?? DEFAULT_MEMORY_LIMIT_MB;
    try {
      // Within one process, every destination on a file shares one database through DuckDB's
      // instance cache (two instances of one file in a process would corrupt it); the file is
      // released when the last of them closes.
      const settings = {
        ...duckDbSettings(memoryLimitMb),
        ...options.settings,
      };
      instance =
        path === ':memory:'
          ? await DuckDBInstance.create(path, settings)
          : await DuckDBInstance.fromCache(path, settings);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (/lock/i.test(message)) {
        throw new DestinationLockedError(
          `DuckDB file ${path} is in use by another process (DuckDB allows one writer process per file): ${message}`,
        );
      }
      throw new DestinationError(`cannot open DuckDB file ${path}: ${message}`);
    }
    const connection = await instance.connect();
    const destination = new DuckDbDestination(
      new DuckDbDriver(instance, connection, memoryLimitMb * 2 ** 20),
      `duckdb:${path}`,
      options,
    );
    await destination.initialise();
    return destination;
  }
}
