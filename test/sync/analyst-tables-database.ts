/** Read access to a synced database for the analyst-table tests: rows, and columns with comments. */
import { DuckDBInstance } from '@duckdb/node-api';
import pg from 'pg';

export interface CatalogColumn {
  table: string;
  column: string;
  /** `bigint`, `text`, `json` or another type name, lower case. */
  type: string;
  comment: string | null;
}

export interface AnalystDatabase {
  target: string;
  layer: string;
  query(sql: string): Promise<Record<string, unknown>[]>;
  columns(): Promise<CatalogColumn[]>;
}

const typeName = (t: string): string => {
  const lower = t.toLowerCase();
  return lower === 'varchar' ? 'text' : lower === 'jsonb' ? 'json' : lower;
};

export function duckdbDatabase(path: string, layer: string): AnalystDatabase {
  const query = async (sql: string) => {
    const instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
    const connection = await instance.connect();
    try {
      return (await connection.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  };
  return {
    target: path,
    layer,
    query,
    async columns() {
      const rows = await query(
        `select table_name, column_name, data_type, comment from duckdb_columns() where schema_name = '${layer}'`,
      );
      return rows.map((r) => ({
        table: String(r.table_name),
        column: String(r.column_name),
        type: typeName(String(r.data_type)),
        comment: r.comment === null ? null : String(r.comment),
      }));
    },
  };
}

export function postgresDatabase(url: string, layer: string): AnalystDatabase {
  const query = async (sql: string) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query(sql)).rows as Record<string, unknown>[];
    } finally {
      await client.end();
    }
  };
  return {
    target: url,
    layer,
    query,
    async columns() {
      const rows = await query(
        `select c.relname as table_name, a.attname as column_name, format_type(a.atttypid, a.atttypmod) as data_type,
           col_description(a.attrelid, a.attnum) as comment
         from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
         where n.nspname = '${layer}' and c.relkind = 'r' and a.attnum > 0 and not a.attisdropped`,
      );
      return rows.map((r) => ({
        table: String(r.table_name),
        column: String(r.column_name),
        type: typeName(String(r.data_type)),
        comment: r.comment === null ? null : String(r.comment),
      }));
    },
  };
}

/** A JSON column's value as JS (DuckDB hands JSON over as text, Postgres parsed). */
export function jsonOf(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : value;
}
