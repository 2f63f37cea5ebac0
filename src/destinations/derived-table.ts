/** What a derived table is (derived-tables.ts says how they are kept), and how it is named. */
import type { ColumnKind, SqlDialectName } from './columns.js';
import type { StreamTable } from './destination.js';
import type { TableColumns } from './table-ddl.js';

export interface DerivedColumn {
  name: string;
  kind: ColumnKind;
  comment: string;
}

export interface DerivedTable {
  layer: string;
  table: string;
  /** The name its `_tap.tables` row has in the `stream` column: the table's name without prefix. */
  catalogName: string;
  folder: string;
  comment: string;
  columns: readonly DerivedColumn[];
  /** Whether `refreshSql` reads only what changed when given `since` (else it rebuilds whole anyway). */
  incremental: boolean;
  /** Whether the source table (as it is now) has what the rebuild reads. */
  canRefresh(source: TableColumns): boolean;
  /**
   * The statements that make the table match its source; run inside the finish transaction.
   * With `since` (an SQL expression: the time of the last rebuild), only source rows written or
   * marked deleted since then are read again; without it, the whole table is rebuilt.
   */
  refreshSql(dialect: SqlDialectName, source: TableColumns, since?: string): string[];
}

/** The prefix the stream's table name carries (`b24_` of `b24_contacts`); undefined for a renamed table. */
export function tablePrefixOf(table: Pick<StreamTable, 'stream' | 'table'>): string | undefined {
  return table.table.endsWith(table.stream) ? table.table.slice(0, -table.stream.length) : undefined;
}
