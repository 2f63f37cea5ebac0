/**
 * The SQL that moves one staged page into its target, written once for DuckDB and Postgres:
 * cast each staged column to its column type, keep the last row of a key, insert or upsert, and
 * archive overwritten versions for history.
 */
import { type ColumnKind, type SqlDialectName, sqlType } from './columns.js';
import type { StagedPage } from './record-values.js';
import { quoteIdent, timestampLiteral } from './sql-driver.js';
import { metaColumns } from './table-ddl.js';

/**
 * `insert`: plain INSERT (fails as a whole if a key exists); `upsert`: INSERT … ON CONFLICT DO
 * UPDATE; `dedupe`: the same after keeping only the last row of each key in the page (ON
 * CONFLICT may not touch one row twice in a statement).
 */
export type PageWrite = 'insert' | 'upsert' | 'dedupe';

export class PageStatements {
  constructor(
    private readonly dialect: SqlDialectName,
    /** The columns written from records (schema properties present in the table). */
    private readonly columns: readonly [string, ColumnKind][],
    /** All data columns of the table (history copies every one). */
    private readonly allColumns: readonly [string, ColumnKind][],
    private readonly keys: readonly string[],
    private readonly stageName: string,
  ) {}

  castOf(name: string, kind: ColumnKind, from = 's'): string {
    return `CAST(${from}.${quoteIdent(name)} AS ${sqlType(this.dialect, kind)})`;
  }

  kindOf(name: string): ColumnKind {
    return this.columns.find(([column]) => column === name)?.[1] ?? 'text';
  }

  /** Whether some key occurs twice in the page (then only its last row is written). */
  hasDuplicateKeys(page: StagedPage): boolean {
    if (this.keys.length === 0) return false;
    const keyColumns = this.keys.map((key) => page.columns[this.columns.findIndex(([name]) => name === key)]);
    const seen = new Set<unknown>();
    // A composite key is joined as text; a rare false match only costs the (correct) dedupe path.
    for (let row = 0; row < page.rowCount; row++) {
      const key =
        keyColumns.length === 1 ? keyColumns[0][row] : keyColumns.map((c) => String(c[row])).join('\u0000');
      if (seen.has(key)) return true;
      seen.add(key);
    }
    return false;
  }

  /** Writes the staged page into `target` (a qualified table name). */
  writeSql(target: string, extractedAt: Date, syncedAt: Date, how: PageWrite): string {
    const names = this.columns.map(([name]) => quoteIdent(name));
    const targetColumns = [...names, ...metaColumns.map(quoteIdent)].join(', ');
    const values = [
      ...this.columns.map(([name, kind]) => this.castOf(name, kind)),
      timestampLiteral(extractedAt),
      timestampLiteral(syncedAt),
      'NULL',
    ].join(', ');
    if (this.keys.length === 0 || how === 'insert') {
      return `INSERT INTO ${target} (${targetColumns}) SELECT ${values} FROM ${this.stageName} s`;
    }
    const partition = this.keys.map((key) => this.castOf(key, this.kindOf(key), 'r')).join(', ');
    const ranked =
      how === 'dedupe'
        ? `SELECT r.*, row_number() OVER (PARTITION BY ${partition} ORDER BY r._sdc_seq DESC) AS _sdc_rn FROM ${this.stageName} r`
        : `SELECT r.*, 1 AS _sdc_rn FROM ${this.stageName} r`;
    const keySet = new Set(this.keys);
    const updates = [
      ...this.columns.map(([name]) => name).filter((name) => !keySet.has(name)),
      ...metaColumns,
    ]
      .map((name) => `${quoteIdent(name)} = excluded.${quoteIdent(name)}`)
      .join(', ');
    return `INSERT INTO ${target} (${targetColumns}) SELECT ${values} FROM (${ranked}) s WHERE s._sdc_rn = 1
      ON CONFLICT (${this.keys.map(quoteIdent).join(', ')}) DO UPDATE SET ${updates}`;
  }

  /** Copies the versions in `live` that the staged page is about to overwrite to `history`. */
  archiveSql(live: string, history: string, validTo: Date): string {
    const source = [...this.allColumns.map(([name]) => quoteIdent(name)), ...metaColumns.map(quoteIdent)];
    const match = this.keys
      .map((key) => `t.${quoteIdent(key)} = ${this.castOf(key, this.kindOf(key))}`)
      .join(' AND ');
    return `INSERT INTO ${history} (${[...source, '_sdc_valid_from', '_sdc_valid_to'].join(', ')})
      SELECT ${source.map((c) => `t.${c}`).join(', ')}, t._sdc_synced_at, ${timestampLiteral(validTo)}
      FROM ${live} t WHERE EXISTS (SELECT 1 FROM ${this.stageName} s WHERE ${match})`;
  }

  /** Copies every row of `live` to `history` (before a replace swaps it out). */
  archiveAllSql(live: string, history: string, validTo: Date): string {
    const source = [...this.allColumns.map(([name]) => quoteIdent(name)), ...metaColumns.map(quoteIdent)];
    return `INSERT INTO ${history} (${[...source, '_sdc_valid_from', '_sdc_valid_to'].join(', ')})
      SELECT ${source.join(', ')}, _sdc_synced_at, ${timestampLiteral(validTo)} FROM ${live}`;
  }

  /** Records the staged page's keys in the full scan's seen-keys table. */
  seenKeysSql(seen: string): string {
    const keys = this.keys.map((key) => this.castOf(key, this.kindOf(key))).join(', ');
    return `INSERT INTO ${seen} SELECT DISTINCT ${keys} FROM ${this.stageName} s`;
  }
}
