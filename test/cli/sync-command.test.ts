import assert from 'node:assert/strict';

import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Portal, portalSummary as summarise } from '../../src/emulator/methods/index.js';

const portalSummary = (portal: unknown) => summarise(portal as Portal);

import { type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { duckdbSnapshot } from '../sync/table-snapshot.js';
import { tempDir } from '../temp-dir.js';
import { runCli, startCli, writeConfig } from './run-cli.js';

describe('tap-bitrix24 sync / check / schedule', () => {
  let emulator: RunningEmulator;
  let config: string;
  const dir = tempDir('tap-cli-sync-');
  before(async () => {
    emulator = await startEmulator({ seed: 3, scale: 30, plan: 'unlimited', timeScale: 50 });
    config = writeConfig({ webhook_url: emulator.webhookUrl, plan: 'unlimited' });
  });
  after(() => emulator.close());

  it('a config error exits 2 naming the key, without the secret', async () => {
    const bad = writeConfig({ webhook_url: emulator.webhookUrl, plan: 'premium' });
    const result = await runCli(['sync', '--config', bad, '--to', join(dir, 'never.duckdb')]);
    assert.equal(result.code, 2);
    assert.match(
      result.stderr,
      /config\.plan: expected one of standard, enterprise, unlimited, got "premium"/,
    );
    const code = /\/rest\/\d+\/([^/]+)\//.exec(emulator.webhookUrl)![1]!;
    assert.ok(!result.stderr.includes(code));
  });

  it('sync --streams --json fills the chosen tables and prints the summary as JSON', async () => {
    const path = join(dir, 'json.duckdb');
    const result = await runCli([
      'sync',
      '--config',
      config,
      '--to',
      path,
      '--streams',
      'deals,leads',
      '--json',
    ]);
    assert.equal(result.code, 0, result.stderr);
    const summary = JSON.parse(result.stdout) as {
      ok: boolean;
      streams: { stream: string; rows: number; status: string }[];
    };
    assert.equal(summary.ok, true);
    const counts = portalSummary(emulator.portal);
    assert.deepEqual(
      summary.streams.map((s) => [s.stream, s.rows, s.status]),
      [
        ['deals', counts.deals, 'ok'],
        ['leads', counts.leads, 'ok'],
      ],
    );
    const tables = await duckdbSnapshot(path);
    // Beside them, the child tables derived from the leads' multifields.
    const leadChildren = ['emails', 'messengers', 'phones', 'websites'].map((c) => `lead_${c}`);
    assert.deepEqual(Object.keys(tables).sort(), ['deals', ...leadChildren, 'leads']);
    assert.equal(tables.deals!.rows.length, counts.deals);
  });

  it('sync without --to writes ./bitrix24.duckdb in the working directory', async () => {
    const cwd = tempDir('tap-cli-default-');
    const result = await runCli(['sync', '--config', config, '--streams', 'deals', '--json'], { cwd });
    assert.equal(result.code, 0, result.stdout + result.stderr);
    const tables = await duckdbSnapshot(join(cwd, 'bitrix24.duckdb'));
    assert.equal(tables.deals!.rows.length, portalSummary(emulator.portal).deals);
  });

  it('sync prints a summary table and --full re-reads everything', async () => {
    const path = join(dir, 'table.duckdb');
    const first = await runCli(['sync', '--config', config, '--to', path, '--streams', 'contacts']);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /stream\s+rows\s+requests\s+seconds\s+status/);
    assert.match(first.stdout, new RegExp(`contacts\\s+${portalSummary(emulator.portal).contacts}\\s+\\d+`));
    const full = await runCli([
      'sync',
      '--config',
      config,
      '--to',
      path,
      '--streams',
      'contacts',
      '--full',
      '--json',
    ]);
    const summary = JSON.parse(full.stdout) as { streams: { rows: number; mode: string }[] };
    assert.equal(summary.streams[0]!.mode, 'replace');
    assert.equal(summary.streams[0]!.rows, portalSummary(emulator.portal).contacts);
  });

  it('sync --streams with an unknown name exits 2 and lists what exists', async () => {
    const result = await runCli([
      'sync',
      '--config',
      config,
      '--to',
      join(dir, 'x.duckdb'),
      '--streams',
      'deal',
    ]);
    assert.equal(result.code, 2);
    assert.match(
      result.stderr,
      /unknown or unavailable stream\(s\): deal \(did you mean `deals`\?\); available: .*deals/,
    );
    const off = await runCli([
      'sync',
      '--config',
      config,
      '--to',
      join(dir, 'x.duckdb'),
      '--streams',
      'deal_comments',
    ]);
    assert.equal(off.code, 2);
    assert.match(off.stderr, /not available: deal_comments \(.*enable_deal_comments/);
  });

  it('check prints the portal clock, scopes and streams', async () => {
    const result = await runCli(['check', '--config', config, '--json']);
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout) as {
      portal_time: string;
      scopes: string[];
      streams: { name: string }[];
    };
    assert.ok(!Number.isNaN(Date.parse(report.portal_time)));
    assert.ok(report.scopes.includes('crm'));
    assert.ok(report.streams.some((s) => s.name === 'deals'));
  });

  it('check with a wrong webhook code exits non-zero with a clear message', async () => {
    const wrong = emulator.webhookUrl.replace(/\/rest\/(\d+)\/[^/]+\//, '/rest/$1/wrongcode12345/');
    const result = await runCli(['check', '--config', writeConfig({ webhook_url: wrong })]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /refused these credentials.*check webhook_url/);
    assert.ok(!result.stderr.includes('wrongcode12345'));
  });

  it('check lists streams unavailable for missing scopes with the reason', async () => {
    const narrow = await startEmulator({ seed: 3, scale: 5, scopes: ['crm'] });
    try {
      const result = await runCli(['check', '--config', writeConfig({ webhook_url: narrow.webhookUrl })]);
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /unavailable streams/);
      assert.match(result.stdout, /calls\s+.*telephony/);
    } finally {
      await narrow.close();
    }
  });

  it('schedule runs a sync on each tick and stops on SIGTERM', async () => {
    const path = join(dir, 'schedule.duckdb');
    const { child, done } = startCli([
      'schedule',
      '--config',
      config,
      '--cron',
      '*/2 * * * * *',
      '--to',
      path,
      '--json',
    ]);
    const stdout: string[] = [];
    await new Promise<void>((resolve, reject) => {
      // A loaded machine can make the first run slow; the child must not outlive a failed wait.
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`no scheduled run within 60 s; stdout: ${stdout.join('').slice(0, 2000)}`));
      }, 60_000);
      child.stdout!.on('data', (d: Buffer) => {
        stdout.push(String(d));
        if (stdout.join('').includes('"ok":true')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    child.kill('SIGTERM');
    const result = await done;
    assert.equal(result.signal, null, 'exits by itself on SIGTERM');
    const summary = JSON.parse(stdout.join('').split('\n')[0]!) as { ok: boolean; streams: unknown[] };
    assert.equal(summary.ok, true);
    assert.ok(summary.streams.length > 5);
  });
});
