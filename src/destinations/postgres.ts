/**
 * Postgres destination: one client connection; pages are COPYed (text format) into a temp table
 * and moved into the target by one statement. Commits are ordinary Postgres transactions, so a
 * killed process leaves rows and state consistent.
 */
import { once } from 'node:events';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { ColumnKind } from './columns.js';
import { DestinationConfigError, DestinationError } from './errors.js';
import { SqlDestination, type SqlDestinationOptions } from './sql-destination.js';
import { quoteIdent, type SqlDriver, type SqlParam, type TextPage } from './sql-driver.js';

/** COPY text format escaping: backslash, and the row/column separators. */
function copyField(text: string | null): string {
  if (text === null) return '\\N';
  return /[\\\n\r\t]/.test(text)
    ? text.replaceAll('\\', '\\\\').replaceAll('\n', '\\n').replaceAll('\r', '\\r').replaceAll('\t', '\\t')
    : text;
}

class PostgresDriver implements SqlDriver {
  readonly dialect = 'postgres' as const;
  private readonly staged = new Set<string>();

  constructor(private readonly client: pg.Client) {}

  async query(sql: string, params?: readonly SqlParam[]): Promise<Record<string, unknown>[]> {
    const result = await this.client.query(sql, params ? [...params] : undefined);
    return result.rows as Record<string, unknown>[];
  }

  async stage(
    name: string,
    columns: readonly (readonly [string, ColumnKind])[],
    page: TextPage,
  ): Promise<void> {
    const columnNames = columns.map(([column]) => column);
    if (!this.staged.has(name)) {
      const definitions = [...columnNames.map((column) => `${quoteIdent(column)} text`), '_sdc_seq integer'];
      await this.client.query(`DROP TABLE IF EXISTS pg_temp.${name}`);
      await this.client.query(`CREATE TEMP TABLE ${name} (${definitions.join(', ')})`);
      this.staged.add(name);
    } else {
      await this.client.query(`TRUNCATE ${name}`);
    }
    const columnList = [...columnNames.map(quoteIdent), '_sdc_seq'].join(', ');
    const stream = this.client.query(copyFrom(`COPY ${name} (${columnList}) FROM STDIN`));
    const done = once(stream, 'finish');
    let buffer = '';
    for (let row = 0; row < page.rowCount; row++) {
      for (const column of page.columns) buffer += `${copyField(column[row])}\t`;
      buffer += `${row}\n`;
      if (buffer.length > 1 << 20) {
        if (!stream.write(buffer)) await once(stream, 'drain');
        buffer = '';
      }
    }
    stream.end(buffer);
    await done;
  }

  isDuplicateKeyError(error: unknown): boolean {
    return error instanceof Error && (error as Error & { code?: string }).code === '23505';
  }

  async close(): Promise<void> {
    await this.client.end();
  }
}

/** The URL without its password, for logs and summaries. */
export function describePostgresUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://(unparseable URL)';
  }
}

export class PostgresDestination extends SqlDestination {
  readonly kind = 'postgres' as const;

  private constructor(
    driver: SqlDriver,
    readonly description: string,
    options: SqlDestinationOptions,
  ) {
    super(driver, options);
  }

  static async open(url: string, options: SqlDestinationOptions = {}): Promise<PostgresDestination> {
    if (!/^postgres(ql)?:\/\//.test(url))
      throw new DestinationConfigError('a Postgres target must be a postgres:// URL');
    const description = describePostgresUrl(url);
    const client = new pg.Client({ connectionString: url, application_name: 'tap-bitrix24' });
    try {
      await client.connect();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new DestinationError(`cannot connect to ${description}: ${message}`);
    }
    // A dead connection must not crash the process through an unhandled 'error' event; the next
    // query fails and reports it.
    client.on('error', () => undefined);
    const destination = new PostgresDestination(new PostgresDriver(client), description, options);
    await destination.initialise();
    return destination;
  }
}
