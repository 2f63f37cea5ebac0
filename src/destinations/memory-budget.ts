/**
 * The destination database's memory budget when none is given: what config `memory_limit_mb`
 * defaults to. 128 MB: DuckDB moves committed rows past its budget to `<file>.tmp`, so a larger
 * default bought no speed (bench/RESULTS.md, memory) while it let a scale-100,000 sync's DuckDB
 * take 245 MB. Kept apart from duckdb.ts so reading the config does not load DuckDB's library.
 */
export const DEFAULT_MEMORY_LIMIT_MB = 128;
