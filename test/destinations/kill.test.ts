/**
 * Crash safety: a writer process is SIGKILLed at a random moment while writing pages; after
 * reopening, the stream's state and the rows must agree exactly (both committed or neither).
 * This file is also the writer: with TAP_DEST_KILL_CHILD set it writes pages until killed.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { DestinationLockedError, openDestination, type StreamTable } from '../../src/destinations/index.js';
import type { JsonSchema } from '../../src/schema/index.js';

const pageRows = 300;
const extraColumns = 20;

function streamTable(layer: string): StreamTable {
  const properties: Record<string, JsonSchema> = { ID: { type: 'integer' }, PAGE: { type: 'integer' } };
  for (let c = 0; c < extraColumns; c++) properties[`UF_CRM_${c}`] = { type: ['string', 'null'] };
  return {
    stream: `deals_${layer}`,
    layer,
    folder: 'crm',
    table: 'deals',
    keyProperties: ['ID'],
    schema: { type: 'object', properties },
    replicationMethod: 'INCREMENTAL',
    historyDays: 1,
  };
}

/** The child: resumes from its state and writes pages forever, printing each committed page. */
async function writeUntilKilled(target: string, layer: string): Promise<void> {
  const destination = await openDestination(target, { stateSchema: `${layer}_tap` });
  const table = streamTable(layer);
  await destination.prepare(table);
  const state = await destination.loadState([table]);
  let page = Number(state.bookmarks[table.stream]?.page ?? -1) + 1;
  const load = await destination.begin(table, 'upsert');
  for (;;) {
    const records = Array.from({ length: pageRows }, (_, i) => {
      const record: Record<string, unknown> = { ID: page * pageRows + i, PAGE: page };
      for (let c = 0; c < extraColumns; c++) record[`UF_CRM_${c}`] = `value ${page}/${i}/${c} — значение`;
      return record;
    });
    // Rewrite the previous page's rows too, so commits also update (and archive) existing rows.
    if (page > 0) records.push({ ID: (page - 1) * pageRows, PAGE: page - 1 });
    await load.write({ records, state: { page }, extractedAt: new Date() });
    process.stdout.write(`${page}\n`);
    page += 1;
  }
}

if (process.env.TAP_DEST_KILL_CHILD) {
  await writeUntilKilled(process.env.TAP_DEST_KILL_TARGET ?? '', process.env.TAP_DEST_KILL_LAYER ?? '');
} else {
  const self = fileURLToPath(import.meta.url);

  /** Starts the writer, waits until it has committed `pages` more pages, then SIGKILLs it. */
  async function killWriterMidway(
    target: string,
    layer: string,
    pages: number,
    whileRunning?: () => Promise<void>,
  ): Promise<void> {
    const child = spawn(process.execPath, ['--import', 'tsx', self], {
      env: {
        ...process.env,
        TAP_DEST_KILL_CHILD: '1',
        TAP_DEST_KILL_TARGET: target,
        TAP_DEST_KILL_LAYER: layer,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    await new Promise<void>((resolve, reject) => {
      let seen = 0;
      let killing = false;
      child.stdout.on('data', (chunk: Buffer) => {
        seen += chunk.toString().split('\n').filter(Boolean).length;
        if (seen < pages || killing) return;
        killing = true;
        (async () => {
          await whileRunning?.();
          // A random moment inside a later write: staging, upsert, archive or commit.
          await new Promise((wait) => setTimeout(wait, Math.floor(Math.random() * 15)));
          child.kill('SIGKILL');
        })().then(resolve, (error: unknown) => {
          child.kill('SIGKILL');
          reject(error);
        });
      });
      child.on('exit', (code) => {
        if (seen < pages) reject(new Error(`writer exited early (${code}): ${stderr}`));
      });
    });
    await exited;
  }

  async function assertConsistent(target: string, layer: string): Promise<number> {
    const destination = await openDestination(target, { stateSchema: `${layer}_tap` });
    try {
      const page = Number(
        (await destination.loadState([streamTable(layer)])).bookmarks[`deals_${layer}`]?.page,
      );
      assert.ok(Number.isInteger(page) && page >= 0, 'some page was committed');
      const [row] = await destination.driver.query(
        `SELECT count(*) AS n, max("PAGE") AS last, count(DISTINCT "ID") AS ids FROM "${layer}"."deals"`,
      );
      assert.equal(Number(row.n), (page + 1) * pageRows, `rows match the state's page ${page}`);
      assert.equal(Number(row.ids), Number(row.n));
      assert.equal(Number(row.last), page);
      return page;
    } finally {
      await destination.close();
    }
  }

  async function killThreeTimes(
    target: string,
    layer: string,
    whileRunning?: () => Promise<void>,
  ): Promise<void> {
    let previous = -1;
    for (let round = 0; round < 3; round++) {
      await killWriterMidway(target, layer, 3 + round, round === 0 ? whileRunning : undefined);
      const page = await assertConsistent(target, layer);
      assert.ok(page > previous, 'each run resumed from the previous state and went further');
      previous = page;
    }
  }

  describe('kill -9 while writing', () => {
    it('DuckDB: rows and state stay consistent and the writer resumes from its state', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'tap-bitrix24-kill-'));
      try {
        const path = join(dir, 'kill.duckdb');
        // While the writer holds the file, another process cannot open it, and is told why.
        await killThreeTimes(path, 'bitrix24', () =>
          assert.rejects(openDestination(path), (error: unknown) => {
            assert.ok(error instanceof DestinationLockedError, String(error));
            assert.match(error.message, /in use by another process/);
            return true;
          }),
        );
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });

    it('Postgres: rows and state stay consistent and the writer resumes from its state', async () => {
      const url = process.env.TAP_BITRIX24_TEST_PG_URL;
      if (!url)
        throw new Error(
          'TAP_BITRIX24_TEST_PG_URL is not set: start Postgres with `bash .ci/start-postgres.sh`',
        );
      // A private layer and state schema: nothing shared with other tests in the database.
      const layer = `kill_${randomBytes(6).toString('hex')}`;
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await killThreeTimes(url, layer);
      } finally {
        await client
          .query(`DELETE FROM _tap.state WHERE stream = $1`, [`deals_${layer}`])
          .catch(() => undefined);
        await client.query(`DROP SCHEMA IF EXISTS "${layer}" CASCADE`);
        await client.end();
      }
    });
  });
}
