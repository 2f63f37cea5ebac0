/**
 * What a load's finish does beyond its own table, inside the finish transaction: the columns'
 * comments (column-comments.ts; also what a DuckDB replace's swap left without), the derived
 * tables, created where missing, rebuilt, with their comments and catalog rows (derived-tables.ts),
 * and the statement for the table's own catalog row.
 *
 * Round trips are few, because each waits for a turn of a busy event loop while the other
 * streams wait for the connection: one script for the derived tables' DDL and all comments, one
 * per derived table for its rebuild and catalog row, and a read of the last rebuild only for a
 * derived table that is rebuilt in part.
 */
import { type CatalogTarget, catalogRowSql, rebuildCheckSql } from './bookkeeping.js';
import { changedComments, columnCommentStatements, titlesOf } from './column-comments.js';
import type { DerivedTable } from './derived-table.js';
import { derivedCommentChanges, derivedCommentStatements, planDerivedTables } from './derived-tables.js';
import type { LoadMode, StreamTable } from './destination.js';
import type { TableCatalog } from './table-catalog.js';

/** The catalog row of a derived table: sync type `DERIVED`, mode `rebuild`. */
function derivedCatalogSql(schema: string, table: DerivedTable, at: Date): string {
  const target: CatalogTarget = {
    stream: table.catalogName,
    layer: table.layer,
    folder: table.folder,
    table: table.table,
  };
  return catalogRowSql(schema, target, 'DERIVED', 'rebuild', at);
}

/** The statement writing the catalog row of a stream's own table. */
export function streamCatalogSql(stateSchema: string, table: StreamTable, mode: LoadMode, at: Date): string {
  return catalogRowSql(stateSchema, table, table.replicationMethod, mode, at);
}

/**
 * The time `table` was last rebuilt, as SQL reading its catalog row; undefined when it has none
 * or holds another number of rows than that row says (then it is rebuilt whole).
 */
async function lastRebuiltAt(
  catalog: TableCatalog,
  stateSchema: string,
  table: DerivedTable,
): Promise<string | undefined> {
  const { lastRebuilt, check } = rebuildCheckSql(stateSchema, {
    stream: table.catalogName,
    layer: table.layer,
    table: table.table,
  });
  const [row] = await catalog.driver.query(check);
  if (row === undefined || Number(row.n ?? -1) !== Number(row.row_count)) return undefined;
  return lastRebuilt;
}

/**
 * Comments and derived tables of `table` at its load's finish, in the finish transaction. With
 * `replaced`, the source table is a new one, so derived tables are rebuilt whole.
 */
export async function finishDerivedWork(
  catalog: TableCatalog,
  stateSchema: string,
  table: StreamTable,
  replaced: boolean,
  at: Date,
): Promise<void> {
  const { driver } = catalog;
  const comments = await catalog.comments(table.layer);
  const source = await catalog.columns(table.layer, table.table);
  const own = changedComments(titlesOf(table.schema), source.keys(), comments.get(table.table));
  const planned = await planDerivedTables(catalog, table);
  const derivedChanges = planned.map((one) => derivedCommentChanges(one, comments));
  const statements = [
    ...planned.flatMap(({ plan }) => plan.statements),
    ...columnCommentStatements(table.layer, table.table, own),
    ...planned.flatMap((one, i) => derivedCommentStatements(one, derivedChanges[i])),
  ];
  if (statements.length > 0) await driver.script(statements);
  catalog.setComments(table.layer, table.table, own);
  for (const [i, { derived }] of planned.entries())
    catalog.setComments(derived.layer, derived.table, derivedChanges[i]);
  for (const { derived, created } of planned) {
    if (!derived.canRefresh(source)) continue;
    const whole = replaced || created || !derived.incremental;
    const since = whole ? undefined : await lastRebuiltAt(catalog, stateSchema, derived);
    await driver.script([
      ...derived.refreshSql(driver.dialect, source, since),
      derivedCatalogSql(stateSchema, derived, at),
    ]);
  }
}
