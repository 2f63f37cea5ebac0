/**
 * The little a database must offer for the shared SQL load logic (sql-destination.ts,
 * stream-load.ts): statements, and a fast bulk path into a session-private text table
 * (DuckDB's appender, Postgres COPY). One connection per destination; callers serialise use.
 */
import type { ColumnKind, SqlDialectName } from './columns.js';
import type { StagedPage, StagedValue } from './record-values.js';

export type SqlParam = string | null;

/** One column of a page appended straight into a table: its kind and one value per row. */
export type AppendColumn = readonly [kind: ColumnKind, values: readonly StagedValue[]];

export interface SqlDriver {
  readonly dialect: SqlDialectName;
  /** Runs one statement and returns its rows (numbers may come back as strings). */
  query(sql: string, params?: readonly SqlParam[]): Promise<Record<string, unknown>[]>;
  /**
   * Runs statements in order in one round trip (no parameters), e.g. a whole transaction. Each
   * round trip waits for a turn of the event loop, which a busy sync keeps for many ms.
   */
  script(statements: readonly string[]): Promise<void>;
  /**
   * Replaces the contents of the temporary table `name` (created on first use with the given
   * columns and an integer `_sdc_seq` giving each row's position in the page) with `page`. The
   * values are already converted to each column's kind (record-values.ts), so a driver may stage
   * them typed or as canonical text; either way the load casts each to the column's type.
   */
  stage(name: string, columns: readonly (readonly [string, ColumnKind])[], page: StagedPage): Promise<void>;
  /**
   * Appends `rowCount` rows straight into `schema.table`, inside the caller's transaction: one
   * value list per column of the table, in the table's column order. No staging table and no
   * INSERT … SELECT, so it suits pages of new keys; a key that exists fails the whole page
   * (`isDuplicateKeyError`). Optional: a driver without it stages every page.
   */
  appendPage?(
    schema: string,
    table: string,
    columns: readonly AppendColumn[],
    rowCount: number,
  ): Promise<void>;
  /**
   * Called after each page's transaction committed, outside any transaction and before the next
   * use (DuckDB: writes committed rows to the file once they hold too much memory). Optional.
   */
  afterCommit?(): Promise<void>;
  /**
   * Runs the statements that end a page's transaction (COMMIT last) and then what `afterCommit`
   * does, in one round trip where it can: every page of every stream takes turns on one
   * connection, and each round trip waits for a turn of a busy event loop. Optional: without it,
   * `script` then `afterCommit`.
   */
  commitThenSettle?(closing: readonly string[]): Promise<void>;
  /** Whether `error` is a primary key violation (an INSERT met an existing key). */
  isDuplicateKeyError(error: unknown): boolean;
  close(): Promise<void>;
}

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export function qualified(schema: string, table: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(table)}`;
}

/** A string literal; both databases use standard SQL quoting (doubled single quotes). */
export function quoteLiteral(text: string): string {
  return `'${text.replaceAll('\u0000', '').replaceAll("'", "''")}'`;
}

export function timestampLiteral(at: Date): string {
  return `CAST(${quoteLiteral(at.toISOString())} AS TIMESTAMPTZ)`;
}
