/**
 * `_tap.verifications`: the last `verify` of each target table (stream, layer, table_name), so
 * the console and a person with SQL can see when a table was last checked against the portal's
 * own count and what was found. One row per target, replaced by each verification.
 */
import { sqlType } from './columns.js';
import { qualified, type SqlDriver, type SqlParam } from './sql-driver.js';

const VERIFICATIONS = 'verifications';

/** `drift`: the counts differ; `not_counted`: no count request exists; `failed`: the count failed. */
export type VerificationStatus = 'ok' | 'drift' | 'not_counted' | 'failed';

export interface VerificationRecord {
  stream: string;
  layer: string;
  table: string;
  status: VerificationStatus;
  /** The portal's `total` for the stream's filter; null when not counted or failed. */
  portal: number | null;
  /** Live rows (not marked deleted) in the table; null when the table does not exist. */
  warehouse: number | null;
  /** Why a stream was not counted, or what failed. */
  note: string | null;
  verifiedAt: string;
}

export function verificationTableSql(driver: SqlDriver, schema: string): string {
  const text = sqlType(driver.dialect, 'text');
  return `CREATE TABLE IF NOT EXISTS ${qualified(schema, VERIFICATIONS)} (stream ${text} NOT NULL, layer ${text} NOT NULL, table_name ${text} NOT NULL, verified_at TIMESTAMPTZ NOT NULL, status ${text} NOT NULL, portal_count BIGINT, warehouse_count BIGINT, note ${text}, PRIMARY KEY (stream, layer, table_name))`;
}

/** Replaces each record's row; call inside a transaction so a verification lands whole. */
export async function saveVerifications(
  driver: SqlDriver,
  schema: string,
  records: readonly VerificationRecord[],
): Promise<void> {
  for (const r of records) {
    const params: SqlParam[] = [
      r.stream,
      r.layer,
      r.table,
      r.verifiedAt,
      r.status,
      r.portal === null ? null : String(r.portal),
      r.warehouse === null ? null : String(r.warehouse),
      r.note,
    ];
    await driver.query(
      `INSERT INTO ${qualified(schema, VERIFICATIONS)} (stream, layer, table_name, verified_at, status, portal_count, warehouse_count, note)
       VALUES ($1, $2, $3, CAST($4 AS TIMESTAMPTZ), $5, CAST($6 AS BIGINT), CAST($7 AS BIGINT), $8)
       ON CONFLICT (stream, layer, table_name) DO UPDATE SET verified_at = excluded.verified_at,
         status = excluded.status, portal_count = excluded.portal_count,
         warehouse_count = excluded.warehouse_count, note = excluded.note`,
      params,
    );
  }
}

/** Every recorded verification, newest first. */
export async function readVerifications(driver: SqlDriver, schema: string): Promise<VerificationRecord[]> {
  const rows = await driver.query(
    `SELECT stream, layer, table_name, CAST(verified_at AS TEXT) AS verified_at, status, portal_count, warehouse_count, note
     FROM ${qualified(schema, VERIFICATIONS)} ORDER BY verified_at DESC, stream`,
  );
  return rows.map((row) => ({
    stream: String(row.stream),
    layer: String(row.layer),
    table: String(row.table_name),
    status: String(row.status) as VerificationStatus,
    portal: row.portal_count === null ? null : Number(row.portal_count),
    warehouse: row.warehouse_count === null ? null : Number(row.warehouse_count),
    note: row.note === null ? null : String(row.note),
    verifiedAt: new Date(String(row.verified_at)).toISOString(),
  }));
}
