/**
 * The errors a new user meets in the first hour, through the real command line: each cause is one
 * line on stderr (no stack trace), the same in `sync`, `check` and the console, with its exit code.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { checkPortal } from '../../src/console/portal-check.js';
import { checkTrigger, DraftError } from '../../src/console/source-draft.js';
import { type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { type CliResult, runCli, startCli, writeConfig } from './run-cli.js';

/** stderr as lines, without the blank end. */
function lines(result: CliResult): string[] {
  return result.stderr.split('\n').filter((line) => line !== '');
}

function assertOneLine(result: CliResult, code: number, pattern: RegExp): string {
  assert.equal(result.code, code, result.stderr);
  const out = lines(result);
  assert.equal(out.length, 1, `one line on stderr, got:\n${result.stderr}`);
  assert.match(out[0]!, pattern);
  assert.doesNotMatch(result.stderr, /\n\s+at |ConfigError|AbortError|"level"/);
  return out[0]!;
}

/** A loopback server that accepts connections and never answers. */
async function silentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Resolves once `pattern` appears on the child's stderr (rejects after `ms`). */
function waitForStderr(child: ReturnType<typeof startCli>['child'], pattern: RegExp, ms: number) {
  let seen = '';
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${pattern} on stderr within ${ms} ms: ${seen}`)), ms);
    child.stderr!.on('data', (d: Buffer) => {
      seen += String(d);
      if (pattern.test(seen)) {
        clearTimeout(timer);
        resolve(seen);
      }
    });
  });
}

describe('first-hour errors: one line, one cause, the same everywhere', () => {
  let emulator: RunningEmulator;
  let good: Record<string, unknown>;
  const dir = mkdtempSync(join(tmpdir(), 'tap-first-hour-'));
  const configs: string[] = [];
  const config = (value: Record<string, unknown>) => {
    const path = writeConfig(value);
    configs.push(path);
    return path;
  };
  before(async () => {
    emulator = await startEmulator({ seed: 5, scale: 300, plan: 'unlimited', timeScale: 10 });
    good = { webhook_url: emulator.webhookUrl, plan: 'unlimited' };
  });
  after(async () => {
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
    for (const path of configs) rmSync(join(path, '..'), { recursive: true, force: true });
  });

  it('an http:// webhook to a remote host: the same line from check and sync, exit 2', async () => {
    const path = config({ webhook_url: 'http://example.com/rest/1/abcdefgh12345/' });
    const expected = /^error: webhook_url must use https:\/\/ \(Bitrix24 requires HTTPS\)/;
    const check = assertOneLine(await runCli(['check', '--config', path]), 2, expected);
    const sync = assertOneLine(
      await runCli(['sync', '--config', path, '--to', join(dir, 'h.duckdb')]),
      2,
      expected,
    );
    assert.equal(sync, check);
  });

  it('a wrong webhook code: check, sync and the console say the same, with the fix', async () => {
    const wrong = emulator.webhookUrl.replace(/\/rest\/(\d+)\/[^/]+\//, '/rest/$1/wrongcode12345/');
    const path = config({ webhook_url: wrong, plan: 'unlimited' });
    const expected = /^error: the portal refused these credentials \(NO_AUTH_FOUND.*\); check webhook_url/;
    const check = assertOneLine(await runCli(['check', '--config', path]), 1, expected);
    const sync = assertOneLine(
      await runCli(['sync', '--config', path, '--to', join(dir, 'w.duckdb')]),
      1,
      expected,
    );
    assert.equal(sync, check);
    assert.ok(!check.includes('wrongcode12345'), 'the code is a secret');
    const consoleCheck = await checkPortal({ webhook_url: wrong, plan: 'unlimited' });
    assert.equal(consoleCheck.ok, false);
    assert.equal(`error: ${!consoleCheck.ok && consoleCheck.error}`, check);
  });

  it('INFO lines only when asked; warnings still show', async () => {
    // A value that does not fit its declared type makes the sync warn.
    const update = await fetch(`${emulator.webhookUrl}crm.deal.update`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 1, fields: { OPPORTUNITY: 'lots' } }),
    });
    assert.equal(update.status, 200);
    const path = config(good);
    const quiet = await runCli([
      'sync',
      '--config',
      path,
      '--to',
      join(dir, 'q.duckdb'),
      '--streams',
      'deals',
    ]);
    assert.equal(quiet.code, 0, quiet.stderr);
    assert.doesNotMatch(quiet.stderr, /"level":"INFO"/);
    assert.match(quiet.stderr, /"level":"WARN".*OPPORTUNITY/);
    const verbose = await runCli([
      'sync',
      '--config',
      path,
      '--to',
      join(dir, 'v.duckdb'),
      '--streams',
      'deals',
      '--verbose',
    ]);
    assert.match(verbose.stderr, /"level":"INFO".*"msg":"stream started"/);
    const level = await runCli(['check', '--config', path, '--log-level', 'info', '--json']);
    assert.match(level.stderr, /"level":"INFO"/);
  });

  it('Ctrl-C during a sync: it stops at a checkpoint and says "interrupted", exit 130', async () => {
    const path = config({ ...good, enable_deal_comments: true, max_concurrency: 1 });
    const streams = 'deals,deal_comments,contacts,leads,activities';
    const { child, done } = startCli([
      'sync',
      '--config',
      path,
      '--to',
      join(dir, 'c.duckdb'),
      '--streams',
      streams,
    ]);
    await waitForStderr(child, /deals: done/, 120_000).catch((error: unknown) => {
      child.kill('SIGKILL');
      throw error;
    });
    child.kill('SIGINT');
    const result = await done;
    assert.equal(result.code, 130, result.stderr);
    assert.match(result.stderr, /stopping after the current pages/);
    assert.equal(lines(result).at(-1), 'interrupted');
    assert.doesNotMatch(result.stderr, /AbortError|failed/);
    assert.equal(result.stdout, '', 'no summary of a run that did not finish');
  });

  it('a host that never answers: a waiting line before the timeout, then Ctrl-C ends it', async () => {
    const silent = await silentServer();
    try {
      const path = config({ webhook_url: `http://127.0.0.1:${silent.port}/rest/1/abcdefgh12345/` });
      const commands = [
        ['check', '--config', path],
        ['sync', '--config', path, '--to', join(dir, 's.duckdb')],
      ];
      for (const args of commands) {
        const command = args[0];
        const { child, done } = startCli(args);
        // Start-up on a loaded machine may take a while; the line's own count is what must be
        // short of the request timeout (60 s), so no request has timed out yet.
        const seen = await waitForStderr(
          child,
          new RegExp(`waiting for 127\\.0\\.0\\.1:${silent.port} to answer: \\d+ s so far`),
          90_000,
        ).catch((error: unknown) => {
          child.kill('SIGKILL');
          throw error;
        });
        const waited = Number(/to answer: (\d+) s so far/.exec(seen)![1]);
        assert.ok(waited < 60, `the line came ${waited} s into the request, before its timeout`);
        assert.doesNotMatch(seen, /did not answer|TIMEOUT/);
        child.kill('SIGINT');
        const result = await done;
        assert.equal(result.code, 130, `${command}: ${result.stderr}`);
        assert.equal(lines(result).at(-1), 'interrupted');
      }
    } finally {
      await silent.close();
    }
  });

  it('a stream name that does not exist, and a quoted number: errors naming the key and the fix', async () => {
    const typo = config({ ...good, streams: { deal: { selected: true } } });
    const expected = /^error: config\.streams\.deal: unknown stream; did you mean `deals`\?/;
    const check = assertOneLine(await runCli(['check', '--config', typo]), 2, expected);
    const sync = assertOneLine(
      await runCli(['sync', '--config', typo, '--to', join(dir, 't.duckdb')]),
      2,
      expected,
    );
    assert.equal(sync, check);
    const quoted = config({ ...good, max_concurrency: '4' });
    assertOneLine(
      await runCli(['sync', '--config', quoted, '--to', join(dir, 'n.duckdb')]),
      2,
      /^error: config\.max_concurrency: expected an integer >= 1, got "4"; write it without quotes: "max_concurrency": 4$/,
    );
    // The same text from the environment is a number: variables only hold text.
    const env = await runCli(['check', '--config', config(good), '--json'], {
      env: { TAP_BITRIX24_MAX_CONCURRENCY: '4' },
    });
    assert.equal(env.code, 0, env.stderr);
  });

  it('a bad cron expression: what is wrong and a valid example, in schedule and the console', async () => {
    const result = await runCli(['schedule', '--config', config(good), '--cron', '0 25 * * *']);
    const line = assertOneLine(
      result,
      2,
      /^error: --cron: "0 25 \* \* \*" is not a cron expression: a value is out of range \(hour must be 0-23\)\. .*e\.g\. "0 3 \* \* \*" is every day at 03:00/,
    );
    assert.throws(
      () => checkTrigger({ preset: 'cron', cron: '0 25 * * *' }),
      (error: unknown) => error instanceof DraftError && `error: --cron: ${error.message}` === line,
    );
    const fields = await runCli(['schedule', '--config', config({ ...good, schedule: 'every day' })]);
    assertOneLine(
      fields,
      2,
      /^error: config\.schedule: "every day" is not a cron expression: it has 2 fields\. A cron expression has five fields/,
    );
  });
});
