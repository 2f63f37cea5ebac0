/**
 * Column comments from field titles, so a catalog (DuckDB's `duckdb_columns()`, Postgres'
 * `\d+`, any BI tool reading either) shows "Budget" beside `UF_CRM_MONEY`. The titles come from
 * the stream's JSON Schema, whose `title` is the portal's label (`listLabel`/`formLabel` for user
 * fields). Kept up to date: each time a table is prepared, comments that differ from the
 * schema's titles are rewritten, so a renamed field gets its new label on the next sync.
 */
import type { JsonSchema } from '../schema/index.js';
import { qualified, quoteIdent, quoteLiteral, type SqlDriver } from './sql-driver.js';

/** Column → comment, for the properties of `schema` that carry a title. */
export function titlesOf(schema: JsonSchema): Map<string, string> {
  const titles = new Map<string, string>();
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const title = typeof property.title === 'string' ? property.title.trim() : '';
    if (title !== '') titles.set(name, title);
  }
  return titles;
}

/** The comments the columns of `schema.table` have now (columns without one are absent). */
async function commentsOf(driver: SqlDriver, schema: string, table: string): Promise<Map<string, string>> {
  const rows =
    driver.dialect === 'duckdb'
      ? await driver.query(
          'SELECT column_name, comment FROM duckdb_columns() WHERE schema_name = $1 AND table_name = $2',
          [schema, table],
        )
      : await driver.query(
          `SELECT a.attname AS column_name, col_description(a.attrelid, a.attnum) AS comment
           FROM pg_attribute a WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped`,
          [qualified(schema, table)],
        );
  const comments = new Map<string, string>();
  for (const row of rows) {
    if (row.comment !== null && row.comment !== undefined && row.comment !== '')
      comments.set(String(row.column_name), String(row.comment));
  }
  return comments;
}

/**
 * Gives each existing column of `schema.table` named in `wanted` that comment, in one round
 * trip, writing only those that differ. Run inside the caller's transaction.
 */
export async function ensureColumnComments(
  driver: SqlDriver,
  schema: string,
  table: string,
  wanted: ReadonlyMap<string, string>,
  columns: ReadonlySet<string>,
): Promise<void> {
  if (wanted.size === 0) return;
  const current = await commentsOf(driver, schema, table);
  const statements: string[] = [];
  for (const [column, comment] of wanted) {
    if (!columns.has(column) || current.get(column) === comment) continue;
    statements.push(
      `COMMENT ON COLUMN ${qualified(schema, table)}.${quoteIdent(column)} IS ${quoteLiteral(comment)}`,
    );
  }
  if (statements.length > 0) await driver.script(statements);
}

/** `COMMENT ON TABLE`, for tables the connector derives (their comment says where rows come from). */
export function tableCommentSql(schema: string, table: string, comment: string): string {
  return `COMMENT ON TABLE ${qualified(schema, table)} IS ${quoteLiteral(comment)}`;
}
