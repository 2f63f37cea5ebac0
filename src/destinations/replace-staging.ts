/**
 * The staging table of a replace (`sync --full`, FULL_TABLE streams): `<table>__staging`, dropped
 * and recreated when the load starts (so a crashed earlier replace is discarded), filled page by
 * page, and swapped in for the live table when the load finishes, in one transaction with the
 * state.
 *
 * Where pages are appended straight into it (DuckDB), it is created without its primary key, and
 * the key is added when the load finishes: a key kept up to date row by row puts every appended
 * row into the key's index on the main thread, and every checkpoint rewrites the whole index.
 * Built once over the full table, the index costs about 75 ms per 500,000 rows; a replace of
 * 300,000 wide rows ran 2–5 % faster (bench/ingest.ts --replace). Without the key, a row read
 * twice (it moved between pages while the list was read) is appended twice; finishing keeps the
 * copy appended last, the one the keyed path's upsert kept.
 */
import type { ColumnKind } from './columns.js';
import type { StreamTable } from './destination.js';
import { qualified, quoteIdent, type SqlDriver } from './sql-driver.js';
import { createTableSql, metaColumns, type TableColumns } from './table-ddl.js';

export class ReplaceStaging {
  readonly name: string;
  /** Created without its primary key; `swapInSql` adds it. */
  readonly keyless: boolean;
  private readonly live: string;

  constructor(
    private readonly driver: SqlDriver,
    private readonly table: StreamTable,
    private readonly allColumns: readonly [string, ColumnKind][],
    private readonly keys: readonly string[],
    /** Create it without the primary key, which `swapInSql` adds (DuckDB only: it relies on `rowid`). */
    withoutKey: boolean,
  ) {
    // A replace always has keys (SqlStreamLoad refuses one without); guarded all the same.
    this.keyless = withoutKey && keys.length > 0;
    this.name = qualified(table.layer, `${table.table}__staging`);
    this.live = qualified(table.layer, table.table);
  }

  /** The staging table's own name, without its schema (for an appender). */
  get tableName(): string {
    return `${this.table.table}__staging`;
  }

  /**
   * The statements that drop what a crashed earlier replace left and create an empty staging
   * table; run them in a transaction.
   */
  createSql(): string[] {
    return [
      this.dropSql(),
      createTableSql(
        this.driver,
        this.table.layer,
        this.tableName,
        this.allColumns,
        this.keys,
        [],
        this.keyless ? 'not-null' : 'primary-key',
      ),
    ];
  }

  /**
   * Drops all but the last copy of each key from a keyless staging table. Run before the finish
   * transaction, on its own: DuckDB's ADD PRIMARY KEY still counts rows deleted earlier in its
   * own transaction as duplicates.
   */
  async dropRepeatedKeys(): Promise<void> {
    if (!this.keyless) return;
    const keys = this.keys.map(quoteIdent).join(', ');
    const repeated = await this.driver.query(
      `SELECT 1 AS repeated FROM ${this.name} GROUP BY ${keys} HAVING count(*) > 1 LIMIT 1`,
    );
    if (repeated.length === 0) return;
    // Rows are appended in reading order, so the highest rowid of a key is its latest copy.
    await this.driver.query(
      `DELETE FROM ${this.name} WHERE rowid IN (SELECT rowid FROM (SELECT rowid, row_number() OVER (PARTITION BY ${keys} ORDER BY rowid DESC) AS copy FROM ${this.name}) WHERE copy > 1)`,
    );
  }

  /**
   * The statements that make the staging table's rows the live ones, inside the finish
   * transaction: a keyless staging table first gets its primary key (after `dropRepeatedKeys`),
   * then `archive` (statements keeping the live rows' versions) runs, then the swap. DuckDB drops
   * the live table and renames staging (cheap). Postgres empties the live table and copies staging
   * into it instead: a dropped table would take its grants, comments and dependent views with it
   * (and a view would block the drop); TRUNCATE is transactional there, so readers see the old
   * rows until commit.
   */
  swapInSql(archive: readonly string[]): string[] {
    const key = this.keyless
      ? [`ALTER TABLE ${this.name} ADD PRIMARY KEY (${this.keys.map(quoteIdent).join(', ')})`]
      : [];
    if (this.driver.dialect === 'postgres') {
      const columns = [
        ...this.allColumns.map(([name]) => quoteIdent(name)),
        ...metaColumns.map(quoteIdent),
      ].join(', ');
      return [
        ...key,
        ...archive,
        `TRUNCATE ${this.live}`,
        `INSERT INTO ${this.live} (${columns}) SELECT ${columns} FROM ${this.name}`,
        `DROP TABLE ${this.name}`,
      ];
    }
    return [
      ...key,
      ...archive,
      `DROP TABLE ${this.live}`,
      `ALTER TABLE ${this.name} RENAME TO ${quoteIdent(this.table.table)}`,
    ];
  }

  /**
   * The live table's columns after `swapInSql` ran, when it is a new table (DuckDB): in the
   * staging table's order, and without column comments. Undefined where the live table is kept.
   */
  swappedColumns(): TableColumns | undefined {
    if (this.driver.dialect === 'postgres') return undefined;
    // As `createSql` made it: the data columns, then the metadata.
    const meta = metaColumns.map((name): [string, ColumnKind] => [name, 'timestamptz']);
    return new Map([...this.allColumns, ...meta]);
  }

  private dropSql(): string {
    return `DROP TABLE IF EXISTS ${this.name}`;
  }

  async drop(): Promise<void> {
    await this.driver.query(this.dropSql());
  }
}
