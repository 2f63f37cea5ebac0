/**
 * No secret (webhook code, access and refresh tokens, client secret) appears in the client's log
 * output or error messages, whatever goes wrong: faults, refused scopes, missing records, a
 * revoked refresh token, an unreachable portal.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Bitrix24Client, type ClientLogger, redact } from '../../src/client/index.js';
import { startEmulator } from '../../src/emulator/index.js';

function capturingLogger(lines: string[]): ClientLogger {
  const log = (level: string) => (msg: string, fields?: Record<string, unknown>) => {
    lines.push(`${level} ${msg} ${JSON.stringify(fields ?? {})}`);
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

async function settle(work: Promise<unknown>, messages: string[]): Promise<void> {
  try {
    await work;
  } catch (error) {
    messages.push(
      String(error),
      (error as Error).message,
      JSON.stringify(error),
      String((error as Error).stack),
    );
  }
}

describe('secrets', () => {
  it('never appear in logs or error messages', async () => {
    const emulator = await startEmulator({ seed: 31, scale: 200, plan: 'unlimited', timeScale: 100 });
    const dir = await mkdtemp(join(tmpdir(), 'tap-bitrix24-redact-'));
    const tokenFile = join(dir, 'tokens.json');
    const lines: string[] = [];
    const messages: string[] = [];
    const logger = capturingLogger(lines);
    const webhookCode = new URL(emulator.webhookUrl).pathname.split('/')[3];
    const webhook = new Bitrix24Client({
      webhookUrl: emulator.webhookUrl,
      plan: 'unlimited',
      logger,
      maxRetries: 1,
    });
    const oauth = new Bitrix24Client({
      plan: 'unlimited',
      logger,
      maxRetries: 1,
      oauth: {
        clientId: emulator.oauth.client_id,
        clientSecret: emulator.oauth.client_secret,
        portalUrl: emulator.oauth.portal_url,
        tokenUrl: emulator.oauth.token_url,
        refreshToken: emulator.oauth.refresh_token,
        tokenFile,
      },
    });
    try {
      await oauth.call('scope');
      const tokens = JSON.parse(await readFile(tokenFile, 'utf8')) as Record<string, string>;

      emulator.control({
        action: 'set_faults',
        spec: '5xx=0.2,html=0.2,reset=0.2,malformed=0.2,truncated=0.2',
      });
      for (let i = 0; i < 10; i++) {
        await settle(webhook.call('crm.deal.list', { start: -1 }), messages);
        await settle(oauth.call('crm.deal.list', { start: -1 }), messages);
      }
      emulator.control({ action: 'set_faults', spec: '' });
      await settle(webhook.call('crm.deal.get', { id: 99_999_999 }), messages);
      await settle(webhook.call('no.such.method'), messages);
      emulator.control({ action: 'set_scopes', scopes: ['department'] });
      await settle(webhook.call('crm.deal.list'), messages);
      await settle(oauth.call('crm.deal.list'), messages);
      emulator.control({ action: 'expire_tokens' });
      emulator.control({ action: 'revoke_refresh_tokens' });
      await settle(oauth.call('scope'), messages);
      await settle(oauth.call('scope'), messages);
      emulator.control({ action: 'move_portal' });
      await settle(webhook.call('scope'), messages);
      await emulator.close();
      await settle(webhook.call('scope'), messages);

      assert.ok(messages.length >= 6, 'errors were produced');
      assert.ok(lines.length > 0, 'the client logged');
      const everything = [...lines, ...messages].join('\n');
      const secrets = {
        webhookCode,
        clientSecret: emulator.oauth.client_secret,
        firstRefreshToken: emulator.oauth.refresh_token,
        accessToken: tokens.access_token,
        refreshToken: tokens.refresh_token,
      };
      for (const [name, secret] of Object.entries(secrets)) {
        assert.ok(secret && secret.length >= 8, `${name} is a real secret`);
        assert.equal(everything.includes(secret), false, `${name} leaked`);
      }
    } finally {
      await webhook.close();
      await oauth.close();
      await emulator.close().catch(() => {});
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('redact() masks secret-bearing URL parts even for secrets it never saw', () => {
    const text = redact(
      'POST https://x.bitrix24.com/rest/7/zq81neverseen42/crm.deal.list?auth=tok9f8e7d6c5b4a&refresh_token=r123456789',
    );
    assert.equal(text.includes('zq81neverseen42'), false);
    assert.equal(text.includes('tok9f8e7d6c5b4a'), false);
    assert.equal(text.includes('r123456789'), false);
    assert.ok(text.includes('/rest/7/***/crm.deal.list'));
  });
});
