/**
 * A full scan's record of the keys it saw, `<table>__seen`: filled in the same transaction as each
 * page, so it survives a crash with the rows, and only dropped by the finish or an abort. So a
 * resumed scan never marks as deleted rows it saw before the crash. At the finish, live rows
 * whose key was not seen get `_sdc_deleted_at` (an upsert clears it when a row comes back).
 */
import { type ColumnKind, sqlType } from './columns.js';
import type { StreamTable } from './destination.js';
import { qualified, quoteIdent, type SqlDriver, timestampLiteral } from './sql-driver.js';

export class SeenKeys {
  constructor(
    private readonly driver: SqlDriver,
    private readonly table: Pick<StreamTable, 'layer' | 'table'>,
    private readonly keys: readonly string[],
  ) {}

  /** The seen-keys table, qualified and quoted. */
  get name(): string {
    return qualified(this.table.layer, `${this.table.table}__seen`);
  }

  async create(kindOf: (key: string) => ColumnKind): Promise<void> {
    const keyColumns = this.keys.map(
      (key) => `${quoteIdent(key)} ${sqlType(this.driver.dialect, kindOf(key))}`,
    );
    await this.driver.query(`CREATE TABLE IF NOT EXISTS ${this.name} (${keyColumns.join(', ')})`);
  }

  /** Marks live rows whose key was not seen as deleted at `now`, and drops the table; how many. */
  async markUnseenDeleted(now: Date): Promise<number> {
    const live = qualified(this.table.layer, this.table.table);
    const matches = this.keys.map((key) => `k.${quoteIdent(key)} = t.${quoteIdent(key)}`).join(' AND ');
    const unseen = `t._sdc_deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM ${this.name} k WHERE ${matches})`;
    const counted = await this.driver.query(`SELECT count(*) AS n FROM ${live} t WHERE ${unseen}`);
    const marked = Number(counted[0]?.n ?? 0);
    const drop = `DROP TABLE ${this.name}`;
    const mark = `UPDATE ${live} AS t SET _sdc_deleted_at = ${timestampLiteral(now)} WHERE ${unseen}`;
    await this.driver.script(marked > 0 ? [mark, drop] : [drop]);
    return marked;
  }

  async drop(): Promise<void> {
    await this.driver.query(`DROP TABLE IF EXISTS ${this.name}`);
  }
}
