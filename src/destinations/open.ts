/**
 * Opening the destination a `--to` target names. The database libraries are loaded here, on
 * first use, not when the CLI starts: DuckDB's library alone takes about 50 MB of a process's
 * memory, which Singer mode (no database at all) and a Postgres sync do not need.
 */
import type { Destination } from './destination.js';
import type { DuckDbDestination } from './duckdb.js';
import type { PostgresDestination } from './postgres.js';
import type { SqlDestinationOptions } from './sql-destination.js';

export const defaultDuckDbPath = 'bitrix24.duckdb';

/**
 * Opens the destination a `--to` target names: a `postgres://`/`postgresql://` URL, or a DuckDB
 * file path (`duckdb:path` accepted too; default `bitrix24.duckdb`). `memoryLimitMb` is DuckDB's
 * memory budget (config `memory_limit_mb`); a Postgres server manages its own memory.
 */
export async function openDestination(
  target: string = defaultDuckDbPath,
  options: SqlDestinationOptions & { memoryLimitMb?: number } = {},
): Promise<Destination & (DuckDbDestination | PostgresDestination)> {
  if (/^postgres(ql)?:\/\//i.test(target)) {
    const { memoryLimitMb: _memoryLimitMb, ...sqlOptions } = options;
    const { PostgresDestination } = await import('./postgres.js');
    return PostgresDestination.open(target, sqlOptions);
  }
  const path = target.startsWith('duckdb:') ? target.slice('duckdb:'.length) : target;
  const { DuckDbDestination } = await import('./duckdb.js');
  return DuckDbDestination.open(path === '' ? defaultDuckDbPath : path, options);
}
