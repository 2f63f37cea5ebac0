/**
 * What one stream's load needs of the SQL destination that began it: the connection, turn-taking
 * and transactions on it, and the catalog and derived tables written at the finish.
 * SqlDestination implements it; stream-load.ts depends on this shape rather than on the class, so
 * the destination (which creates loads) and the load do not import each other.
 */
import type { LoadMode, StreamTable } from './destination.js';
import type { SqlDriver } from './sql-driver.js';
import type { TableCatalog } from './table-catalog.js';

/** The part of a pino logger a destination uses. */
export interface DestinationLogger {
  warn(details: object, message: string): void;
}

/** The table that keeps a table's earlier row versions (`history_days`). */
export function historyTable(table: string): string {
  return `${table}__history`;
}

/** Statements a transaction runs in the round trips of its BEGIN and its COMMIT. */
export interface TransactionStatements<T> {
  opening?: readonly string[];
  closing?: (result: T) => readonly string[];
}

export interface LoadHost {
  readonly driver: SqlDriver;
  readonly logger?: DestinationLogger;
  /** Runs `work` when no other load's work is running on the one connection. */
  exclusive<T>(work: () => Promise<T>): Promise<T>;
  transaction<T>(work: () => Promise<T>, statements?: TransactionStatements<T>): Promise<T>;
  /** What the destination knows of its tables; a load that replaces its table records it there. */
  readonly catalog: TableCatalog;
  /** The schema of the bookkeeping tables, unquoted; a load writes its table's bookmark there. */
  readonly stateSchema: string;
  /** The statement writing the table's catalog row, to run in the finish transaction. */
  catalogEntrySql(table: StreamTable, mode: LoadMode, at: Date): string;
  /** The finish's work beyond the load's own table: column comments and derived tables. */
  finishTables(table: StreamTable, replaced: boolean, at: Date): Promise<void>;
}
