/**
 * The fault matrix: each kind of misbehaving portal, injected while a real sync runs, must end
 * in tables equal to a clean run's (data columns, rows sorted), or a clear error where the run
 * cannot go on. A bad night means a late table, never a wrong one.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ALL_SCOPES } from '../../src/emulator/auth/credentials.js';
import { type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { runCli, writeConfig } from '../cli/run-cli.js';
import { duckdbSnapshot, type TableSnapshot } from '../sync/table-snapshot.js';
import { syncOnce, tableDifferences, tempDir } from './reliability-harness.js';

const STREAMS = [
  'deals',
  'leads',
  'contacts',
  'companies',
  'activities',
  'deal_stage_history',
  'lead_stage_history',
  'status_list',
  'deal_comments',
  'departments',
];
const LAYER = 'raw';

async function control(emulator: RunningEmulator, action: Record<string, unknown>): Promise<void> {
  await emulator.control(action as Parameters<RunningEmulator['control']>[0]);
}

function assertAllOk(summary: { streams: { stream: string; status: string; error?: string }[] }): void {
  const bad = summary.streams.filter((s) => s.status !== 'ok');
  assert.deepEqual(bad, [], 'every stream finishes');
}

describe('fault matrix: transport faults during a sync', () => {
  let emulator: RunningEmulator;
  let reference: Record<string, TableSnapshot>;
  const dir = tempDir('faults');
  const base = () => ({
    webhook_url: emulator.webhookUrl,
    plan: 'unlimited',
    max_concurrency: 3,
    enable_deal_comments: true,
  });

  before(async () => {
    emulator = await startEmulator({ seed: 21, scale: 160, plan: 'unlimited', timeScale: 50 });
    const target = join(dir, 'clean.duckdb');
    const clean = await syncOnce({ config: base(), target, only: STREAMS });
    assertAllOk(clean.summary);
    reference = await duckdbSnapshot(target, LAYER);
    assert.ok((reference.deals?.rows.length ?? 0) > 100, 'the reference holds the deals');
  });
  after(() => emulator.close());

  const cases: { name: string; spec: string; client?: { timeoutMs: number } }[] = [
    { name: '5xx answers', spec: '5xx=0.4' },
    { name: 'HTML error pages', spec: 'html=0.4' },
    { name: 'connection resets', spec: 'reset=0.4' },
    { name: 'answers slower than the client timeout', spec: 'slow=0.3:2000', client: { timeoutMs: 400 } },
    { name: 'truncated JSON', spec: 'truncated=0.4' },
    { name: 'malformed JSON', spec: 'malformed=0.4' },
    { name: 'every fault kind at once', spec: '5xx=0.1,html=0.1,reset=0.1,malformed=0.1,truncated=0.1' },
  ];
  for (const c of cases) {
    it(`${c.name} (${c.spec}): the sync finishes and equals a clean run`, async () => {
      const target = join(dir, `${c.name.replace(/\W+/g, '-')}.duckdb`);
      const faultsBefore = sum(emulator.stats().faults);
      const requestsBefore = emulator.stats().requests_total;
      await control(emulator, { action: 'set_faults', spec: c.spec });
      try {
        const run = await syncOnce({
          config: base(),
          target,
          only: STREAMS,
          client: { ...c.client, maxRetries: 12 },
        });
        assertAllOk(run.summary);
      } finally {
        await control(emulator, { action: 'set_faults', spec: '' });
      }
      const injected = sum(emulator.stats().faults) - faultsBefore;
      const requests = emulator.stats().requests_total - requestsBefore;
      assert.ok(injected >= 3, `faults were injected during the run (${injected} of ${requests} requests)`);
      assert.deepEqual(tableDifferences(await duckdbSnapshot(target, LAYER), reference), []);
    });
  }

  it('the portal moves (302) mid-run: the client follows and the tables equal a clean run', async () => {
    const target = join(dir, 'moved.duckdb');
    const run = await syncOnce({
      config: base(),
      target,
      only: STREAMS,
      midRun: () => control(emulator, { action: 'move_portal' }),
    });
    assert.ok(run.midRunFired, 'the move happened during the run');
    assertAllOk(run.summary);
    assert.ok(
      run.logger.lines.some((l) => /portal moved/.test(l)),
      'the move is logged',
    );
    assert.deepEqual(tableDifferences(await duckdbSnapshot(target, LAYER), reference), []);
  });

  it('a scope withdrawn between discovery and sync: that stream fails with a clear reason, others finish', async () => {
    const target = join(dir, 'scope.duckdb');
    const only = ['deals', 'users', 'departments'];
    try {
      const run = await syncOnce({
        config: base(),
        target,
        only,
        beforeRun: () => control(emulator, { action: 'set_scopes', scopes: ['crm', 'department'] }),
      });
      const users = run.summary.streams.find((s) => s.stream === 'users')!;
      assert.equal(users.status, 'failed');
      assert.match(users.error ?? '', /ScopeError|scope|access/i, 'the reason names the missing scope');
      for (const name of ['deals', 'departments'])
        assert.equal(run.summary.streams.find((s) => s.stream === name)?.status, 'ok', name);
      assert.equal(run.summary.ok, false, 'the run reports the failure');
    } finally {
      await control(emulator, { action: 'set_scopes', scopes: [...ALL_SCOPES] });
    }
    const got = await duckdbSnapshot(target, LAYER);
    assert.deepEqual(tableDifferences(got, reference, ['deals']), []);
    assert.equal(got.users?.rows.length ?? 0, 0, 'no half-written users table');
  });
});

/** The run's tables equal the clean run's (data columns, rows sorted, deleted keys). */
async function assertSameTables(dir: string, file: string): Promise<void> {
  const want = await duckdbSnapshot(join(dir, 'clean.duckdb'), LAYER);
  assert.deepEqual(tableDifferences(await duckdbSnapshot(join(dir, file), LAYER), want), []);
}

