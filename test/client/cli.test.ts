/** The `call` and `auth` commands as a user runs them: a child process against the emulator. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { callClientOptions } from '../../src/cli/commands/call.js';
import { Bitrix24Client, ConfigError } from '../../src/client/index.js';
import { type RunningEmulator, startEmulator } from '../../src/emulator/index.js';

const MAIN = new URL('../../src/cli/main.ts', import.meta.url).pathname;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], onStdout?: (text: string) => void): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], {
      env: { ...process.env, TAP_BITRIX24_WEBHOOK_URL: '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      onStdout?.(stdout);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

let emulator: RunningEmulator;
let dir: string;

before(async () => {
  emulator = await startEmulator({ seed: 51, scale: 600, plan: 'unlimited', timeScale: 100 });
  dir = await mkdtemp(join(tmpdir(), 'tap-bitrix24-cli-'));
});
after(async () => {
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

describe('tap-bitrix24 call', () => {
  it('prints one answer as JSON, and with --all every row as JSON lines', async () => {
    const config = join(dir, 'config.json');
    await writeFile(config, JSON.stringify({ webhook_url: emulator.webhookUrl, plan: 'unlimited' }));
    const one = await run([
      'call',
      'crm.deal.list',
      '--params',
      '{"select":["ID"],"start":0}',
      '--config',
      config,
    ]);
    assert.equal(one.code, 0, one.stderr);
    const answer = JSON.parse(one.stdout) as { result: unknown[]; total: number };
    assert.equal(answer.result.length, 50);
    const all = await run([
      'call',
      'crm.deal.list',
      '--params',
      '{"select":["ID","TITLE"]}',
      '--all',
      '--config',
      config,
    ]);
    assert.equal(all.code, 0, all.stderr);
    const rows = all.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { ID: string });
    assert.equal(rows.length, answer.total);
    assert.equal(new Set(rows.map((r) => r.ID)).size, rows.length);
  });

  it('refuses a plain-http remote portal in the config, naming https, without echoing the code', () => {
    const env = { TAP_BITRIX24_WEBHOOK_URL: 'http://portal.example.com/rest/1/s3cr3tc0de99/' };
    const options = callClientOptions([], env);
    assert.throws(
      () => new Bitrix24Client(options),
      (error: Error) =>
        error instanceof ConfigError &&
        /https/.test(error.message) &&
        !error.message.includes('s3cr3tc0de99'),
    );
    assert.throws(() => callClientOptions([], {}), /config\.webhook_url: required/);
  });
});

describe('tap-bitrix24 auth', () => {
  it('prints the authorize URL, catches the redirect, saves the tokens', async () => {
    const tokenFile = join(dir, 'token.json');
    let browsed = false;
    const result = await run(
      [
        'auth',
        '--client-id',
        emulator.oauth.client_id,
        '--client-secret',
        emulator.oauth.client_secret,
        '--portal',
        emulator.oauth.portal_url,
        '--authorize-url',
        emulator.oauth.authorize_url,
        '--token-url',
        emulator.oauth.token_url,
        '--token-file',
        tokenFile,
        '--timeout',
        '20',
      ],
      (stdout) => {
        const url = /^(https?:\/\/\S+oauth\/authorize\/\S+)$/m.exec(stdout)?.[1];
        if (!url || browsed) return;
        browsed = true;
        void (async () => {
          const consent = await fetch(url, { redirect: 'manual' });
          await fetch(consent.headers.get('location') as string);
        })();
      },
    );
    assert.equal(result.code, 0, result.stderr);
    assert.ok(browsed);
    assert.match(result.stdout, /Saved tokens/);
    const saved = JSON.parse(await readFile(tokenFile, 'utf8')) as Record<string, unknown>;
    assert.equal(typeof saved.refresh_token, 'string');
    assert.equal((await stat(tokenFile)).mode & 0o777, 0o600);
    assert.equal(result.stdout.includes(emulator.oauth.client_secret), false);
  });
});
