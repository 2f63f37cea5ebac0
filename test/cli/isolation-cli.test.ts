/**
 * The command line on a portal that lacks `user.fields`: `sync`, `sync --json`, `check`, `verify`,
 * `sync --verify` and Singer mode report the stream and the reason, sync everything else, and
 * exit non-zero only when a selected stream is affected.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { type Portal, portalSummary } from '../../src/emulator/methods/index.js';
import { runCli } from './run-cli.js';

describe('a portal without user.fields, from the command line', () => {
  let emulator: RunningEmulator;
  const dir = mkdtempSync(join(tmpdir(), 'tap-cli-isolation-'));
  const config = join(dir, 'config.json');
  const counts = () => portalSummary(emulator.portal as Portal);
  before(async () => {
    emulator = await startEmulator({
      seed: 5,
      scale: 20,
      plan: 'unlimited',
      timeScale: 50,
      missingMethods: ['user.fields'],
    });
    writeFileSync(config, JSON.stringify({ webhook_url: emulator.webhookUrl, plan: 'unlimited' }));
  });
  after(async () => {
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sync lands the other streams, names users and the reason, and exits 1', async () => {
    const result = await runCli(['sync', '--config', config, '--to', join(dir, 'all.duckdb')]);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stdout, /^users\s+0\s+0\s+0\.0\s+unavailable$/m);
    assert.match(result.stdout, /^deals\s+20\s+\d+\s+[\d.]+\s+ok$/m);
    assert.match(
      result.stdout,
      /^users unavailable: the portal does not offer user\.fields \(ERROR_METHOD_NOT_FOUND: Method not found!\)$/m,
    );
    assert.match(result.stdout, /^total .* 1 not ok$/m);
  });

  it('sync --json carries the status and the reason', async () => {
    const result = await runCli(['sync', '--config', config, '--to', join(dir, 'json.duckdb'), '--json']);
    assert.equal(result.code, 1, result.stderr);
    const summary = JSON.parse(result.stdout) as {
      ok: boolean;
      streams: { stream: string; rows: number; status: string; error?: string }[];
    };
    assert.equal(summary.ok, false);
    const users = summary.streams.find((s) => s.stream === 'users')!;
    assert.equal(users.status, 'unavailable');
    assert.match(users.error!, /user\.fields \(ERROR_METHOD_NOT_FOUND/);
    const notOk = summary.streams.filter((s) => s.status !== 'ok').map((s) => s.stream);
    assert.deepEqual(notOk, ['users']);
    assert.equal(summary.streams.find((s) => s.stream === 'leads')!.rows, counts().leads);
  });

  it('streams the user did not select do not affect the exit code', async () => {
    const only = await runCli([
      'sync',
      '--config',
      config,
      '--to',
      join(dir, 'only.duckdb'),
      '--streams',
      'deals,leads',
    ]);
    assert.equal(only.code, 0, only.stderr);
    assert.doesNotMatch(only.stdout, /users/);
    const deselected = join(dir, 'deselected.json');
    writeFileSync(
      deselected,
      JSON.stringify({
        webhook_url: emulator.webhookUrl,
        plan: 'unlimited',
        streams: { users: { selected: false } },
      }),
    );
    const quiet = await runCli(['sync', '--config', deselected, '--to', join(dir, 'deselected.duckdb')]);
    assert.equal(quiet.code, 0, quiet.stderr);
    const named = await runCli([
      'sync',
      '--config',
      config,
      '--to',
      join(dir, 'only.duckdb'),
      '--streams',
      'deals,users',
    ]);
    assert.equal(named.code, 1, named.stderr);
    assert.match(named.stdout, /^users unavailable: the portal does not offer user\.fields/m);
    assert.match(named.stdout, /^deals\s+\d+\s+\d+\s+[\d.]+\s+ok/m);
  });

  it('check lists users as unavailable with the reason', async () => {
    const result = await runCli(['check', '--config', config]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(
      result.stdout,
      /^ {2}users\s+the portal does not offer user\.fields \(ERROR_METHOD_NOT_FOUND/m,
    );
  });

  it('verify prints the table and exits 0 without drift, 1 when a selected stream cannot be had', async () => {
    const target = join(dir, 'only.duckdb');
    const clean = await runCli(['verify', '--config', config, '--to', target, '--streams', 'deals,leads']);
    assert.equal(clean.code, 0, clean.stderr);
    assert.match(clean.stdout, /^stream\s+portal\s+warehouse\s+missing\s+extra\s+status$/m);
    const n = counts();
    assert.match(clean.stdout, new RegExp(`^deals\\s+${n.deals}\\s+${n.deals}\\s+0\\s+0\\s+ok$`, 'm'));
    assert.match(clean.stdout, new RegExp(`^leads\\s+${n.leads}\\s+${n.leads}\\s+0\\s+0\\s+ok$`, 'm'));
    const all = await runCli(['verify', '--config', config, '--to', join(dir, 'all.duckdb'), '--json']);
    assert.equal(all.code, 1, all.stderr);
    const report = JSON.parse(all.stdout) as { ok: boolean; streams: { stream: string; status: string }[] };
    const status = new Map(report.streams.map((s) => [s.stream, s.status]));
    assert.equal(status.get('users'), 'failed');
    assert.equal(status.get('deals'), 'ok');
    assert.equal(status.get('deal_fields'), 'not_counted');
  });

  it('verify refuses a DuckDB file that does not exist instead of creating it', async () => {
    const target = join(dir, 'typo.duckdb');
    const result = await runCli(['verify', '--config', config, '--to', target]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /typo\.duckdb: no such DuckDB file; sync into it first/);
    assert.equal(existsSync(target), false);
  });

  it('sync --verify reports both, and a drift exits 1', async () => {
    const target = join(dir, 'verify.duckdb');
    const first = await runCli([
      'sync',
      '--config',
      config,
      '--to',
      target,
      '--streams',
      'contacts',
      '--verify',
      '--json',
    ]);
    assert.equal(first.code, 0, first.stderr);
    const line = JSON.parse(first.stdout) as {
      ok: boolean;
      verification: { ok: boolean; streams: { stream: string; portal: number; warehouse: number }[] };
    };
    assert.equal(line.ok, true);
    assert.deepEqual(line.verification.streams, [
      {
        stream: 'contacts',
        status: 'ok',
        portal: counts().contacts,
        warehouse: counts().contacts,
        missing: 0,
        extra: 0,
      },
    ]);
    const added = await fetch(`${emulator.webhookUrl}crm.contact.add`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ fields: { NAME: 'Added after the sync' } }),
    });
    assert.equal(added.status, 200);
    const drift = await runCli(['verify', '--config', config, '--to', target, '--streams', 'contacts']);
    assert.equal(drift.code, 1, drift.stderr);
    assert.match(drift.stdout, /^contacts\s+\d+\s+\d+\s+1\s+0\s+drift$/m);
  });

  it('verify counts deals with the funnel filter the sync uses (deal_category_ids)', async () => {
    const funnel = join(dir, 'funnel.json');
    writeFileSync(
      funnel,
      JSON.stringify({ webhook_url: emulator.webhookUrl, plan: 'unlimited', deal_category_ids: [1] }),
    );
    const result = await runCli([
      'sync',
      '--config',
      funnel,
      '--to',
      join(dir, 'funnel.duckdb'),
      '--streams',
      'deals',
      '--verify',
      '--json',
    ]);
    assert.equal(result.code, 0, result.stderr);
    const line = JSON.parse(result.stdout) as {
      streams: { stream: string; rows: number }[];
      verification: { streams: { stream: string; status: string; portal: number; warehouse: number }[] };
    };
    const deals = line.verification.streams[0]!;
    assert.equal(deals.status, 'ok');
    assert.equal(deals.portal, line.streams[0]!.rows);
    assert.ok(deals.portal > 0 && deals.portal < counts().deals!, `${deals.portal} of ${counts().deals}`);
  });

  it('Singer mode emits the other streams on stdout, the reason on stderr, and exits non-zero', async () => {
    const result = await runCli(['--config', config]);
    assert.notEqual(result.code, 0);
    const messages = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; stream?: string });
    assert.ok(messages.every((m) => ['SCHEMA', 'RECORD', 'STATE', 'ACTIVATE_VERSION'].includes(m.type)));
    const streams = new Set(messages.filter((m) => m.type === 'RECORD').map((m) => m.stream));
    for (const name of ['deals', 'leads', 'contacts', 'departments']) assert.ok(streams.has(name), name);
    assert.equal(streams.has('users'), false);
    assert.equal(messages.at(-1)!.type, 'STATE');
    assert.match(result.stderr, /users.*the portal does not offer user\.fields/);
    assert.match(result.stderr.trim().split('\n').at(-1)!, /CRITICAL.*users unavailable/);
  });
});
