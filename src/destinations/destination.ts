/**
 * What the sync engine needs of a place that keeps rows: DuckDB, Postgres, or Singer messages on
 * stdout. A destination holds the connector's state itself, and commits it in the same
 * transaction as the rows it covers, so state never runs ahead of durable rows.
 */
import type { JsonSchema } from '../schema/index.js';

export type LoadMode =
  /** INCREMENTAL: upsert by key. */
  | 'upsert'
  /** FULL_TABLE: rows go to a staging table that replaces the live one atomically at finish. */
  | 'replace'
  /** Additional full sync: upsert, and at finish mark rows whose keys were not seen as deleted. */
  | 'full_scan';

/** How a stream maps onto the database; from the config's `streams` and `table_prefix`. */
export interface StreamTable {
  stream: string;
  /** The database schema the table lives in (the config's `layer`), e.g. `raw`. */
  layer: string;
  /** A grouping shown in the catalog table (the config's `folder`), e.g. `crm`. */
  folder: string;
  /** The table name, prefix already applied. */
  table: string;
  keyProperties: readonly string[];
  /** JSON Schema of a record; each property becomes a typed column. */
  schema: JsonSchema;
  replicationMethod: 'INCREMENTAL' | 'FULL_TABLE';
  /** Keep earlier versions of rows for this many days (0: keep none). */
  historyDays: number;
}

/** Where a bookmark belongs: a stream and the table its rows land in. */
export type StateTarget = Pick<StreamTable, 'stream' | 'layer' | 'table'>;

/** The whole connector state: Singer-shaped, `{ bookmarks: { <stream>: StreamState } }`. */
export interface TapState {
  bookmarks: Record<string, Record<string, unknown>>;
  [extra: string]: unknown;
}

export interface LoadSummary {
  rowsWritten: number;
  rowsMarkedDeleted: number;
}

/** Rows of one stream and the state that is true once they are durable. */
export interface LoadBatch {
  records: Record<string, unknown>[];
  state: Record<string, unknown>;
  /** When the rows were read from the portal (their `_sdc_extracted_at`). */
  extractedAt: Date;
}

/** One load of one stream into the table it owns; it keeps that table's bookmark too. */
export interface StreamLoad {
  /**
   * Writes the batch's records and its state, as the table's bookmark, in one transaction. A
   * `replace` load keeps its rows in staging until `finish`, so it holds the state until then too.
   */
  write(batch: LoadBatch): Promise<void>;
  /** Ends the load: swaps in a replace, marks deletions of a full scan, and commits the final state. */
  finish(streamState: Record<string, unknown>): Promise<LoadSummary>;
  /** Gives up a load (staging is dropped; committed rows and state stay as they were). */
  abort(): Promise<void>;
}

export interface Destination {
  readonly kind: 'duckdb' | 'postgres' | 'singer';
  /** A description safe to print (no passwords). */
  readonly description: string;
  /**
   * The saved state of the streams loading into `tables`, keyed by stream name. A SQL
   * destination keeps a bookmark per target table, so configurations that load a stream into
   * different tables of one database (by `table_prefix` or `layer`) never share one.
   */
  loadState(tables: readonly StateTarget[]): Promise<TapState>;
  /** Creates the table, or adds columns for properties that appeared; never drops a column. */
  prepare(table: StreamTable): Promise<void>;
  begin(table: StreamTable, mode: LoadMode): Promise<StreamLoad>;
  /** Row count of a stream's live table, not counting rows marked deleted. */
  countRows(table: StreamTable): Promise<number>;
  close(): Promise<void>;
}
