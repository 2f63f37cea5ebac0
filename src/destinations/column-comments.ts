/**
 * Column comments from field titles, so a catalog (DuckDB's `duckdb_columns()`, Postgres'
 * `\d+`, any BI tool reading either) shows "Budget" beside `UF_CRM_MONEY`. The titles come from
 * the stream's JSON Schema, whose `title` is the portal's label (`listLabel`/`formLabel` for user
 * fields). Kept up to date: when a load finishes, comments that differ from the schema's titles
 * are rewritten, so a field renamed on the portal is renamed in the catalog by the next sync.
 *
 * Written at finish, not when a table is prepared: a DuckDB `COMMENT ON COLUMN` is a catalog
 * change of about 8 ms (70 columns: 0.56 s), which before the first page would hold up every
 * stream's start, and at finish overlaps with the other streams' reading. Only comments that
 * differ are written, against the layer's comments read once per destination (table-catalog.ts),
 * so an unchanged table costs nothing.
 */
import type { JsonSchema } from '../schema/index.js';
import { qualified, quoteIdent, quoteLiteral, type SqlDriver } from './sql-driver.js';

/** Table → column → comment, for the columns of a layer that have one. */
export type LayerComments = Map<string, Map<string, string>>;

/** Column → comment, for the properties of `schema` that carry a title. */
export function titlesOf(schema: JsonSchema): Map<string, string> {
  const titles = new Map<string, string>();
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const title = typeof property.title === 'string' ? property.title.trim() : '';
    if (title !== '') titles.set(name, title);
  }
  return titles;
}

/** The column comments the tables of `schema` have now. */
export async function commentsOfLayer(driver: SqlDriver, schema: string): Promise<LayerComments> {
  const rows =
    driver.dialect === 'duckdb'
      ? await driver.query(
          'SELECT table_name, column_name, comment FROM duckdb_columns() WHERE schema_name = $1 AND comment IS NOT NULL',
          [schema],
        )
      : await driver.query(
          `SELECT c.relname AS table_name, a.attname AS column_name, col_description(a.attrelid, a.attnum) AS comment
           FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = $1 AND a.attnum > 0 AND NOT a.attisdropped AND col_description(a.attrelid, a.attnum) IS NOT NULL`,
          [schema],
        );
  const comments: LayerComments = new Map();
  for (const row of rows) {
    const table = String(row.table_name);
    const columns = comments.get(table) ?? new Map<string, string>();
    columns.set(String(row.column_name), String(row.comment));
    comments.set(table, columns);
  }
  return comments;
}

/** The comments of `wanted` that `columns` should get: those named there whose `current` one differs. */
export function changedComments(
  wanted: ReadonlyMap<string, string>,
  columns: Iterable<string>,
  current: ReadonlyMap<string, string> = new Map(),
): Map<string, string> {
  const changed = new Map<string, string>();
  for (const column of columns) {
    const comment = wanted.get(column);
    if (comment !== undefined && current.get(column) !== comment) changed.set(column, comment);
  }
  return changed;
}

/** `COMMENT ON COLUMN` for each of `comments` (column → comment). */
export function columnCommentStatements(
  schema: string,
  table: string,
  comments: ReadonlyMap<string, string>,
): string[] {
  return [...comments].map(
    ([column, comment]) =>
      `COMMENT ON COLUMN ${qualified(schema, table)}.${quoteIdent(column)} IS ${quoteLiteral(comment)}`,
  );
}

/** `COMMENT ON TABLE`, for tables the connector derives (their comment says where rows come from). */
export function tableCommentSql(schema: string, table: string, comment: string): string {
  return `COMMENT ON TABLE ${qualified(schema, table)} IS ${quoteLiteral(comment)}`;
}
