import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { fakeMethods } from './server-fake-methods.js';

type Json = Record<string, unknown>;

async function json(res: Response): Promise<Json> {
  return (await res.json()) as Json;
}

describe('emulator auth: OAuth and scopes', () => {
  let emu: RunningEmulator;
  const redirect = 'https://app.example/callback';
  before(async () => {
    // 150 emulated seconds of token life at 100x: tokens expire after 1.5 s of real time.
    emu = await startEmulator({
      seed: 3,
      plan: 'unlimited',
      timeScale: 100,
      tokenTtl: 150,
      scopes: ['crm', 'department'],
      methods: fakeMethods().methods,
    });
  });
  after(() => emu.close());

  function tokenUrl(query: Record<string, string>): string {
    return `${emu.oauth.token_url}?${new URLSearchParams(query)}`;
  }

  async function authorize(): Promise<URL> {
    const res = await fetch(
      `${emu.oauth.authorize_url}?client_id=${emu.oauth.client_id}&state=xyz&redirect_uri=${encodeURIComponent(redirect)}`,
      { redirect: 'manual' },
    );
    assert.equal(res.status, 302);
    return new URL(res.headers.get('location') ?? '');
  }

  it('derives the webhook code and client secret from the seed', async () => {
    const again = await startEmulator({ seed: 3, methods: fakeMethods().methods });
    const other = await startEmulator({ seed: 4, methods: fakeMethods().methods });
    try {
      assert.equal(new URL(again.webhookUrl).pathname, new URL(emu.webhookUrl).pathname);
      assert.equal(again.oauth.client_secret, emu.oauth.client_secret);
      assert.notEqual(other.oauth.client_secret, emu.oauth.client_secret);
      assert.notEqual(new URL(other.webhookUrl).pathname, new URL(emu.webhookUrl).pathname);
    } finally {
      await Promise.all([again.close(), other.close()]);
    }
  });

  it('authorizes, exchanges the code and calls a method with the access token', async () => {
    const location = await authorize();
    assert.equal(location.origin + location.pathname, redirect);
    for (const key of ['code', 'state', 'domain', 'member_id', 'scope', 'server_domain']) {
      assert.ok(location.searchParams.get(key), key);
    }
    assert.equal(location.searchParams.get('state'), 'xyz');
    assert.equal(location.searchParams.get('scope'), 'crm,department');
    const code = location.searchParams.get('code') ?? '';
    const token = await json(
      await fetch(
        tokenUrl({
          grant_type: 'authorization_code',
          client_id: emu.oauth.client_id,
          client_secret: emu.oauth.client_secret,
          code,
        }),
      ),
    );
    for (const key of [
      'access_token',
      'refresh_token',
      'expires_in',
      'expires',
      'client_endpoint',
      'member_id',
      'scope',
    ]) {
      assert.ok(key in token, key);
    }
    assert.equal(token.client_endpoint, `${emu.baseUrl}/rest/`);
    const call = await fetch(`${token.client_endpoint}crm.deal.list?auth=${token.access_token}`);
    assert.equal(call.status, 200);
    // auth may also travel in the body
    const posted = await fetch(`${token.client_endpoint}app.info`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ auth: token.access_token }),
    });
    assert.equal(posted.status, 200);
    assert.equal(((await json(posted)).result as Json).INSTALLED, true);
    // a code is single-use
    const reuse = await fetch(
      tokenUrl({
        grant_type: 'authorization_code',
        client_id: emu.oauth.client_id,
        client_secret: emu.oauth.client_secret,
        code,
      }),
    );
    assert.equal(reuse.status, 400);
    assert.equal((await json(reuse)).error, 'invalid_grant');
  });

  it('lets an authorization code expire after 30 emulated seconds', async () => {
    const code = (await authorize()).searchParams.get('code') ?? '';
    await sleep(350); // 35 emulated seconds
    const res = await fetch(
      tokenUrl({
        grant_type: 'authorization_code',
        client_id: emu.oauth.client_id,
        client_secret: emu.oauth.client_secret,
        code,
      }),
    );
    assert.equal(res.status, 400);
    assert.equal((await json(res)).error, 'invalid_grant');
  });

  it('rotates refresh tokens: the old one is rejected with invalid_grant', async () => {
    const first = await json(
      await fetch(
        tokenUrl({
          grant_type: 'refresh_token',
          client_id: emu.oauth.client_id,
          client_secret: emu.oauth.client_secret,
          refresh_token: emu.oauth.refresh_token,
        }),
      ),
    );
    assert.equal(typeof first.access_token, 'string');
    assert.equal(first.user_id, 1);
    assert.notEqual(first.refresh_token, emu.oauth.refresh_token);
    const old = await fetch(
      tokenUrl({
        grant_type: 'refresh_token',
        client_id: emu.oauth.client_id,
        client_secret: emu.oauth.client_secret,
        refresh_token: emu.oauth.refresh_token,
      }),
    );
    assert.equal(old.status, 400);
    assert.equal((await json(old)).error, 'invalid_grant');
    const second = await fetch(
      tokenUrl({
        grant_type: 'refresh_token',
        client_id: emu.oauth.client_id,
        client_secret: emu.oauth.client_secret,
        refresh_token: String(first.refresh_token),
      }),
    );
    assert.equal(second.status, 200);
  });

  it('answers 401 invalid_client for a wrong client secret', async () => {
    const res = await fetch(
      tokenUrl({
        grant_type: 'refresh_token',
        client_id: emu.oauth.client_id,
        client_secret: 'nope',
        refresh_token: 'x',
      }),
    );
    assert.equal(res.status, 401);
    assert.equal((await json(res)).error, 'invalid_client');
  });

  async function freshToken(): Promise<string> {
    const code = (await authorize()).searchParams.get('code') ?? '';
    const token = await json(
      await fetch(
        tokenUrl({
          grant_type: 'authorization_code',
          client_id: emu.oauth.client_id,
          client_secret: emu.oauth.client_secret,
          code,
        }),
      ),
    );
    return String(token.access_token);
  }

  it('expires access tokens after the TTL with 401 expired_token, and rejects unknown tokens', async () => {
    const token = await freshToken();
    assert.equal((await fetch(`${emu.baseUrl}/rest/crm.deal.list?auth=${token}`)).status, 200);
    await sleep(1600); // > 150 emulated seconds
    const expired = await fetch(`${emu.baseUrl}/rest/crm.deal.list?auth=${token}`);
    assert.equal(expired.status, 401);
    assert.deepEqual(await json(expired), {
      error: 'expired_token',
      error_description: 'The access token provided has expired.',
    });
    const invalid = await fetch(`${emu.baseUrl}/rest/crm.deal.list?auth=not-a-token`);
    assert.equal(invalid.status, 401);
    assert.equal((await json(invalid)).error, 'invalid_token');
    const none = await fetch(`${emu.baseUrl}/rest/crm.deal.list`);
    assert.equal(none.status, 401);
    assert.equal((await json(none)).error, 'NO_AUTH_FOUND');
  });

  it('expires tokens and revokes refresh tokens on control actions', async () => {
    const token = await freshToken();
    const ctl = await fetch(`${emu.baseUrl}/_emulator/control`, {
      method: 'POST',
      body: JSON.stringify({ action: 'expire_tokens' }),
    });
    assert.equal(ctl.status, 200);
    assert.equal((await json(await fetch(`${emu.baseUrl}/rest/scope?auth=${token}`))).error, 'expired_token');
    const refresh = (
      await json(
        await fetch(
          tokenUrl({
            grant_type: 'authorization_code',
            client_id: emu.oauth.client_id,
            client_secret: emu.oauth.client_secret,
            code: (await authorize()).searchParams.get('code') ?? '',
          }),
        ),
      )
    ).refresh_token as string;
    emu.control({ action: 'revoke_refresh_tokens' });
    const res = await fetch(
      tokenUrl({
        grant_type: 'refresh_token',
        client_id: emu.oauth.client_id,
        client_secret: emu.oauth.client_secret,
        refresh_token: refresh,
      }),
    );
    assert.equal((await json(res)).error, 'invalid_grant');
  });

  it('answers 403 insufficient_scope outside the granted scopes, also per command in batch', async () => {
    const denied = await fetch(`${emu.webhookUrl}user.get`);
    assert.equal(denied.status, 403);
    assert.equal((await json(denied)).error, 'insufficient_scope');
    assert.equal((await fetch(`${emu.webhookUrl}department.get`)).status, 200);
    const batch = await json(
      await fetch(`${emu.webhookUrl}batch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          halt: 0,
          cmd: { get_user: 'user.get?ID=1', get_department: 'department.get?ID=1' },
        }),
      }),
    );
    const result = batch.result as Json;
    assert.deepEqual(result.result_error, {
      get_user: { error: 'insufficient_scope', error_description: '' },
    });
    assert.deepEqual(Object.keys(result.result as Json), ['get_department']);
    emu.control({ action: 'set_scopes', scopes: ['crm', 'user'] });
    try {
      assert.equal((await fetch(`${emu.webhookUrl}user.get`)).status, 200);
      assert.equal((await fetch(`${emu.webhookUrl}department.get`)).status, 403);
    } finally {
      emu.control({ action: 'set_scopes', scopes: ['crm', 'department'] });
    }
  });
});
