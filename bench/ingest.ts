/**
 * Write speed of the SQL destinations: synthetic wide Bitrix-like rows (~60 columns) in pages
 * of 2,500, upserted with their state page by page, as a sync does.
 *
 *   npx tsx bench/ingest.ts [--rows 200000] [--pg postgres://…] [--history 7] [--memory-limit 512MB] [--replace]
 *
 * --replace loads the rows as a replace does (`sync --full`, FULL_TABLE streams: into a staging
 * table, swapped in at finish) instead of upserting them, and times the finish and the close.
 *
 * Postgres is measured when --pg or TAP_BITRIX24_TEST_PG_URL is given. Prints rows/s (wall
 * clock, and per CPU-second of this process, which a busy machine distorts less) and the peak
 * RSS of this process per destination. Postgres server CPU is not in the CPU figure.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import {
  DuckDbDestination,
  openDestination,
  type SqlDestination,
  type StreamTable,
} from '../src/destinations/index.js';
import type { JsonSchema } from '../src/schema/index.js';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '200000' },
    pg: { type: 'string', default: process.env.TAP_BITRIX24_TEST_PG_URL ?? '' },
    history: { type: 'string', default: '0' },
    'memory-limit': { type: 'string', default: '' },
    replace: { type: 'boolean', default: false },
  },
});
const totalRows = Number(values.rows);
const pageSize = 2500;
const historyDays = Number(values.history);

const columnKinds: JsonSchema[] = [
  { type: ['string', 'null'] },
  { type: ['integer', 'null'] },
  { type: ['number', 'null'] },
  { type: ['string', 'null'], format: 'date-time' },
  { type: ['boolean', 'null'] },
  { type: ['string', 'null'], format: 'date' },
  { type: ['array', 'null'], items: { type: 'integer' } },
];
const properties: Record<string, JsonSchema> = { ID: { type: 'integer' } };
for (let c = 0; c < 59; c++) properties[`UF_CRM_${1687188300 + c}`] = columnKinds[c % columnKinds.length];
const names = Object.keys(properties);

function record(id: number): Record<string, unknown> {
  const row: Record<string, unknown> = { ID: id };
  for (let c = 1; c < names.length; c++) {
    const kind = (c - 1) % columnKinds.length;
    row[names[c]] =
      kind === 0
        ? `Сделка ${id} поле ${c} — some longer text value`
        : kind === 1
          ? id * 7 + c
          : kind === 2
            ? id / 3 + c
            : kind === 3
              ? new Date(1_700_000_000_000 + id * 1000).toISOString()
              : kind === 4
                ? id % 2 === 0
                  ? 'Y'
                  : 'N'
                : kind === 5
                  ? '2024-05-17'
                  : [id, c];
  }
  return row;
}

function streamTable(layer: string): StreamTable {
  return {
    stream: `bench_${layer}`,
    layer,
    folder: 'crm',
    table: 'deals',
    keyProperties: ['ID'],
    schema: { type: 'object', properties },
    replicationMethod: 'INCREMENTAL',
    historyDays,
  };
}

async function measure(label: string, destination: SqlDestination, layer: string): Promise<void> {
  const table = streamTable(layer);
  await destination.prepare(table);
  const load = await destination.begin(table, values.replace ? 'replace' : 'upsert');
  let peakRss = process.memoryUsage().rss;
  /** RSS (MiB) at a few points of the insert phase: flat means memory does not grow with rows. */
  const rssTrace: number[] = [];
  const cpuStarted = process.cpuUsage();
  const started = performance.now();
  for (let first = 0; first < totalRows; first += pageSize) {
    const page = Array.from({ length: Math.min(pageSize, totalRows - first) }, (_, i) => record(first + i));
    await load.write({ records: page, state: { last_id: first + page.length - 1 }, extractedAt: new Date() });
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    if ((first / pageSize) % Math.max(1, Math.round(totalRows / pageSize / 4)) === 0) {
      rssTrace.push(Math.round(process.memoryUsage().rss / 2 ** 20));
    }
  }
  const insertSeconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStarted);
  // CPU time of this process (all DuckDB threads included): a figure that a busy machine distorts
  // less than wall time.
  const insertCpuSeconds = (cpu.user + cpu.system) / 1e6;
  // Second pass over the first tenth: every row is an update of an existing key (in a replace,
  // a key read twice).
  const updateRows = Math.max(pageSize, Math.floor(totalRows / 10));
  const updateStarted = performance.now();
  for (let first = 0; first < updateRows; first += pageSize) {
    const page = Array.from({ length: pageSize }, (_, i) => record(first + i));
    await load.write({ records: page, state: { last_id: first }, extractedAt: new Date() });
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }
  const updateSeconds = (performance.now() - updateStarted) / 1000;
  const finishStarted = performance.now();
  await load.finish({ done: true });
  const finishSeconds = (performance.now() - finishStarted) / 1000;
  const count = await destination.countRows(table);
  console.log(
    JSON.stringify({
      destination: label,
      columns: names.length,
      rows: totalRows,
      rowCount: count,
      insertRowsPerSecond: Math.round(totalRows / insertSeconds),
      insertRowsPerCpuSecond: Math.round(totalRows / insertCpuSeconds),
      updateRowsPerSecond: Math.round(updateRows / updateSeconds),
      finishSeconds: Number(finishSeconds.toFixed(2)),
      historyDays,
      peakRssMiB: Math.round(peakRss / 2 ** 20),
      rssTraceMiB: rssTrace,
    }),
  );
}

const dir = await mkdtemp(join(tmpdir(), 'tap-bitrix24-bench-'));
try {
  const settings = values['memory-limit'] ? { memory_limit: values['memory-limit'] } : undefined;
  const duck = await DuckDbDestination.open(join(dir, 'bench.duckdb'), { settings });
  await measure('duckdb', duck, 'bitrix24');
  await duck.close();
} finally {
  await rm(dir, { recursive: true, force: true });
}

if (values.pg) {
  const layer = `bench_${process.pid}`;
  const postgres = (await openDestination(values.pg)) as SqlDestination;
  try {
    await measure('postgres', postgres, layer);
  } finally {
    await postgres.close();
    const client = new pg.Client({ connectionString: values.pg });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${layer}" CASCADE`);
    await client.query('DELETE FROM _tap.state WHERE stream = $1', [`bench_${layer}`]);
    await client.query('DELETE FROM _tap.tables WHERE stream = $1', [`bench_${layer}`]);
    await client.end();
  }
}
