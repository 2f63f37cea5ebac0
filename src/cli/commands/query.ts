/**
 * `tap-bitrix24 query "SQL" [--to TARGET] [--json | --csv]`: reads what `sync` loaded without a
 * separate database client. The default target is the file `sync` writes; a postgres:// URL runs
 * the query there. DuckDB files open read-only, so a query never changes the data or the state.
 */
import { existsSync } from 'node:fs';
import { type Command, Option } from '@commander-js/extra-typings';
import type { DuckDBInstance } from '@duckdb/node-api';
import pg from 'pg';
import { describePostgresUrl } from '../../destinations/postgres.js';
import { DEFAULT_TARGET } from '../../sync/run.js';
import { reportFatal } from './sync.js';

export interface QueryResult {
  columns: string[];
  rows: unknown[][];
}

export class QueryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QueryError';
  }
}

const POSTGRES = /^postgres(ql)?:\/\//i;
/** Wider cells are cut in the terminal table; --json and --csv keep them whole. */
const MAX_CELL = 60;

export async function runQuery(sql: string, target: string): Promise<QueryResult> {
  return POSTGRES.test(target) ? queryPostgres(sql, target) : queryDuckDb(sql, target);
}

async function queryDuckDb(sql: string, target: string): Promise<QueryResult> {
  const path = target.startsWith('duckdb:') ? target.slice('duckdb:'.length) : target;
  if (!existsSync(path)) {
    throw new QueryError(
      `no database at ${path}; run \`tap-bitrix24 sync --config config.json\` first, or pass --to with the file or postgres:// URL sync wrote to`,
    );
  }
  let instance: DuckDBInstance;
  try {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/lock/i.test(message)) {
      throw new QueryError(`${path} is open in another program (a running sync?); query it when that ends`);
    }
    throw new QueryError(`cannot open ${path}: ${message}`);
  }
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll(sql);
    const wholeNumbers = reader.columnTypes().map((t) => /^U?(BIG|HUGE)INT$/.test(t.toString()));
    // BIGINT comes as text (it may not fit a double); counts and IDs that fit are numbers again.
    const rows = reader
      .getRowsJson()
      .map((row) =>
        row.map((value, i) =>
          wholeNumbers[i] && typeof value === 'string' && Number.isSafeInteger(Number(value))
            ? Number(value)
            : value,
        ),
      );
    return { columns: reader.columnNames(), rows };
  } catch (error) {
    throw new QueryError(error instanceof Error ? error.message : String(error));
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

async function queryPostgres(sql: string, url: string): Promise<QueryResult> {
  const client = new pg.Client({ connectionString: url, application_name: 'tap-bitrix24 query' });
  try {
    await client.connect();
  } catch (error) {
    // The password stays out of the message: the URL is described without it.
    const message = error instanceof Error ? error.message : String(error);
    throw new QueryError(`cannot connect to ${describePostgresUrl(url)}: ${message}`);
  }
  try {
    const result = await client.query({ text: sql, rowMode: 'array' });
    const last = Array.isArray(result) ? result[result.length - 1] : result;
    const fields: { name: string; dataTypeID: number }[] = last?.fields ?? [];
    // int8 (type OID 20) comes as text, like DuckDB's BIGINT; counts and IDs that fit are numbers.
    const wholeNumbers = fields.map((f) => f.dataTypeID === 20);
    return {
      columns: fields.map((f) => f.name),
      rows: ((last?.rows ?? []) as unknown[][]).map((row) =>
        row.map((value, i) => (wholeNumbers[i] ? wholeNumber(value) : plain(value))),
      ),
    };
  } catch (error) {
    throw new QueryError(error instanceof Error ? error.message : String(error));
  } finally {
    await client.end();
  }
}

function wholeNumber(value: unknown): unknown {
  return typeof value === 'string' && Number.isSafeInteger(Number(value)) ? Number(value) : value;
}

/** Values as JSON has them: dates as ISO text, bigints as text, buffers as hex. */
function plain(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return value.toString();
  if (Buffer.isBuffer(value)) return value.toString('hex');
  return value;
}

/** DuckDB hands BIGINT and DECIMAL values over as text; they still line up as numbers. */
function isNumberText(value: unknown): boolean {
  return typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value);
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export function formatTable(result: QueryResult): string {
  const cut = (text: string) => {
    const oneLine = text.replace(/\s+/g, ' ');
    return oneLine.length > MAX_CELL ? `${oneLine.slice(0, MAX_CELL - 1)}…` : oneLine;
  };
  const cells = result.rows.map((row) => row.map((v) => cut(cellText(v))));
  const numeric = result.columns.map((_, i) =>
    result.rows.every((row) => row[i] === null || typeof row[i] === 'number' || isNumberText(row[i])),
  );
  const widths = result.columns.map((name, i) =>
    Math.max(name.length, ...cells.map((row) => (row[i] ?? '').length)),
  );
  const line = (row: string[]) =>
    row
      .map((c, i) => (numeric[i] ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const count = `(${result.rows.length} row${result.rows.length === 1 ? '' : 's'})`;
  if (result.columns.length === 0) return count;
  return [line(result.columns), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line), count].join(
    '\n',
  );
}

export function formatCsv(result: QueryResult): string {
  const quote = (text: string) => (/[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
  return [result.columns, ...result.rows.map((row) => row.map(cellText))]
    .map((row) => row.map(quote).join(','))
    .join('\n');
}

export function formatJsonLines(result: QueryResult): string {
  return result.rows
    .map((row) => JSON.stringify(Object.fromEntries(result.columns.map((c, i) => [c, row[i] ?? null]))))
    .join('\n');
}

export function registerQuery(program: Command): void {
  program
    .command('query')
    .description('Run SQL on what sync loaded (./bitrix24.duckdb unless --to) and print the rows.')
    .argument('<sql>', 'e.g. "select * from raw.deals limit 10"')
    .option('--to <target>', 'the DuckDB file or postgres:// URL sync wrote to', DEFAULT_TARGET)
    .addOption(new Option('--json', 'one JSON object per row').conflicts('csv'))
    .option('--csv', 'CSV with a header row')
    .action(async (sql, opts) => {
      try {
        const result = await runQuery(sql, opts.to);
        const text = opts.json ? formatJsonLines(result) : opts.csv ? formatCsv(result) : formatTable(result);
        if (text !== '') process.stdout.write(`${text}\n`);
      } catch (error) {
        reportFatal(error);
      }
    });
}
