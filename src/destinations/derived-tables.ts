/**
 * Tables a SQL destination derives from a stream's table: the child tables of multifields
 * (multifield-tables.ts) and the enumeration items of `*_fields` streams (enum-items.ts).
 *
 * How they stay consistent with their source: each is rebuilt in SQL from the source table when
 * a load of that stream finishes, inside the finish transaction, which also commits the final
 * state and the derived table's catalog row. So every committed finish leaves them equal to the
 * source, whatever the load was (upsert, replace, full scan marking rows deleted), with no
 * per-page bookkeeping. A load that crashes after committing some pages leaves them as of the last
 * finish; the next finish brings them up to date from the source, which holds those pages. Rows of
 * a source row marked deleted (`_sdc_deleted_at`) are left out. Values are read from the source's
 * JSON column, never from the portal.
 *
 * Rebuilding whole costs a scan of the source (about 1 s per 200,000 contacts with two phones in
 * DuckDB), so after the first time only the owners whose source row was written or marked deleted
 * since the last rebuild are replaced: every page a load writes is stamped `_sdc_synced_at` with
 * the time it is written, after the previous finish (whose time is the derived table's
 * `_tap.tables.last_sync_at`), and a full scan stamps `_sdc_deleted_at` with its finish time. A
 * replace swaps in a new source table, so it rebuilds whole; so does a derived table whose row
 * count is not the one its catalog row recorded (it was emptied or changed by hand).
 *
 * Names follow the source's: in its layer, with the prefix its table carries (a `b24_contacts`
 * table has `b24_contact_phones`).
 */
import { columnCommentStatements, type LayerComments, tableCommentSql } from './column-comments.js';
import type { DerivedTable } from './derived-table.js';
import type { StreamTable } from './destination.js';
import { enumItemsTable } from './enum-items.js';
import { multifieldTables } from './multifield-tables.js';
import type { SqlDriver } from './sql-driver.js';
import { columnsOf, ensureTable } from './table-ddl.js';

export function derivedTablesOf(table: StreamTable): DerivedTable[] {
  const enumItems = enumItemsTable(table);
  return [...multifieldTables(table), ...(enumItems ? [enumItems] : [])];
}

/** A derived table as it is now: its columns, and whether it was just created. */
export interface EnsuredTable {
  derived: DerivedTable;
  columns: string[];
  created: boolean;
}

/** Creates the derived tables of `table` that are missing, and adds missing columns. In a transaction. */
export async function ensureDerivedTables(driver: SqlDriver, table: StreamTable): Promise<EnsuredTable[]> {
  const ensured: EnsuredTable[] = [];
  for (const derived of derivedTablesOf(table)) {
    const before = await columnsOf(driver, derived.layer, derived.table);
    const columns = await ensureTable(
      driver,
      derived.layer,
      derived.table,
      derived.columns.map((c) => [c.name, c.kind] as const),
      [],
    );
    ensured.push({ derived, columns: [...columns.keys()], created: before.size === 0 });
  }
  return ensured;
}

/** The comment statements of ensured derived tables: the table's when created, columns' that differ. */
export function derivedCommentStatements(ensured: readonly EnsuredTable[], current: LayerComments): string[] {
  return ensured.flatMap(({ derived, columns, created }) => [
    ...(created ? [tableCommentSql(derived.layer, derived.table, derived.comment)] : []),
    ...columnCommentStatements(
      derived.layer,
      derived.table,
      new Map(derived.columns.map((c) => [c.name, c.comment])),
      columns,
      current.get(derived.table),
    ),
  ]);
}

/**
 * Rebuilds the derived tables of `table` from it, inside the finish transaction; returns those
 * rebuilt, for the catalog. `sinceLastRebuild` gives a derived table's last rebuild time as SQL,
 * or undefined where it must be rebuilt whole (see the top); `whole` forces that (a replace
 * swapped in a new source table).
 */
export async function refreshDerivedTables(
  driver: SqlDriver,
  table: StreamTable,
  sinceLastRebuild: (derived: DerivedTable) => Promise<string | undefined>,
  whole: boolean,
): Promise<DerivedTable[]> {
  const derived = derivedTablesOf(table);
  if (derived.length === 0) return [];
  const source = await columnsOf(driver, table.layer, table.table);
  const refreshed: DerivedTable[] = [];
  for (const one of derived) {
    if (!one.canRefresh(source)) continue;
    const since = whole ? undefined : await sinceLastRebuild(one);
    await driver.script(one.refreshSql(driver.dialect, source, since));
    refreshed.push(one);
  }
  return refreshed;
}
