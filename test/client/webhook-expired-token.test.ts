/**
 * A webhook call answered HTTP 401 `expired_token` is repeated once after a short pause: one such
 * answer does not fail the call (or the stream), two in a row do. Real HTTP: a loopback relay in
 * front of the emulator answers the 401s, as a portal does, and passes everything else through.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { WEBHOOK_EXPIRED_TOKEN_PAUSE_MS } from '../../src/client/credentials/webhook.js';
import { AuthError, Bitrix24Client } from '../../src/client/index.js';
import { type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { checkConfig } from '../../src/sync/config.js';
import { syncPortal } from '../../src/sync/run.js';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

/** Answers `expired` 401s to calls of `method`, then relays; counts the calls of `method`. */
class ExpiringRelay {
  expired = 0;
  seen = 0;
  method = '';
  private server?: Server;

  constructor(private readonly upstream: string) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', async () => {
        const path = req.url ?? '/';
        if (this.method && path.split('?')[0]!.endsWith(`/${this.method}`)) {
          this.seen++;
          if (this.expired > 0) {
            this.expired--;
            res.writeHead(401, { 'content-type': 'application/json' });
            res.end(
              JSON.stringify({
                error: 'expired_token',
                error_description: 'The access token provided has expired',
              }),
            );
            return;
          }
        }
        const answer = await fetch(`${this.upstream}${path}`, {
          method: req.method ?? 'POST',
          headers: { 'content-type': String(req.headers['content-type'] ?? 'application/json') },
          ...(req.method === 'GET' ? {} : { body: Buffer.concat(chunks) }),
        });
        res.writeHead(answer.status, {
          'content-type': answer.headers.get('content-type') ?? 'application/json',
        });
        res.end(Buffer.from(await answer.arrayBuffer()));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server?.closeAllConnections();
      this.server?.close(() => resolve());
    });
  }
}

describe('webhook expired_token', () => {
  let emulator: RunningEmulator;
  let relay: ExpiringRelay;
  let webhookUrl: string;
  const dir = mkdtempSync(join(tmpdir(), 'tap-expired-token-'));
  before(async () => {
    emulator = await startEmulator({ seed: 4, scale: 20, plan: 'unlimited', timeScale: 50 });
    relay = new ExpiringRelay(emulator.baseUrl);
    webhookUrl = emulator.webhookUrl.replace(emulator.baseUrl, await relay.start());
  });
  after(async () => {
    await relay.close();
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('one expired_token is repeated after a pause and the call succeeds', async () => {
    relay.method = 'crm.deal.list';
    relay.expired = 1;
    relay.seen = 0;
    const client = new Bitrix24Client({ webhookUrl, plan: 'unlimited' });
    try {
      const t0 = performance.now();
      const answer = await client.call<unknown[]>('crm.deal.list', { start: 0 });
      assert.equal(answer.result.length, 20);
      assert.equal(relay.seen, 2, 'asked twice');
      assert.ok(performance.now() - t0 >= WEBHOOK_EXPIRED_TOKEN_PAUSE_MS * 0.9, 'after a pause');
    } finally {
      await client.close();
    }
  });

  it('two in a row fail the call with AuthError after exactly one repeat', async () => {
    relay.method = 'crm.lead.list';
    relay.expired = 2;
    relay.seen = 0;
    const client = new Bitrix24Client({ webhookUrl, plan: 'unlimited' });
    try {
      await assert.rejects(client.call('crm.lead.list', { start: 0 }), (error: unknown) => {
        assert.ok(error instanceof AuthError);
        assert.equal(error.code, 'expired_token');
        assert.equal(error.httpStatus, 401);
        return true;
      });
      assert.equal(relay.seen, 2);
    } finally {
      relay.expired = 0;
      await client.close();
    }
  });

  it('a stream whose list answers expired_token once still syncs', async () => {
    relay.method = 'crm.contact.list';
    relay.expired = 1;
    relay.seen = 0;
    const config = checkConfig({ webhook_url: webhookUrl, plan: 'unlimited' });
    const { summary } = await syncPortal({
      config,
      target: join(dir, 'contacts.duckdb'),
      only: ['contacts'],
      logger: quiet,
    });
    assert.equal(summary.ok, true, JSON.stringify(summary.streams));
    assert.equal(summary.streams[0]!.rows, 20);
    assert.ok(relay.seen >= 2, 'the expired answer was met and repeated');
    assert.equal(relay.expired, 0);
  });
});
