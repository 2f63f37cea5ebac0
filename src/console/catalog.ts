/**
 * What a source's DuckDB file holds: its tables (from the destination's `_tap.tables`
 * bookkeeping), their live row counts, columns and types, and a preview of the first rows. The
 * file is opened read-only, and closed before a run takes it for writing.
 */
import { existsSync, statSync } from 'node:fs';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { isModelName, modelQuestion } from '../models/index.js';

export interface CatalogColumn {
  name: string;
  type: string;
  /** The column's comment: its field's title ("Budget" for UF_CRM_MONEY), when it has one. */
  title?: string;
}

/** The last `verify` of a table (`_tap.verifications`): the portal's count against its rows. */
export interface TableVerification {
  status: string;
  portal: number | null;
  warehouse: number | null;
  note: string | null;
  verifiedAt: string;
}

export interface CatalogTable {
  stream: string;
  layer: string;
  folder: string;
  table: string;
  syncType: string;
  lastSyncAt?: string;
  rows: number;
  columns: CatalogColumn[];
  verification?: TableVerification;
}

/** A model view (docs/MODELS.md) in the source's models schema. */
export interface CatalogModel {
  schema: string;
  name: string;
  question: string;
  columns: CatalogColumn[];
}

export interface TablePreview {
  columns: string[];
  rows: unknown[][];
}

function quote(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}

