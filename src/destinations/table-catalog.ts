/**
 * What a SQL destination knows of its layers' tables: each table's columns and column comments,
 * read from the database once per layer and then kept up to date with the DDL and comments the
 * destination itself runs. Every stream's prepare, begin and finish used to read
 * `information_schema.columns` (about 150 queries a sync) and the layer's comments, which in
 * DuckDB rebuild from the whole catalog each time and held the one connection while other
 * streams waited to commit.
 *
 * It trusts that nobody else changes these tables while the destination is open: a DuckDB file
 * has one writer process, and two configurations sharing a Postgres database load different
 * tables. A transaction that rolls back may have undone DDL recorded here, so then everything is
 * forgotten and read again when next needed.
 */
import { commentsOfLayer, type LayerComments } from './column-comments.js';
import type { SqlDriver } from './sql-driver.js';
import { columnsOf, schemaColumnsOf, type TableColumns } from './table-ddl.js';

export class TableCatalog {
  private readonly columnsByLayer = new Map<string, Map<string, TableColumns>>();
  private readonly commentsByLayer = new Map<string, LayerComments>();

  constructor(readonly driver: SqlDriver) {}

  /** The table's columns (empty when it does not exist); reads its layer the first time. */
  async columns(layer: string, table: string): Promise<TableColumns> {
    let tables = this.columnsByLayer.get(layer);
    if (tables === undefined) {
      tables = await schemaColumnsOf(this.driver, layer);
      this.columnsByLayer.set(layer, tables);
    }
    return tables.get(table) ?? new Map();
  }

  /** Whether the layer's schema is known to exist (one of its tables is). */
  hasLayer(layer: string): boolean {
    return (this.columnsByLayer.get(layer)?.size ?? 0) > 0;
  }

  /** Reads one table's columns from the database again (for callers outside a load). */
  async reread(layer: string, table: string): Promise<TableColumns> {
    const columns = await columnsOf(this.driver, layer, table);
    if (columns.size > 0) this.setColumns(layer, table, columns);
    else this.columnsByLayer.get(layer)?.delete(table);
    return columns;
  }

  /** Records the columns a table has after DDL this destination ran (or will run in its transaction). */
  setColumns(layer: string, table: string, columns: TableColumns): void {
    const tables = this.columnsByLayer.get(layer) ?? new Map<string, TableColumns>();
    tables.set(table, new Map(columns));
    this.columnsByLayer.set(layer, tables);
  }

  /**
   * Records a table dropped and replaced by another (a DuckDB replace renames its staging table
   * over the live one): its columns are the new table's, and it has no column comments.
   */
  replaced(layer: string, table: string, columns: TableColumns): void {
    this.setColumns(layer, table, columns);
    this.commentsByLayer.get(layer)?.delete(table);
  }

  /** The layer's column comments; read the first time. */
  async comments(layer: string): Promise<LayerComments> {
    let comments = this.commentsByLayer.get(layer);
    if (comments === undefined) {
      comments = await commentsOfLayer(this.driver, layer);
      this.commentsByLayer.set(layer, comments);
    }
    return comments;
  }

  /** Records comments this destination wrote (`COMMENT ON COLUMN`), after `comments(layer)`. */
  setComments(layer: string, table: string, written: ReadonlyMap<string, string>): void {
    const comments = this.commentsByLayer.get(layer);
    if (comments === undefined || written.size === 0) return;
    const columns = comments.get(table) ?? new Map<string, string>();
    for (const [column, comment] of written) columns.set(column, comment);
    comments.set(table, columns);
  }

  /** Forgets everything: a rolled-back transaction may have undone DDL recorded here. */
  clear(): void {
    this.columnsByLayer.clear();
    this.commentsByLayer.clear();
  }
}
