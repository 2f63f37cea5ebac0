/**
 * DuckDB's settings, derived from one memory budget (config `memory_limit_mb`). Kept apart from
 * duckdb.ts so that reading the config does not load DuckDB's library.
 */
import { availableParallelism } from 'node:os';

/**
 * The destination database's memory budget when none is given: what config `memory_limit_mb`
 * defaults to. 128 MB: DuckDB moves committed rows past its budget to `<file>.tmp`, so a larger
 * default bought no speed (bench/RESULTS.md, memory) while it let a scale-100,000 sync's DuckDB
 * take 245 MB.
 */
export const DEFAULT_MEMORY_LIMIT_MB = 128;

/**
 * DuckDB's settings for a memory budget of `memoryLimitMb` (config `memory_limit_mb`).
 *
 * `memory_limit`: DuckDB caches table blocks up to 80% of RAM by default, so a long sync's memory
 * would grow with the table; a cap keeps it flat (DuckDB evicts, and spills to `<file>.tmp` if a
 * statement needs more). `threads`: every DuckDB thread keeps its own buffers and allocator
 * caches outside that cap, so a small budget gets few threads: one per 64 MB, at most the CPUs.
 *
 * `checkpoint_threshold` (a quarter of the budget): DuckDB checkpoints at a commit once the WAL
 * has grown past it. By default it checkpoints every 16MB of WAL, i.e. every few pages of a wide
 * table. A checkpoint's cost hardly depends on the rows it writes: it rewrites each changed
 * table's last row group and primary-key index, so on a 60-column keyed table one checkpoint per
 * 1,000-row commit took 23 CPU-s for 60,000 rows, one at the end 1.1 s. Rows committed and not
 * yet checkpointed count against `memory_limit`: past it DuckDB moves them to `<file>.tmp`, so
 * the driver checkpoints for memory's sake only under pressure (`afterCommit`). Commits stay
 * durable through the WAL, which a reopen after a crash replays.
 *
 * `default_block_size` (new files only; an existing file keeps its own): a table being appended
 * holds its last row group in memory, at least a block per column, so with DuckDB's 256 KiB
 * blocks a deal table of ~100 columns held ~50 MB and four wide streams at once ~200 MB.
 * 64 KiB blocks hold a quarter of that (test/destinations/duckdb-memory.test.ts). Such a file
 * opens in DuckDB releases that read non-default block sizes (this one does), not in older ones.
 *
 * `allocator_flush_threshold`, `allocator_bulk_deallocation_flush_threshold` (an eighth of the
 * budget): memory DuckDB frees goes back to its allocator (a jemalloc built into the library, not
 * the C library's malloc), which keeps it resident for a second or two; DuckDB flushes the
 * allocator's caches once a task or an eviction freed more than these, by default 128 and 512 MB,
 * i.e. never within a small budget.
 */
export function duckDbSettings(memoryLimitMb: number): Record<string, string> {
  const threads = Math.max(1, Math.min(availableParallelism(), Math.floor(memoryLimitMb / 64)));
  const step = Math.max(16, Math.round(memoryLimitMb / 8));
  return {
    memory_limit: `${Math.round(memoryLimitMb)}MB`,
    threads: String(threads),
    checkpoint_threshold: `${Math.max(16, Math.round(memoryLimitMb / 4))}MB`,
    default_block_size: String(BLOCK_SIZE),
    allocator_flush_threshold: `${step}MB`,
    allocator_bulk_deallocation_flush_threshold: `${step}MB`,
  };
}

/** 64 KiB: a file of wide rows as small as with 256 KiB blocks; with 16 KiB it was 3x larger. */
const BLOCK_SIZE = 64 * 1024;
