/**
 * `kill -9` of a running `tap-bitrix24 sync` at several moments, each followed by another run,
 * must leave the same tables as one uninterrupted sync: state never runs ahead of durable rows.
 */
import assert from 'node:assert/strict';

import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { duckdbSnapshot } from '../sync/table-snapshot.js';
import { tempDir } from '../temp-dir.js';
import { runCli, startCli, writeConfig } from './run-cli.js';

describe('sync survives kill -9', () => {
  let emulator: RunningEmulator;
  let config: string;
  const dir = tempDir('tap-kill-');
  before(async () => {
    // Processing waits a tenth of real Bitrix24's: a run lasts several seconds, enough to kill
    // it at different points (mostly mid-stream, between checkpoints).
    emulator = await startEmulator({ seed: 5, scale: 300, plan: 'unlimited', timeScale: 10 });
    config = writeConfig({
      webhook_url: emulator.webhookUrl,
      plan: 'unlimited',
      enable_deal_comments: true,
      max_concurrency: 2,
    });
  });
  after(() => emulator.close());

  it('several killed runs, then one more, equal one uninterrupted run', async () => {
    const streams = 'deals,leads,contacts,deal_comments,deal_stage_history,status_list';
    const reference = join(dir, 'reference.duckdb');
    const t0 = Date.now();
    const clean = await runCli([
      'sync',
      '--config',
      config,
      '--to',
      reference,
      '--streams',
      streams,
      '--json',
    ]);
    assert.equal(clean.code, 0, clean.stderr);
    const cleanMs = Date.now() - t0;

    const killed = join(dir, 'killed.duckdb');
    let kills = 0;
    // Kill points spread over the clean run's duration (start-up included).
    for (const fraction of [0.4, 0.65, 0.9]) {
      const { child, done } = startCli([
        'sync',
        '--config',
        config,
        '--to',
        killed,
        '--streams',
        streams,
        '--json',
      ]);
      const timer = setTimeout(() => child.kill('SIGKILL'), Math.round(cleanMs * fraction));
      const result = await done;
      clearTimeout(timer);
      if (result.signal === 'SIGKILL') kills++;
      else assert.equal(result.code, 0, result.stderr);
    }
    assert.ok(kills >= 2, `at least two runs were killed mid-way (${kills})`);
    const last = await runCli(['sync', '--config', config, '--to', killed, '--streams', streams, '--json']);
    assert.equal(last.code, 0, last.stderr);

    const want = await duckdbSnapshot(reference);
    const got = await duckdbSnapshot(killed);
    assert.deepEqual(Object.keys(got).sort(), Object.keys(want).sort());
    for (const table of Object.keys(want)) {
      assert.equal(got[table]!.rows.length, want[table]!.rows.length, `${table} row count`);
      assert.deepEqual(got[table], want[table], `${table} contents`);
    }
  });
});
