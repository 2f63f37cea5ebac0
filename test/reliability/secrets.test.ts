/**
 * Secrets never leave: a whole sync, a Singer run and failing runs, with a known webhook code and
 * known OAuth secrets, at debug log level; every byte of stdout and stderr is searched for every
 * secret (and for the access and refresh tokens the runs obtained). Token files are 0600 and
 * replaced atomically.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import type { CliResult } from '../cli/run-cli.js';
import { runBundledCli } from './bundled-cli.js';
import { tempDir } from './reliability-harness.js';

const WEBHOOK_CODE = 'whk9secret7code4test';
const CLIENT_SECRET = 'clientSecretXyz987654321';

describe('secrets are redacted everywhere', () => {
  let emulator: RunningEmulator;
  const dir = tempDir('secrets');
  const outputs: { name: string; result: CliResult }[] = [];
  const secrets = new Set<string>([WEBHOOK_CODE, CLIENT_SECRET]);
  const tokenFile = join(dir, 'tokens', 'bitrix24-tokens.json');
  const configFile = (name: string, value: unknown) => {
    const path = join(dir, `${name}.json`);
    writeFileSync(path, JSON.stringify(value));
    return path;
  };
  const run = async (name: string, args: string[], env: NodeJS.ProcessEnv = {}) => {
    const saved = { ...process.env };
    Object.assign(process.env, { LOG_LEVEL: 'debug' }, env);
    try {
      const result = await runBundledCli(args);
      outputs.push({ name, result });
      return result;
    } finally {
      process.env = saved;
    }
  };

  before(async () => {
    emulator = await startEmulator({
      seed: 51,
      scale: 60,
      plan: 'unlimited',
      timeScale: 50,
      webhookCode: WEBHOOK_CODE,
      clientSecret: CLIENT_SECRET,
    });
    secrets.add(emulator.oauth.refresh_token);
    assert.ok(emulator.webhookUrl.includes(WEBHOOK_CODE));
  });
  after(() => emulator.close());

  const webhookConfig = () => ({
    webhook_url: emulator.webhookUrl,
    plan: 'unlimited',
    enable_deal_comments: true,
  });
  const oauthConfig = () => ({
    oauth: {
      client_id: emulator.oauth.client_id,
      client_secret: CLIENT_SECRET,
      portal_url: emulator.oauth.portal_url,
      token_url: emulator.oauth.token_url,
      refresh_token: emulator.oauth.refresh_token,
      token_file: tokenFile,
    },
    plan: 'unlimited',
    enable_deal_comments: true,
  });
  const streams = 'deals,leads,contacts,deal_comments,users';

  it('a webhook sync, a Singer run and an OAuth sync succeed (debug logs on)', async () => {
    const sync = await run('webhook sync', [
      'sync',
      '--config',
      configFile('webhook', webhookConfig()),
      '--to',
      join(dir, 'w.duckdb'),
      '--streams',
      streams,
      '--log-level',
      'debug',
    ]);
    assert.equal(sync.code, 0, sync.stderr);
    const singer = await run('singer sync', ['--config', configFile('webhook-singer', webhookConfig())]);
    assert.equal(singer.code, 0, singer.stderr);
    assert.match(singer.stdout, /"type":"RECORD"/);
    const oauth = await run('oauth sync', [
      'sync',
      '--config',
      configFile('oauth', oauthConfig()),
      '--to',
      join(dir, 'o.duckdb'),
      '--streams',
      streams,
      '--json',
      '--log-level',
      'debug',
    ]);
    assert.equal(oauth.code, 0, oauth.stderr);
    const saved = JSON.parse(readFileSync(tokenFile, 'utf8')) as {
      access_token: string;
      refresh_token: string;
    };
    secrets.add(saved.access_token);
    secrets.add(saved.refresh_token);
  });

  it('the token file is 0600 and replaced atomically (no temporary file left)', () => {
    assert.equal(statSync(tokenFile).mode & 0o777, 0o600);
    assert.deepEqual(
      readdirSync(join(dir, 'tokens')).filter((f) => f !== 'bitrix24-tokens.json'),
      [],
      'only the token file itself',
    );
  });

  it('failing runs (expired + revoked token, wrong webhook code, secrets in a bad config) fail cleanly', async () => {
    await emulator.control({ action: 'expire_tokens' });
    await emulator.control({ action: 'revoke_refresh_tokens' });
    const revoked = await run('revoked oauth sync', [
      'sync',
      '--config',
      configFile('oauth-revoked', oauthConfig()),
      '--to',
      join(dir, 'o.duckdb'),
      '--log-level',
      'debug',
    ]);
    assert.equal(revoked.code, 1);
    const wrongCode = emulator.webhookUrl.replace(WEBHOOK_CODE, `${WEBHOOK_CODE}x`);
    secrets.add(`${WEBHOOK_CODE}x`);
    const rejected = await run('wrong webhook', [
      '--config',
      configFile('wrong', { webhook_url: wrongCode, plan: 'unlimited' }),
      '--discover',
    ]);
    assert.notEqual(rejected.code, 0);
    const badType = await run('bad secret type', [
      'sync',
      '--config',
      configFile('bad', { oauth: { ...oauthConfig().oauth, client_secret: [CLIENT_SECRET] } }),
    ]);
    assert.equal(badType.code, 2);
    const badEnv = await run('bad env', ['sync', '--config', configFile('env', { plan: 'unlimited' })], {
      TAP_BITRIX24_WEBHOOK_URL: `ftp://x/rest/1/${WEBHOOK_CODE}/`,
    });
    assert.equal(badEnv.code, 2);
  });

  it('no secret appears in any stdout or stderr of those runs', () => {
    assert.ok(outputs.length >= 7, 'every run was captured');
    assert.ok(secrets.size >= 5);
    for (const { name, result } of outputs) {
      for (const secret of secrets) {
        for (const [stream, text] of [
          ['stdout', result.stdout],
          ['stderr', result.stderr],
        ] as const) {
          assert.ok(
            !text.includes(secret),
            `${name} ${stream} leaks a secret (${secret.slice(0, 3)}…): ${text.slice(Math.max(0, text.indexOf(secret) - 200), text.indexOf(secret) + 50)}`,
          );
        }
      }
    }
  });
});