describe('fault matrix: limit storms', () => {
  it('a 503 storm (standard plan, another app hammering the same portal, high concurrency) ends equal to a clean run', async () => {
    const emulator = await startEmulator({ seed: 22, scale: 120, plan: 'standard', timeScale: 10 });
    const dir = tempDir('storm503');
    try {
      const config = {
        webhook_url: emulator.webhookUrl,
        plan: 'standard',
        max_concurrency: 8,
        enable_deal_comments: true,
      };
      const only = ['deals', 'contacts', 'companies', 'leads', 'deal_comments', 'deal_stage_history'];
      const clean = await syncOnce({ config, target: join(dir, 'clean.duckdb'), only });
      assertAllOk(clean.summary);
      await control(emulator, { action: 'reset_limits' });
      const before = emulator.stats().rejections.QUERY_LIMIT_EXCEEDED ?? 0;
      // A second integration on the same portal, blind to limits, keeps its request bucket empty.
      // A storm, not a siege: it blows for a while, then the sync must recover on its own.
      const stop = AbortSignal.timeout(1500);
      const hammer = hammerPortal(emulator.webhookUrl, stop);
      let run: Awaited<ReturnType<typeof syncOnce>>;
      try {
        run = await syncOnce({
          config: { ...config, plan: 'unlimited' },
          target: join(dir, 'storm.duckdb'),
          only,
        });
      } finally {
        await hammer;
      }
      assertAllOk(run.summary);
      const refused = (emulator.stats().rejections.QUERY_LIMIT_EXCEEDED ?? 0) - before;
      assert.ok(refused > 20, `the portal refused requests during the storm (${refused})`);
      await assertSameTables(dir, 'storm.duckdb');
    } finally {
      await emulator.close();
    }
  });

  it('a 429 storm (a tiny operating limit the client is told to ignore) ends equal to a clean run', async () => {
    const emulator = await startEmulator({
      seed: 23,
      scale: 120,
      plan: 'unlimited',
      timeScale: 300,
      operatingLimit: 2,
    });
    const dir = tempDir('storm429');
    try {
      const config = {
        webhook_url: emulator.webhookUrl,
        plan: 'unlimited',
        max_concurrency: 4,
        enable_deal_comments: true,
      };
      const only = ['deals', 'contacts', 'companies', 'leads', 'deal_comments', 'activities'];
      const clean = await syncOnce({ config, target: join(dir, 'clean.duckdb'), only });
      assertAllOk(clean.summary);
      await control(emulator, { action: 'reset_limits' });
      const before = emulator.stats().rejections.OPERATION_TIME_LIMIT ?? 0;
      // The client's own threshold sits far above the portal's limit, so it runs into 429s.
      const run = await syncOnce({
        config: { ...config, operating_time_threshold: 5000 },
        target: join(dir, 'storm.duckdb'),
        only,
        client: { operatingLimit: 10_000 },
      });
      assertAllOk(run.summary);
      const refused = (emulator.stats().rejections.OPERATION_TIME_LIMIT ?? 0) - before;
      assert.ok(refused > 0, `the portal answered 429 OPERATION_TIME_LIMIT (${refused})`);
      await assertSameTables(dir, 'storm.duckdb');
    } finally {
      await emulator.close();
    }
  });
});

