/**
 * The few JSON expressions derived tables need, per database: the elements of a JSON array column
 * as rows, a member as text, text as BIGINT when it is one. A value that is not an array (a raw
 * value kept as it came) yields no rows instead of failing the load.
 */
import type { SqlDialectName } from './columns.js';
import { quoteLiteral } from './sql-driver.js';

/** A FROM-clause item joining each row of the preceding table to the elements of `array`, as `alias`. */
export function jsonElementsJoin(dialect: SqlDialectName, array: string, alias: string): string {
  if (dialect === 'duckdb') {
    return `, unnest(CASE WHEN json_type(${array}) = 'ARRAY' THEN CAST(${array} AS JSON[]) ELSE [] END) AS u(${alias})`;
  }
  return ` CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(${array}) = 'array' THEN ${array} ELSE '[]'::jsonb END) AS u(${alias})`;
}

/** Member `key` of JSON object `element` as text; `""` is NULL, as everywhere else. */
export function jsonMemberText(dialect: SqlDialectName, element: string, key: string): string {
  const path =
    dialect === 'duckdb'
      ? `json_extract_string(${element}, ${quoteLiteral(`$.${key}`)})`
      : `${element}->>${quoteLiteral(key)}`;
  return `NULLIF(${path}, '')`;
}

/** Text `expression` as BIGINT, or NULL when it is not an integer (0 included: no id is 0). */
export function bigintOf(dialect: SqlDialectName, expression: string): string {
  const cast =
    dialect === 'duckdb'
      ? `TRY_CAST(${expression} AS BIGINT)`
      : `CASE WHEN ${expression} ~ '^[-+]?[0-9]{1,18}$' THEN CAST(${expression} AS bigint) END`;
  return `NULLIF(${cast}, 0)`;
}
