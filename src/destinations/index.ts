/**
 * Destinations for rows and state: DuckDB (default, embedded) and Postgres.
 *
 * Layout in the database:
 * - `<layer>.<table>`: one table per stream; a typed column per schema property (columns.ts),
 *   plus `_sdc_extracted_at`, `_sdc_synced_at`, `_sdc_deleted_at`; primary key on the key
 *   properties. Columns are added as properties appear and never dropped.
 * - `<layer>.<table>__history`: earlier row versions when `historyDays` > 0 (docs/HISTORY.md).
 * - `<layer>.<table>__staging` / `__seen`: in-flight replace / full scan (stream-load.ts).
 * - `<layer>.<prefix><owner>_phones` (…`_emails`, `_websites`, `_messengers`) and
 *   `<layer>.<prefix>enum_items`: tables derived from a stream's table, rebuilt when its load
 *   finishes (derived-tables.ts). Columns carry their fields' titles as comments.
 * - `_tap.state`, `_tap.tables`: connector state, a bookmark per target table, and the catalog
 *   of synced tables (bookkeeping.ts, sql-destination.ts).
 */
export { type ColumnKind, columnKind } from './columns.js';
export type {
  Destination,
  LoadMode,
  LoadSummary,
  StateTarget,
  StreamLoad,
  StreamTable,
  TapState,
} from './destination.js';
export { DuckDbDestination } from './duckdb.js';
export { DEFAULT_MEMORY_LIMIT_MB, duckDbSettings } from './duckdb-settings.js';
export * from './errors.js';
export { asOfQuery } from './history.js';
export { defaultDuckDbPath, openDestination } from './open.js';
export { describePostgresUrl, PostgresDestination } from './postgres.js';
export {
  type DestinationLogger,
  defaultStateSchema,
  SqlDestination,
  type SqlDestinationOptions,
} from './sql-destination.js';

export type { VerificationRecord, VerificationStatus } from './verification-log.js';
