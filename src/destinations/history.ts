/**
 * Reading a table as of a past time ("delta log retention"). With `historyDays` > 0 every row
 * version that an upsert overwrites (or a replace drops) is copied, in the same transaction, to
 * `<table>__history` with `_sdc_valid_from` (the old version's `_sdc_synced_at`) and
 * `_sdc_valid_to` (the time the new version was written). A live row is valid from its
 * `_sdc_synced_at`; a row marked deleted stops being valid at `_sdc_deleted_at`.
 * Versions whose `_sdc_valid_to` is older than `historyDays` are pruned when a load finishes.
 */
import { qualified, quoteIdent, timestampLiteral } from './sql-driver.js';

/**
 * SQL (DuckDB and Postgres alike) that selects `columns` of `layer.table` as the table was at
 * `at`. Rows first written after `at` are absent; rows overwritten since are taken from history.
 */
export function asOfQuery(layer: string, table: string, columns: readonly string[], at: Date): string {
  const list = columns.map(quoteIdent).join(', ');
  const t = timestampLiteral(at);
  const notDeleted = `(_sdc_deleted_at IS NULL OR _sdc_deleted_at > ${t})`;
  return [
    `SELECT ${list} FROM ${qualified(layer, table)} WHERE _sdc_synced_at <= ${t} AND ${notDeleted}`,
    'UNION ALL',
    `SELECT ${list} FROM ${qualified(layer, `${table}__history`)}`,
    `WHERE _sdc_valid_from <= ${t} AND ${t} < _sdc_valid_to AND ${notDeleted}`,
  ].join('\n');
}
