/**
 * The JSON reading derived tables need, per database: the members of the objects in a JSON array
 * column as rows. A value that is not an array (a raw value kept as it came) yields no rows, and
 * an element that is not an object yields NULL members, instead of failing the load.
 *
 * DuckDB reads the array with `from_json` into a list of structs of text members: about nine
 * times faster than `json_extract_string` per element (0.8 s instead of 7.7 s for 400,000 phones).
 */
import type { SqlDialectName } from './columns.js';
import { quoteIdent, quoteLiteral } from './sql-driver.js';

export interface JsonArrayRows {
  /** The table, aliased `p`, whose rows hold the arrays. */
  from: string;
  /** The JSON array column of `p`. */
  array: string;
  /** Members read from each element, as text columns named `m_<member>`. */
  members: readonly string[];
  /** Expressions over `p` carried to each element's row, as `name` → expression. */
  carry: Readonly<Record<string, string>>;
  /** A condition on `p`. */
  where: string;
}

/** A SELECT giving one row per element of each `p.array`: the carried columns and `m_<member>` texts. */
export function jsonArrayRowsSql(dialect: SqlDialectName, rows: JsonArrayRows): string {
  const carried = Object.entries(rows.carry).map(
    ([name, expression]) => `${expression} AS ${quoteIdent(name)}`,
  );
  const names = Object.keys(rows.carry).map(quoteIdent);
  const array = `p.${quoteIdent(rows.array)}`;
  if (dialect === 'duckdb') {
    const shape = JSON.stringify([Object.fromEntries(rows.members.map((m) => [m, 'VARCHAR']))]);
    const members = rows.members.map((m) => `m.${quoteIdent(m)} AS ${quoteIdent(`m_${m}`)}`);
    return `SELECT ${[...names, ...members].join(', ')} FROM (SELECT ${[...carried, `unnest(from_json(CASE WHEN json_type(${array}) = 'ARRAY' THEN ${array} ELSE '[]' END, ${quoteLiteral(shape)})) AS m`].join(', ')} FROM ${rows.from} p WHERE ${rows.where})`;
  }
  const members = rows.members.map((m) => `m->>${quoteLiteral(m)} AS ${quoteIdent(`m_${m}`)}`);
  return `SELECT ${[...carried, ...members].join(', ')} FROM ${rows.from} p CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(${array}) = 'array' THEN ${array} ELSE '[]'::jsonb END) AS u(m) WHERE ${rows.where}`;
}

/** Text `expression` as BIGINT, or NULL when it is not an integer (0 included: no id is 0). */
export function bigintOf(dialect: SqlDialectName, expression: string): string {
  const cast =
    dialect === 'duckdb'
      ? `TRY_CAST(${expression} AS BIGINT)`
      : `CASE WHEN ${expression} ~ '^[-+]?[0-9]{1,18}$' THEN CAST(${expression} AS bigint) END`;
  return `NULLIF(${cast}, 0)`;
}

/** `""` is NULL, as everywhere else. */
export const nonEmpty = (expression: string): string => `NULLIF(${expression}, '')`;
