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
import { type StagedPage, stagedText } from './record-values.js';
import { SqlDestination, type SqlDestinationOptions } from './sql-destination.js';
import { quoteIdent, type SqlDriver, type SqlParam } from './sql-driver.js';

/** COPY text format escaping: backslash, and the row/column separators. */
function copyField(text: string | null): string {
  if (text === null) return '\\N';
  return /[\\\n\r\t]/.test(text)
    ? text.replaceAll('\\', '\\\\').replaceAll('\n', '\\n').replaceAll('\r', '\\r').replaceAll('\t', '\\t')
    : text;
}

/** Socket errors and the server ending the session (admin shutdown, crash): not a SQL problem. */
const LOST_CONNECTION_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'ECONNREFUSED',
  'ETIMEDOUT',
  '57P01',
  '57P02',
  '57P03',
]);

/**
 * A raw `read ECONNRESET` says nothing about what to do; the user needs to know the database
 * went away and that re-running is safe (commits hold rows and state together).
 */
function explainLostConnection(error: unknown, description: string): unknown {
  const e = error as { code?: string; message?: string };
  const lost =
    (e?.code !== undefined && LOST_CONNECTION_CODES.has(e.code)) ||
    /Connection terminated|Client was closed|not queryable/i.test(e?.message ?? '');
  if (!lost) return error;
  return new DestinationError(
    `lost the connection to ${description} (${e.message}); rows and state committed before it are consistent: run the sync again once the database is reachable`,
  );
}

class PostgresDriver implements SqlDriver {
  readonly dialect = 'postgres' as const;
  private readonly staged = new Set<string>();

  constructor(
    private readonly client: pg.Client,
    private readonly description: string,
  ) {}

  async query(sql: string, params?: readonly SqlParam[]): Promise<Record<string, unknown>[]> {
    try {
      const result = await this.client.query(sql, params ? [...params] : undefined);
      return result.rows as Record<string, unknown>[];
    } catch (error) {
      throw explainLostConnection(error, this.description);
    }
  }

  async script(statements: readonly string[]): Promise<void> {
    // Without parameters pg sends one simple query, which Postgres runs statement by statement.
    await this.query(statements.join(';\n'));
  }

  async stage(
    name: string,
    columns: readonly (readonly [string, ColumnKind])[],
    page: StagedPage,
  ): Promise<void> {
    try {
      await this.stageRows(name, columns, page);
    } catch (error) {
      throw explainLostConnection(error, this.description);
    }
  }

  private async stageRows(
    name: string,
    columns: readonly (readonly [string, ColumnKind])[],
    page: StagedPage,
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
    const kinds = columns.map(([, kind]) => kind);
    let buffer = '';
    for (let row = 0; row < page.rowCount; row++) {
      for (let c = 0; c < kinds.length; c++)
        buffer += `${copyField(stagedText(kinds[c], page.columns[c][row]))}\t`;
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
    // Every commit has already succeeded or failed by now; a connection the server killed
    // (EPIPE on the goodbye message) must not replace the run's own summary with a socket error.
    await this.client.end().catch(() => undefined);
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
    const destination = new PostgresDestination(
      new PostgresDriver(client, description),
      description,
      options,
    );
    await destination.initialise();
    return destination;
  }
}
