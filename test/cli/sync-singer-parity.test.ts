/**
 * `sync` and Singer mode (without a catalog) plan a run with one planner: the same config selects
 * the same streams with the same sync types in both, and a sync type a stream cannot take is the
 * same error in both. Both through the real command line against the emulator on loopback; `sync`
 * writes a real DuckDB file, whose `_tap.tables` records each stream's sync type, and Singer mode
 * announces each stream's SCHEMA (`bookmark_properties` only for INCREMENTAL).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { tempDir } from '../temp-dir.js';
import { runCli, writeConfig } from './run-cli.js';

type Planned = [stream: string, syncType: string];

async function syncTypesIn(file: string): Promise<Planned[]> {
  const instance = await DuckDBInstance.create(file);
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll(
      "select stream, sync_type from _tap.tables where sync_type <> 'DERIVED' order by stream",
    );
    return reader.getRowObjects().map((row) => [String(row.stream), String(row.sync_type)]);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

function singerSchemas(stdout: string): Planned[] {
  return stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as { type: string; stream: string; bookmark_properties?: string[] })
    .filter((message) => message.type === 'SCHEMA')
    .map((m): Planned => [m.stream, m.bookmark_properties ? 'INCREMENTAL' : 'FULL_TABLE'])
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

describe('sync and Singer mode plan alike', () => {
  let emulator: RunningEmulator;
  before(async () => {
    emulator = await startEmulator({ seed: 5, scale: 10, plan: 'unlimited' });
  });
  after(() => emulator.close());

  it('the same config selects the same streams with the same sync types', async () => {
    const config = writeConfig({
      webhook_url: emulator.webhookUrl,
      plan: 'unlimited',
      enable_deal_products: true,
      streams: {
        deals: { sync_type: 'FULL_TABLE' },
        leads: { selected: false },
        deal_fields: { selected: false },
        spa_fields_128: { selected: false },
        calls: { selected: false },
        status_list: { sync_type: 'FULL_TABLE' },
      },
    });
    const file = join(tempDir('tap-parity-'), 'parity.duckdb');
    const synced = await runCli(['sync', '--config', config, '--to', file, '--json']);
    assert.equal(synced.code, 0, synced.stderr);
    const singer = await runCli(['--config', config, '--test=schema']);
    assert.equal(singer.code, 0, singer.stderr);

    const bySync = await syncTypesIn(file);
    const bySinger = singerSchemas(singer.stdout);
    assert.deepEqual(bySinger, bySync);
    const types = new Map(bySync);
    assert.equal(types.get('deals'), 'FULL_TABLE');
    assert.equal(types.get('contacts'), 'INCREMENTAL');
    assert.equal(types.get('spa_128'), 'INCREMENTAL');
    assert.equal(types.get('status_list'), 'FULL_TABLE');
    assert.equal(types.get('deal_products'), 'FULL_TABLE');
    for (const left of ['leads', 'deal_fields', 'spa_fields_128', 'calls']) assert.ok(!types.has(left), left);
    assert.ok(types.has('contact_fields'), [...types.keys()].join(', '));
    assert.ok(
      [...types.keys()].some((name) => /^spa_fields_\d+$/.test(name) && name !== 'spa_fields_128'),
      'the other smart processes keep their field streams',
    );
  });

  it('a sync type the stream cannot take is the same error in both', async () => {
    const config = writeConfig({
      webhook_url: emulator.webhookUrl,
      streams: { status_list: { sync_type: 'INCREMENTAL' } },
    });
    const expected =
      'config.streams.status_list.sync_type: status_list can only be read FULL_TABLE (it has no replication key); set sync_type to FULL_TABLE or remove it';
    const file = join(tempDir('tap-parity-'), 'refused.duckdb');
    const synced = await runCli(['sync', '--config', config, '--to', file]);
    assert.equal(synced.code, 2);
    assert.ok(synced.stderr.includes(`error: ${expected}`), synced.stderr);
    const singer = await runCli(['--config', config]);
    assert.equal(singer.code, 1);
    assert.equal(singer.stdout, '', 'no Singer message before the plan is refused');
    const critical = singer.stderr.trim().split('\n').at(-1) ?? '';
    assert.ok(critical.includes('CRITICAL') && critical.includes(expected), singer.stderr);
  });
});
