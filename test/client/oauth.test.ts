/**
 * OAuth and portal addresses over real HTTP: one shared refresh for concurrent calls, the rotated
 * token saved (0600) before use, the `auth` setup flow, a portal's 302 domain move, and plain
 * http refused for remote portals.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  AuthError,
  authorizeApp,
  Bitrix24Client,
  ConfigError,
  readTokenFile,
} from '../../src/client/index.js';
import { type RunningEmulator, startEmulator } from '../../src/emulator/index.js';

let emulator: RunningEmulator;
let dir: string;

before(async () => {
  emulator = await startEmulator({ seed: 11, scale: 300, plan: 'unlimited', timeScale: 1 });
  dir = await mkdtemp(join(tmpdir(), 'tap-bitrix24-oauth-'));
});
after(async () => {
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

function oauthClient(tokenFile: string, refreshToken?: string): Bitrix24Client {
  return new Bitrix24Client({
    plan: 'unlimited',
    oauth: {
      clientId: emulator.oauth.client_id,
      clientSecret: emulator.oauth.client_secret,
      portalUrl: emulator.oauth.portal_url,
      tokenUrl: emulator.oauth.token_url,
      refreshToken,
      tokenFile,
    },
  });
}

describe('OAuth credentials', () => {
  it('refreshes an expired token once for 20 concurrent calls and saves the rotated token (0600)', async () => {
    const tokenFile = join(dir, 'concurrent.json');
    const client = oauthClient(tokenFile, emulator.oauth.refresh_token);
    await client.call('scope');
    assert.equal(client.stats().tokenRefreshes, 1, 'the first call had no access token');
    const first = await readTokenFile(tokenFile);
    assert.ok(first);
    assert.notEqual(first.refresh_token, emulator.oauth.refresh_token, 'the refresh token rotated');

    emulator.control({ action: 'expire_tokens' });
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => client.call('crm.deal.list', { select: ['ID'], start: -1 })),
    );
    assert.equal(answers.length, 20);
    assert.equal(client.stats().tokenRefreshes, 2, 'one refresh for all 20 calls');

    const saved = await readTokenFile(tokenFile);
    assert.ok(saved);
    assert.notEqual(saved.refresh_token, first.refresh_token);
    assert.equal((await stat(tokenFile)).mode & 0o777, 0o600);
    await client.close();

    // The token on disk is the live one: a client holding nothing but the file can go on.
    const fromFile = oauthClient(tokenFile);
    emulator.control({ action: 'expire_tokens' });
    const scopes = await fromFile.scopes();
    assert.ok(scopes.includes('crm'));
    await fromFile.close();
  });

  it('fails with AuthError when the refresh token was revoked', async () => {
    const client = oauthClient(join(dir, 'revoked.json'), emulator.oauth.refresh_token);
    emulator.control({ action: 'revoke_refresh_tokens' });
    await assert.rejects(client.call('scope'), AuthError);
    await client.close();
  });

  it('`auth` flow: catches the redirect on loopback, exchanges the code, saves tokens ready for sync', async () => {
    const tokenFile = join(dir, 'authorized.json');
    const shown: string[] = [];
    const result = await authorizeApp({
      clientId: emulator.oauth.client_id,
      clientSecret: emulator.oauth.client_secret,
      portalUrl: emulator.oauth.portal_url,
      authorizeUrl: emulator.oauth.authorize_url,
      tokenUrl: emulator.oauth.token_url,
      tokenFile,
      timeoutMs: 10_000,
      onAuthorizeUrl: async (url) => {
        shown.push(url);
        // The user's browser: open the authorize URL, follow the portal's 302 to our port.
        const consent = await fetch(url, { redirect: 'manual' });
        assert.equal(consent.status, 302);
        const landing = await fetch(consent.headers.get('location') as string);
        assert.equal(landing.status, 200);
      },
    });
    assert.equal(shown.length, 1);
    assert.ok(result.scope.includes('crm'));
    const saved = JSON.parse(await readFile(tokenFile, 'utf8')) as Record<string, unknown>;
    assert.equal(typeof saved.access_token, 'string');
    assert.equal(typeof saved.refresh_token, 'string');
    assert.ok(Date.parse(String(saved.saved_at)) > 0);
    assert.equal((await stat(tokenFile)).mode & 0o777, 0o600);
    const client = oauthClient(tokenFile);
    assert.ok((await client.serverTime()).length > 0);
    await client.close();
  });
});

describe('portal address', () => {
  it("follows a portal's 302 domain move without losing the POST body", async () => {
    const client = new Bitrix24Client({ webhookUrl: emulator.webhookUrl, plan: 'unlimited' });
    const params = { select: ['ID'], filter: { '>ID': 100 }, order: { ID: 'ASC' }, start: -1 };
    const before = await client.call<Record<string, unknown>[]>('crm.deal.list', params);
    emulator.resetStats();
    emulator.control({ action: 'move_portal' });
    const moved = await client.call<Record<string, unknown>[]>('crm.deal.list', params);
    assert.deepEqual(moved.result, before.result);
    assert.equal(Number(moved.result[0].ID) > 100, true, 'the filter in the body reached the new address');
    await client.call('server.time');
    assert.equal(emulator.stats().http_statuses['302'], 1, 'the client remembered the new address');
    await client.close();
  });

  it('talks HTTPS to a portal whose certificate comes from an extra CA', async () => {
    const secure = await startEmulator({ seed: 12, scale: 100, plan: 'unlimited', tls: true });
    const client = new Bitrix24Client({ webhookUrl: secure.webhookUrl, plan: 'unlimited', ca: secure.caPem });
    try {
      assert.ok(secure.webhookUrl.startsWith('https://'));
      assert.ok((await client.scopes()).includes('crm'));
    } finally {
      await client.close();
      await secure.close();
    }
  });

  it('refuses plain http to a non-loopback portal with a ConfigError', () => {
    assert.throws(
      () => new Bitrix24Client({ webhookUrl: 'http://example.bitrix24.com/rest/1/abcdef123/' }),
      ConfigError,
    );
    assert.throws(
      () =>
        new Bitrix24Client({
          oauth: {
            clientId: 'x',
            clientSecret: 'secret-value',
            portalUrl: 'http://example.bitrix24.com',
            refreshToken: 'r',
          },
        }),
      ConfigError,
    );
    assert.throws(() => new Bitrix24Client({}), ConfigError);
  });
});