/** Parallel reads from a client with no bucket of its own, until stopped. */
async function hammerPortal(webhookUrl: string, signal: AbortSignal): Promise<void> {
  const workers = Array.from({ length: 6 }, async () => {
    while (!signal.aborted) {
      await fetch(`${webhookUrl}server.time`, { method: 'POST', signal }).then(
        (r) => r.arrayBuffer(),
        () => undefined,
      );
    }
  });
  await Promise.all(workers);
}

function sum(counts: Record<string, number>): number {
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

describe('fault matrix: OAuth credentials', () => {
  let emulator: RunningEmulator;
  const dir = tempDir('oauth');
  // Refresh tokens rotate and die on use: both tests keep the current pair in one token file.
  const tokenFile = join(dir, 'tokens.json');
  const only = ['deals', 'leads', 'contacts', 'deal_stage_history'];
  const oauthConfig = () => ({
    oauth: {
      client_id: emulator.oauth.client_id,
      client_secret: emulator.oauth.client_secret,
      portal_url: emulator.oauth.portal_url,
      token_url: emulator.oauth.token_url,
      refresh_token: emulator.oauth.refresh_token,
      token_file: tokenFile,
    },
    plan: 'unlimited',
    max_concurrency: 2,
  });
  before(async () => {
    emulator = await startEmulator({ seed: 24, scale: 150, plan: 'unlimited', timeScale: 50 });
  });
  after(() => emulator.close());

  it('an access token expiring mid-run is refreshed and the tables equal a clean run', async () => {
    const clean = await syncOnce({ config: oauthConfig(), target: join(dir, 'clean.duckdb'), only });
    assertAllOk(clean.summary);
    const run = await syncOnce({
      config: oauthConfig(),
      target: join(dir, 'expired.duckdb'),
      only,
      midRun: () => control(emulator, { action: 'expire_tokens' }),
    });
    assert.ok(run.midRunFired);
    assertAllOk(run.summary);
    await assertSameTables(dir, 'expired.duckdb');
  });

  it('a revoked refresh token: one clear AuthError, exit code 1, the tables untouched', async () => {
    const target = join(dir, 'revoked.duckdb');
    const config = writeConfig(oauthConfig());
    const first = await runCli([
      'sync',
      '--config',
      config,
      '--to',
      target,
      '--streams',
      only.join(','),
      '--json',
    ]);
    assert.equal(first.code, 0, first.stderr);
    const before = await duckdbSnapshot(target, LAYER);
    await control(emulator, { action: 'revoke_refresh_tokens' });
    await control(emulator, { action: 'expire_tokens' });
    const second = await runCli([
      'sync',
      '--config',
      config,
      '--to',
      target,
      '--streams',
      only.join(','),
      '--json',
    ]);
    assert.equal(second.code, 1, 'a failed run exits non-zero');
    assert.match(second.stderr, /AuthError|auth|token/i, 'the error says the credentials were refused');
    assert.match(second.stderr, /tap-bitrix24 auth|re-?authori[sz]e|refresh token/i, 'and how to fix it');
    assert.doesNotMatch(second.stderr, /^\s+at /m, 'no stack trace');
    assert.deepEqual(
      tableDifferences(await duckdbSnapshot(target, LAYER), before),
      [],
      'nothing half-written',
    );
  });
});