type Query = (sql: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;

interface OpenDatabase {
  instance: DuckDBInstance;
  connection: DuckDBConnection;
  /** The file's size and mtime (with its WAL) when `tables` was read. */
  signature?: string;
  tables?: CatalogTable[];
}

function fileSignature(path: string): string {
  return ['', '.wal']
    .map((suffix) => {
      try {
        const s = statSync(`${path}${suffix}`);
        return `${s.size}:${s.mtimeMs}`;
      } catch {
        return '-';
      }
    })
    .join('/');
}

/**
 * Opening a DuckDB file reads its whole catalog (about half a second for 200 tables), so the
 * reader keeps each file open read-only between page loads and remembers the catalog until the
 * file changes. `release` closes a file so a run can open it for writing; callers serialise
 * both through the DatabaseGate.
 */
export class CatalogReader {
  private readonly open = new Map<string, OpenDatabase>();

  async tables(path: string): Promise<CatalogTable[]> {
    if (!existsSync(path)) return [];
    const db = await this.database(path);
    const signature = fileSignature(path);
    if (db.tables && db.signature === signature) return db.tables;
    db.tables = await readTables(queryOf(db));
    db.signature = signature;
    return db.tables;
  }

  /** The model views in `schema`, with their columns; none before the first build. */
  async models(path: string, schema: string): Promise<CatalogModel[]> {
    if (!existsSync(path)) return [];
    const columns = await queryOf(await this.database(path))(
      `select c.table_name, c.column_name, c.data_type from information_schema.columns c
       join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
       where t.table_schema = $1 and t.table_type = 'VIEW' order by c.table_name, c.ordinal_position`,
      [schema],
    );
    const byView = new Map<string, CatalogColumn[]>();
    for (const c of columns) {
      const name = String(c.table_name);
      if (!isModelName(name)) continue;
      const list = byView.get(name) ?? [];
      list.push({ name: String(c.column_name), type: String(c.data_type) });
      byView.set(name, list);
    }
    return [...byView].map(([name, list]) => ({
      schema,
      name,
      question: modelQuestion(name) ?? '',
      columns: list,
    }));
  }

  /** The first rows of a table or view (values as JSON-safe text/numbers). */
  async preview(path: string, layer: string, table: string, limit = 20): Promise<TablePreview> {
    const rows = await queryOf(await this.database(path))(
      `select * from ${quote(layer)}.${quote(table)} order by 1 limit ${Math.floor(limit)}`,
    );
    const columns = rows.length > 0 ? Object.keys(rows[0]) : [];
    return { columns, rows: rows.map((r) => columns.map((c) => r[c])) };
  }

  release(path: string): void {
    const db = this.open.get(path);
    if (!db) return;
    this.open.delete(path);
    db.connection.closeSync();
    db.instance.closeSync();
  }

  releaseAll(): void {
    for (const path of [...this.open.keys()]) this.release(path);
  }

  private async database(path: string): Promise<OpenDatabase> {
    const known = this.open.get(path);
    if (known) return known;
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
    const db: OpenDatabase = { instance, connection: await instance.connect() };
    this.open.set(path, db);
    return db;
  }
}

function queryOf(db: OpenDatabase): Query {
  return async (sql, params) => {
    const reader = await db.connection.runAndReadAll(sql, params as never);
    return reader.getRowObjectsJson() as Record<string, unknown>[];
  };
}

async function readTables(query: Query): Promise<CatalogTable[]> {
  {
    const known = await query(
      "select 1 from information_schema.tables where table_schema = '_tap' and table_name = 'tables'",
    );
    if (known.length === 0) return [];
    const tables = await query(
      // A stream whose table was renamed (another prefix or layer) keeps a catalog row for its old
      // table; a source's page shows the table it loaded last.
      'select stream, layer, folder, table_name, sync_type, cast(last_sync_at as varchar) as last_sync_at from _tap.tables qualify row_number() over (partition by stream order by last_sync_at desc nulls last) = 1 order by layer, folder, table_name',
    );
    const columns = await query(
      "select schema_name as table_schema, table_name, column_name, data_type, comment from duckdb_columns() where schema_name <> '_tap' and not internal order by schema_name, table_name, column_index",
    );
    const byTable = new Map<string, CatalogColumn[]>();
    for (const c of columns) {
      const key = `${c.table_schema}.${c.table_name}`;
      const list = byTable.get(key) ?? [];
      const title = c.comment === null || c.comment === undefined ? '' : String(c.comment);
      list.push({ name: String(c.column_name), type: String(c.data_type), ...(title ? { title } : {}) });
      byTable.set(key, list);
    }
    const present = tables.filter((t) => byTable.has(`${t.layer}.${t.table_name}`));
    const counts = new Map<string, number>();
    if (present.length > 0) {
      const parts = present.map((t) => {
        const cols = byTable.get(`${t.layer}.${t.table_name}`) ?? [];
        const live = cols.some((c) => c.name === '_sdc_deleted_at') ? ' where _sdc_deleted_at is null' : '';
        return `select ${sqlText(String(t.stream))} as stream, count(*) as n from ${quote(String(t.layer))}.${quote(String(t.table_name))}${live}`;
      });
      for (const row of await query(parts.join(' union all '))) counts.set(String(row.stream), Number(row.n));
    }
    const verified = await readVerifications(query);
    return present.map((t) => ({
      stream: String(t.stream),
      layer: String(t.layer),
      folder: String(t.folder),
      table: String(t.table_name),
      syncType: String(t.sync_type),
      ...(t.last_sync_at ? { lastSyncAt: String(t.last_sync_at) } : {}),
      rows: counts.get(String(t.stream)) ?? 0,
      columns: byTable.get(`${t.layer}.${t.table_name}`) ?? [],
      ...withVerification(verified.get(`${t.stream}|${t.layer}|${t.table_name}`)),
    }));
  }
}

function withVerification(v: TableVerification | undefined): { verification?: TableVerification } {
  return v ? { verification: v } : {};
}

/** The last verification of each table, keyed `stream|layer|table`; none before the first `verify`. */
async function readVerifications(query: Query): Promise<Map<string, TableVerification>> {
  const out = new Map<string, TableVerification>();
  const known = await query(
    "select 1 from information_schema.tables where table_schema = '_tap' and table_name = 'verifications'",
  );
  if (known.length === 0) return out;
  const rows = await query(
    'select stream, layer, table_name, status, portal_count, warehouse_count, note, cast(verified_at as varchar) as verified_at from _tap.verifications',
  );
  for (const r of rows) {
    out.set(`${r.stream}|${r.layer}|${r.table_name}`, {
      status: String(r.status),
      portal: r.portal_count === null ? null : Number(r.portal_count),
      warehouse: r.warehouse_count === null ? null : Number(r.warehouse_count),
      note: r.note === null ? null : String(r.note),
      verifiedAt: String(r.verified_at),
    });
  }
  return out;
}

function sqlText(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}
