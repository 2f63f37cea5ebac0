/**
 * A destination that disappears mid-write: the Postgres connection killed from another session
 * (pg_terminate_backend) at several page boundaries, and a DuckDB file on a full disk (a tiny
 * tmpfs). The run fails with a clear error; the next run, with the destination back, converges
 * to a clean run's tables: what was committed stayed consistent with its state.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { writeConfig } from '../cli/run-cli.js';
import { duckdbSnapshot, postgresSnapshot } from '../sync/table-snapshot.js';
import { runBundledCli } from './bundled-cli.js';
import { syncOnce, tableDifferences, tempDir } from './reliability-harness.js';

const ONLY = ['deals', 'leads', 'contacts', 'companies', 'deal_stage_history'];

function postgresUrl(): string {
  const url = process.env.TAP_BITRIX24_TEST_PG_URL;
  if (!url)
    throw new Error('TAP_BITRIX24_TEST_PG_URL is not set: start Postgres with `bash .ci/start-postgres.sh`');
  return url;
}

/** A URL of another database on the same server, with an application name to find our sessions by. */
function databaseUrl(base: string, database: string, applicationName: string): string {
  const url = new URL(base);
  url.pathname = `/${database}`;
  url.searchParams.set('application_name', applicationName);
  return url.toString();
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: postgresUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

describe('the destination disappears mid-write', () => {
  let emulator: RunningEmulator;
  const tag = randomBytes(4).toString('hex');
  // Own databases: both runs load the default tables (`raw.deals`, …), which other test files
  // using the shared database also write.
  const cleanDb = `tap_rel_clean_${tag}`;
  const killedDb = `tap_rel_killed_${tag}`;
  const app = `tap-rel-${tag}`;
  const config = () => ({ webhook_url: emulator.webhookUrl, plan: 'unlimited', max_concurrency: 2 });

  before(async () => {
    emulator = await startEmulator({ seed: 71, scale: 300, plan: 'unlimited', timeScale: 20 });
    await admin(async (c) => {
      await c.query(`create database ${cleanDb}`);
      await c.query(`create database ${killedDb}`);
    });
  });
  after(async () => {
    await emulator.close();
    await admin(async (c) => {
      await c.query(`drop database if exists ${cleanDb} with (force)`);
      await c.query(`drop database if exists ${killedDb} with (force)`);
    });
  });

  it('Postgres: the connection killed at three different pages, then one more run, equals a clean run', async () => {
    const cleanUrl = databaseUrl(postgresUrl(), cleanDb, `${app}-clean`);
    const clean = await syncOnce({ config: config(), target: cleanUrl, only: ONLY });
    assert.ok(clean.summary.ok, JSON.stringify(clean.summary.streams));

    const killedUrl = databaseUrl(postgresUrl(), killedDb, app);
    const kill = () =>
      admin((c) =>
        c.query('select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1', [app]),
      );
    for (const atPage of [1, 3, 6]) {
      let pages = 0;
      let killed: Promise<unknown> | undefined;
      const run = await syncOnce({
        config: config(),
        target: killedUrl,
        only: ONLY,
        onPage: () => {
          if (++pages === atPage) killed = kill();
        },
      });
      await killed;
      assert.ok(killed, `the connection was killed at page ${atPage}`);
      assert.equal(run.summary.ok, false, 'the run reports the lost destination');
      const failed = run.summary.streams.filter((s) => s.status === 'failed');
      assert.ok(failed.length > 0);
      for (const s of failed)
        assert.match(s.error ?? '', /lost the connection to postgres.*run the sync again/i, s.error);
    }
    const last = await syncOnce({ config: config(), target: killedUrl, only: ONLY });
    assert.ok(last.summary.ok, JSON.stringify(last.summary.streams));
    assert.deepEqual(
      tableDifferences(
        await postgresSnapshot(killedUrl, 'raw'),
        await postgresSnapshot(cleanUrl, 'raw'),
        ONLY,
      ),
      [],
    );
  });

  it('DuckDB on a full disk (1 MiB tmpfs): a clear error, then with room again the run converges', async () => {
    const dir = tempDir('diskfull');
    const reference = join(dir, 'reference.duckdb');
    const clean = await syncOnce({ config: config(), target: reference, only: ONLY });
    assert.ok(clean.summary.ok);

    const disk = join(dir, 'disk');
    mkdirSync(disk);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', disk]);
    try {
      const target = join(disk, 'full.duckdb');
      const cfg = writeConfig(config());
      const args = ['sync', '--config', cfg, '--to', target, '--streams', ONLY.join(','), '--json'];
      const full = await runBundledCli(args);
      assert.equal(full.signal, null, 'no crash');
      assert.notEqual(full.code, 0, 'the run fails');
      assert.match(
        full.stderr + full.stdout,
        /space|disk|ENOSPC|write/i,
        `the error says the disk is full:\n${full.stderr}`,
      );
      assert.doesNotMatch(full.stderr, /^\s+at .+:\d+:\d+\)?$/m, 'no stack trace');

      execFileSync('mount', ['-o', 'remount,size=256m', disk]);
      const again = await runBundledCli(args);
      assert.equal(again.code, 0, again.stderr);
      assert.deepEqual(
        tableDifferences(await duckdbSnapshot(target, 'raw'), await duckdbSnapshot(reference, 'raw'), ONLY),
        [],
      );
    } finally {
      execFileSync('umount', ['-l', disk]);
    }
  });
});
