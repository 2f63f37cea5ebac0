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
import {
  changedComments,
  columnCommentStatements,
  type LayerComments,
  tableCommentSql,
} from './column-comments.js';
import type { DerivedTable } from './derived-table.js';
import type { StreamTable } from './destination.js';
import { enumItemsTable } from './enum-items.js';
import { multifieldTables } from './multifield-tables.js';
import type { TableCatalog } from './table-catalog.js';
import { planTable, type TablePlan } from './table-ddl.js';

export function derivedTablesOf(table: StreamTable): DerivedTable[] {
  const enumItems = enumItemsTable(table);
  return [...multifieldTables(table), ...(enumItems ? [enumItems] : [])];
}

/** A derived table, the DDL that creates it where missing or adds missing columns, and whether it creates it. */
export interface PlannedTable {
  derived: DerivedTable;
  plan: TablePlan;
  created: boolean;
}

/**
 * Plans the derived tables of `table` from what `catalog` knows of them, and records their
 * columns there; run each plan's statements in the finish transaction.
 */
export async function planDerivedTables(catalog: TableCatalog, table: StreamTable): Promise<PlannedTable[]> {
  const planned: PlannedTable[] = [];
  for (const derived of derivedTablesOf(table)) {
    const existing = await catalog.columns(derived.layer, derived.table);
    const wanted = derived.columns.map((c) => [c.name, c.kind] as const);
    const plan = planTable(catalog.driver, derived.layer, derived.table, existing, wanted, []);
    catalog.setColumns(derived.layer, derived.table, plan.columns);
    planned.push({ derived, plan, created: existing.size === 0 });
  }
  return planned;
}

/** A derived table's column comments that differ from `current` (all of them when it is created). */
export function derivedCommentChanges(planned: PlannedTable, current: LayerComments): Map<string, string> {
  const { derived, plan } = planned;
  return changedComments(
    new Map(derived.columns.map((c) => [c.name, c.comment])),
    plan.columns.keys(),
    current.get(derived.table),
  );
}

/** The comment statements of a planned derived table: the table's when created, and `changes`. */
export function derivedCommentStatements(
  planned: PlannedTable,
  changes: ReadonlyMap<string, string>,
): string[] {
  const { derived, created } = planned;
  return [
    ...(created ? [tableCommentSql(derived.layer, derived.table, derived.comment)] : []),
    ...columnCommentStatements(derived.layer, derived.table, changes),
  ];
}
