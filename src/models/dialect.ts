/**
 * The few SQL spellings where DuckDB and Postgres differ, for the model views: JSON access and
 * JSON objects. Everything else the models write is SQL both accept (window functions, FILTER,
 * date_trunc, EXTRACT(EPOCH …), string_agg, `||`).
 */
import type { SqlDialectName } from '../destinations/columns.js';
import { quoteLiteral } from '../destinations/sql-driver.js';

export type { SqlDialectName };

/** A JSON member as text: `key` a property name, or an array index. */
export function jsonText(dialect: SqlDialectName, json: string, key: string | number): string {
  if (dialect === 'postgres') return `(${json} ->> ${typeof key === 'number' ? key : quoteLiteral(key)})`;
  const path = typeof key === 'number' ? `$[${key}]` : `$.${JSON.stringify(key)}`;
  return `json_extract_string(${json}, ${quoteLiteral(path)})`;
}

/**
 * Postgres functions take at most 100 arguments, so a jsonb object of many members is built in
 * parts joined with `||` (which keeps null members; DuckDB's json_merge_patch would drop them,
 * and its json_object has no such limit).
 */
const PAIRS_PER_CALL = 50;

/** A JSON object of `pairs` (literal key, SQL value); `{}` when there are none. */
export function jsonObject(dialect: SqlDialectName, pairs: readonly (readonly [string, string])[]): string {
  const args = (part: readonly (readonly [string, string])[]) =>
    part.map(([key, value]) => `${quoteLiteral(key)}, ${value}`).join(', ');
  if (dialect === 'duckdb') return `json_object(${args(pairs)})`;
  if (pairs.length === 0) return 'jsonb_build_object()';
  const parts: string[] = [];
  for (let first = 0; first < pairs.length; first += PAIRS_PER_CALL)
    parts.push(`jsonb_build_object(${args(pairs.slice(first, first + PAIRS_PER_CALL))})`);
  return parts.length === 1 ? parts[0]! : `(${parts.join(' || ')})`;
}

/** The SQL type a JSON value has in each database. */
export function jsonType(dialect: SqlDialectName): string {
  return dialect === 'postgres' ? 'jsonb' : 'JSON';
}

/** The UTC calendar month of a timestamptz, as a DATE (the 1st), whatever the session's time zone. */
export function utcMonth(timestamp: string): string {
  return `CAST(date_trunc('month', ${timestamp} AT TIME ZONE 'UTC') AS DATE)`;
}

/** Seconds from `from` to `to` (timestamptz), as a double. */
export function secondsBetween(from: string, to: string): string {
  return `CAST(EXTRACT(EPOCH FROM ${to}) - EXTRACT(EPOCH FROM ${from}) AS DOUBLE PRECISION)`;
}

/** `numerator / denominator` as a fraction, NULL when the denominator is 0. */
export function ratio(numerator: string, denominator: string): string {
  return `CAST(${numerator} AS DOUBLE PRECISION) / NULLIF(${denominator}, 0)`;
}

/** An id column where 0 and NULL both mean "none" (the API sends "0" for an empty link). */
export function idOrNull(column: string): string {
  return `NULLIF(${column}, 0)`;
}

/** A text column where "" and NULL both mean "none". */
export function textOrNull(column: string): string {
  return `NULLIF(${column}, '')`;
}
