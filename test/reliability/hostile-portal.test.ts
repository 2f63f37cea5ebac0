/**
 * A malicious or broken portal cannot exhaust memory or loop forever. The peer here is a tiny
 * real HTTP server on 127.0.0.1 (not a mock of the client's HTTP layer) that answers what no
 * Bitrix24 would: a body without end, JSON nested 100,000 deep, list pages that never advance.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Bitrix24Client, Bitrix24Error, ConfigError } from '../../src/client/index.js';

type Handler = (method: string, body: Record<string, unknown>, res: ServerResponse) => void;

async function hostileServer(handler: Handler): Promise<{ server: Server; webhook: string }> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const method = decodeURIComponent(req.url!.split('/').pop()!.split('?')[0]!);
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString() || '{}');
      } catch {}
      handler(method, body, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { server, webhook: `http://127.0.0.1:${port}/rest/1/hostilecode123/` };
}

const json = (res: ServerResponse, value: unknown) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
};
const rowsFrom = (first: number, count: number, step = 1) =>
  Array.from({ length: count }, (_, i) => ({
    ID: String(first + i * step),
    TITLE: `row ${first + i * step}`,
  }));

describe('a hostile portal', () => {
  let server: Server;
  let webhook: string;
  let endlessBytes = 0;
  before(async () => {
    ({ server, webhook } = await hostileServer((method, body, res) => {
      if (method === 'huge.list') {
        // Streams 1 MiB chunks with no Content-Length, forever, until the peer hangs up.
        res.writeHead(200, { 'content-type': 'application/json' });
        const chunk = Buffer.alloc(1 << 20, 0x61);
        res.write('{"result":"');
        const pump = () => {
          while (!res.destroyed) {
            endlessBytes += chunk.length;
            if (!res.write(chunk)) {
              res.once('drain', pump);
              return;
            }
          }
        };
        pump();
        return;
      }
      if (method === 'deep.list') {
        const depth = 100_000;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(`{"result":${'['.repeat(depth)}${']'.repeat(depth)}}`);
        return;
      }
      if (method === 'crm.deal.list') {
        // Ignores the `>ID` filter: the same 50 rows on every page.
        return json(res, { result: rowsFrom(1, 50), total: 1_000_000 });
      }
      if (method === 'crm.lead.list') {
        // Pages overlap the rows already read (IDs go back below the `>ID` asked for).
        const filter = (body.filter ?? {}) as Record<string, unknown>;
        const after = Number(filter['>ID'] ?? 0);
        return json(res, { result: rowsFrom(Math.max(1, after - 10), 50) });
      }
      if (method === 'crm.contact.list') {
        // Honest keyset, but the list never ends: IDs keep growing.
        const filter = (body.filter ?? {}) as Record<string, unknown>;
        return json(res, { result: rowsFrom(Number(filter['>ID'] ?? 0) + 1, 50) });
      }
      if (method === 'batch') {
        // The chained engine: every page of the batch the same 50 rows.
        const cmd = (body.cmd ?? {}) as Record<string, string>;
        const result: Record<string, unknown> = {};
        for (const key of Object.keys(cmd)) result[key] = rowsFrom(1, 50);
        return json(res, {
          result: { result, result_error: [], result_total: {}, result_next: {}, result_time: {} },
        });
      }
      json(res, { result: 'ok' });
    }));
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const client = (extra: Record<string, unknown> = {}) =>
    new Bitrix24Client({ webhookUrl: webhook, plan: 'unlimited', maxRetries: 1, ...extra });

  it('an endless body is cut at the answer cap with ANSWER_TOO_LARGE, memory bounded', async () => {
    const c = client({ maxAnswerBytes: 16 * 1024 * 1024 });
    const heapBefore = process.memoryUsage().rss;
    try {
      await assert.rejects(
        c.call('huge.list'),
        (e: unknown) => e instanceof Bitrix24Error && e.code === 'ANSWER_TOO_LARGE' && !e.retryable,
      );
    } finally {
      await c.close();
    }
    assert.ok(endlessBytes >= 16 * 1024 * 1024, 'the server did send past the cap');
    const grown = process.memoryUsage().rss - heapBefore;
    assert.ok(grown < 200 * 1024 * 1024, `memory grew ${Math.round(grown / 1e6)} MB`);
  });

  it('the default cap is 64 MiB', async () => {
    const c = client();
    endlessBytes = 0;
    try {
      await assert.rejects(
        c.call('huge.list'),
        (e: unknown) => e instanceof Bitrix24Error && e.code === 'ANSWER_TOO_LARGE',
      );
    } finally {
      await c.close();
    }
    assert.ok(
      endlessBytes >= 64 * 1024 * 1024 && endlessBytes < 200 * 1024 * 1024,
      `${endlessBytes} bytes sent`,
    );
  });

  it('JSON nested 100,000 deep is refused with ANSWER_TOO_DEEP, not a stack overflow', async () => {
    const c = client();
    try {
      await assert.rejects(
        c.call('deep.list'),
        (e: unknown) => e instanceof Bitrix24Error && e.code === 'ANSWER_TOO_DEEP',
      );
    } finally {
      await c.close();
    }
  });

  for (const engine of ['keyset', 'chained-keyset'] as const) {
    it(`${engine}: pages repeating the same IDs stop with KEYSET_NOT_ADVANCING`, async () => {
      const c = client();
      let pages = 0;
      try {
        await assert.rejects(
          (async () => {
            for await (const _page of c.list('crm.deal.list', {}, { engine })) pages++;
          })(),
          (e: unknown) => e instanceof Bitrix24Error && e.code === 'KEYSET_NOT_ADVANCING',
        );
      } finally {
        await c.close();
      }
      // keyset hands each page on as it comes; chained windows hand on a window once complete.
      assert.equal(pages, engine === 'keyset' ? 1 : 0, 'no row handed on twice');
    });
  }

  it('keyset: pages that go back below the asked ID stop with KEYSET_NOT_ADVANCING', async () => {
    const c = client();
    const seen = new Set<string>();
    try {
      await assert.rejects(
        (async () => {
          for await (const page of c.list<{ ID: string }>('crm.lead.list', {}, { engine: 'keyset' }))
            for (const row of page) {
              assert.ok(!seen.has(row.ID), `row ${row.ID} handed on twice`);
              seen.add(row.ID);
            }
        })(),
        (e: unknown) => e instanceof Bitrix24Error && e.code === 'KEYSET_NOT_ADVANCING',
      );
    } finally {
      await c.close();
    }
  });

  it('an endless but advancing list streams in constant memory and stops when the run is aborted', async () => {
    const c = client();
    const stop = new AbortController();
    let rows = 0;
    const rssStart = process.memoryUsage().rss;
    try {
      await assert.rejects(
        (async () => {
          for await (const page of c.list(
            'crm.contact.list',
            {},
            { engine: 'keyset', signal: stop.signal },
          )) {
            rows += page.length;
            if (rows >= 20_000) stop.abort(new Error('stopped by the test'));
          }
        })(),
        /stopped by the test|abort/i,
      );
    } finally {
      await c.close();
    }
    assert.ok(rows >= 20_000 && rows < 20_100, `${rows} rows read before the stop`);
    assert.ok(process.memoryUsage().rss - rssStart < 100 * 1024 * 1024, 'pages are not accumulated');
  });

  it('a non-loopback http:// portal URL is refused before any request, with a clear error', () => {
    for (const url of [
      'http://example.bitrix24.com/rest/1/abcdef123456/',
      'http://10.0.0.5/rest/1/abcdef123456/',
    ]) {
      assert.throws(
        () => new Bitrix24Client({ webhookUrl: url }),
        (e: unknown) =>
          e instanceof ConfigError && /https/.test(e.message) && !e.message.includes('abcdef123456'),
      );
    }
    assert.throws(
      () =>
        new Bitrix24Client({
          oauth: {
            clientId: 'app.1',
            clientSecret: 'secret-xyz-123',
            portalUrl: 'http://portal.example.com',
          },
        }),
      (e: unknown) => e instanceof ConfigError && /https/.test(e.message),
    );
  });
});
