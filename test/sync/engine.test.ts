/**
 * The engine against a real client (over loopback to the emulator, for the portal clock), real
 * DuckDB files, and small hand-made streams whose pages are fixed, so every expectation is exact.
 */
import assert from 'node:assert/strict';

import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Bitrix24Client } from '../../src/client/index.js';
import { openDestination } from '../../src/destinations/index.js';
import { type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import type { ReadContext, RecordPage, Stream, StreamState } from '../../src/streams/stream.js';
import { runSync, type StreamSelection, type SyncProgress } from '../../src/sync/engine.js';
import { LAST_FULL_SCAN_KEY } from '../../src/sync/full-sync-cadence.js';
import { declarationFor } from '../fake-declaration.js';
import { tempDir } from '../temp-dir.js';

const OPTIONS = {
  extract_deal_contacts: false,
  enable_deal_comments: false,
  enable_deal_products: false,
  deal_category_ids: [],
  lookback_seconds: 0,
};
const quiet = { debug() {}, info() {}, warn() {} };
const SCHEMA = {
  type: 'object',
  properties: {
    ID: { type: 'integer' },
    NAME: { type: ['string', 'null'] },
    DATE_MODIFY: { type: ['string', 'null'], format: 'date-time' },
  },
} as const;

type Row = { ID: number; NAME: string; DATE_MODIFY: string };
const row = (id: number, name = `row ${id}`): Row => ({
  ID: id,
  NAME: name,
  DATE_MODIFY: `2025-01-01T00:00:${String(id % 60).padStart(2, '0')}Z`,
});

interface FakeStream extends Stream {
  contexts: ReadContext[];
}

/** Pages of rows, keyset-resumable via `resume.after`; `failAfterPages` throws after that many pages. */
function stream(
  name: string,
  pages: Row[][],
  opts: {
    failAfterPages?: number;
    method?: 'INCREMENTAL' | 'FULL_TABLE';
    onPage?: (n: number) => Promise<void>;
  } = {},
): FakeStream {
  const contexts: ReadContext[] = [];
  return {
    name,
    group: 'crm',
    description: name,
    keyProperties: ['ID'],
    ...(opts.method === 'FULL_TABLE'
      ? { forcedReplicationMethod: 'FULL_TABLE' }
      : { replicationKey: 'DATE_MODIFY' }),
    validReplicationKeys: ['DATE_MODIFY'],
    scopes: ['crm'],
    declaration: declarationFor(name),
    schema: SCHEMA as unknown as Stream['schema'],
    contexts,
    async *read(ctx: ReadContext): AsyncIterable<RecordPage> {
      contexts.push(ctx);
      const after = Number(ctx.state?.resume?.after ?? 0);
      let n = 0;
      for (const page of pages) {
        const rows = page.filter((r) => r.ID > after);
        if (rows.length === 0) continue;
        if (opts.failAfterPages !== undefined && n >= opts.failAfterPages)
          throw new Error(`${name} broke on purpose`);
        const last = rows[rows.length - 1]!;
        const state: StreamState = {
          replication_key: 'DATE_MODIFY',
          replication_key_value: last.DATE_MODIFY,
          resume: { after: last.ID },
        };
        yield { records: rows, state };
        n++;
        await opts.onPage?.(n);
      }
      yield {
        records: [],
        state: { replication_key: 'DATE_MODIFY', replication_key_value: '2025-01-02T00:00:00Z' },
      };
    },
  };
}

function selection(s: Stream, extra: Partial<StreamSelection> = {}): StreamSelection {
  const method = s.forcedReplicationMethod ?? 'INCREMENTAL';
  return {
    stream: s,
    replicationMethod: method,
    ...(method === 'INCREMENTAL' ? { replicationKey: 'DATE_MODIFY' } : {}),
    table: {
      stream: s.name,
      layer: 'bitrix24',
      folder: 'crm',
      table: s.name,
      keyProperties: ['ID'],
      schema: s.schema,
      replicationMethod: method,
      historyDays: 0,
    },
    ...extra,
  };
}

const ids = (n: number, from = 1) => Array.from({ length: n }, (_, i) => row(i + from));

describe('runSync', () => {
  let emulator: RunningEmulator;
  let client: Bitrix24Client;
  const dir = tempDir('tap-engine-');
  before(async () => {
    // A fast portal clock (1 real ms = 3.6 emulated s) so a full-sync cadence can come due between runs.
    emulator = await startEmulator({ methods: new Map(), plan: 'unlimited', timeScale: 3600 });
    client = new Bitrix24Client({ webhookUrl: emulator.webhookUrl, plan: 'unlimited' });
  });
  after(async () => {
    await client.close();
    await emulator.close();
  });

  it('commits each page before pulling the next, and finishes with the final state', async () => {
    const destination = await openDestination(join(dir, 'pages.duckdb'));
    const seen: number[] = [];
    const pages = [ids(3), ids(4, 4), ids(2, 8)];
    const deals = stream('deals', pages, {
      onPage: async () => {
        seen.push(await destination.countRows(selection(deals).table));
      },
    });
    const progress: SyncProgress[] = [];
    const summary = await runSync({
      client,
      selections: [selection(deals)],
      destination,
      options: OPTIONS,
      logger: quiet,
      commitEvery: { rows: 1 },
      onProgress: (p) => progress.push(p),
    });
    assert.deepEqual(seen, [3, 7, 9], 'rows of a page are durable when the stream is resumed');
    assert.equal(summary.ok, true);
    assert.deepEqual(
      summary.streams.map((s) => [s.stream, s.rows, s.status]),
      [['deals', 9, 'ok']],
    );
    assert.ok(summary.requests >= 1, 'server.time at least');
    assert.deepEqual([...new Set(progress.map((p) => p.phase))], ['waiting', 'running', 'done']);
    assert.equal(deals.contexts[0]!.runStartedAt.length > 0, true);
    const state = (await destination.loadState([selection(deals).table])).bookmarks.deals!;
    assert.equal(state.replication_key_value, '2025-01-02T00:00:00Z');
    assert.equal(state.resume, undefined);
    assert.equal(
      typeof state[LAST_FULL_SCAN_KEY],
      'string',
      'a first read from no bookmark counts as a full sync',
    );
    await destination.close();
  });

  it('reports progress on every page, before the rows are committed', async () => {
    const destination = await openDestination(join(dir, 'progress.duckdb'));
    const deals = stream('deals', [ids(2), ids(2, 3), ids(2, 5)]);
    const running: number[] = [];
    await runSync({
      client,
      selections: [selection(deals)],
      destination,
      options: OPTIONS,
      logger: quiet,
      commitEvery: { rows: 1000, ms: 60_000 },
      onProgress: (p) => {
        if (p.phase === 'running') running.push(p.rows);
      },
    });
    for (const rows of [2, 4, 6]) assert.ok(running.includes(rows), `progress at ${rows} rows: ${running}`);
    await destination.close();
  });

  it('reports rows read that only grow, while pages are read during slow commits', async () => {
    const destination = await openDestination(join(dir, 'growing.duckdb'));
    // Each commit takes a while, so the next pages are read and gathered while it runs.
    const begin = destination.begin.bind(destination);
    destination.begin = async (table, mode) => {
      const load = await begin(table, mode);
      const write = load.write.bind(load);
      load.write = async (batch) => {
        await new Promise((resolve) => setTimeout(resolve, 30));
        return write(batch);
      };
      return load;
    };
    const running: number[] = [];
    const summary = await runSync({
      client,
      selections: [
        selection(
          stream(
            'deals',
            Array.from({ length: 12 }, (_, p) => ids(2, p * 2 + 1)),
          ),
        ),
      ],
      destination,
      options: OPTIONS,
      logger: quiet,
      commitEvery: { rows: 1 },
      onProgress: (p) => {
        if (p.phase === 'running') running.push(p.rows);
      },
    });
    assert.equal(summary.streams[0]?.rows, 24);
    assert.ok(running.includes(24), `progress reached every row read: ${running}`);
    for (let i = 1; i < running.length; i++)
      assert.ok(running[i]! >= running[i - 1]!, `progress went back at ${i}: ${running}`);
    await destination.close();
  });

  it('gathers pages into one commit up to a number of values (rows x fields), not only rows', async () => {
    const destination = await openDestination(join(dir, 'values.duckdb'));
    // The load's writes, as the engine hands them over.
    const written: number[] = [];
    const begin = destination.begin.bind(destination);
    destination.begin = async (table, mode) => {
      const load = await begin(table, mode);
      const write = load.write.bind(load);
      load.write = (batch) => {
        if (batch.records.length > 0) written.push(batch.records.length);
        return write(batch);
      };
      return load;
    };
    // Ten pages of ten rows of three fields: 30 values a page.
    const pages = Array.from({ length: 10 }, (_, p) => ids(10, p * 10 + 1));
    const summary = await runSync({
      client,
      selections: [selection(stream('deals', pages))],
      destination,
      options: OPTIONS,
      logger: quiet,
      commitEvery: { rows: 1000, values: 60, ms: 60_000 },
    });
    assert.equal(summary.streams[0]?.rows, 100);
    assert.deepEqual(written, [20, 20, 20, 20, 20]);
    await destination.close();
  });

  it('counts the requests of each stream while streams run side by side', async () => {
    const destination = await openDestination(join(dir, 'tally.duckdb'));
    const calls = (n: number) => async () => {
      for (let i = 0; i < n; i++) await client.call('server.time');
    };
    // Interleaved on purpose: each page of one stream waits while the other's requests run.
    const busy = stream('deals', [ids(2), ids(2, 3)], { onPage: calls(3) });
    const light = stream('leads', [ids(1), ids(1, 2), ids(1, 3), ids(1, 4), ids(1, 5)], {
      onPage: calls(1),
    });
    const summary = await runSync({
      client,
      selections: [selection(busy), selection(light)],
      destination,
      options: OPTIONS,
      logger: quiet,
      concurrency: 2,
    });
    const requests = Object.fromEntries(summary.streams.map((s) => [s.stream, s.requests]));
    assert.deepEqual(requests, { deals: 6, leads: 5 });
    assert.equal(summary.requests, 6 + 5 + 1, 'plus the portal clock at the start');
    await destination.close();
  });

  it('a failing stream does not stop the others; the next run resumes it from its last page', async () => {
    const path = join(dir, 'resume.duckdb');
    let destination = await openDestination(path);
    const pages = [ids(5), ids(5, 6), ids(5, 11)];
    const broken = stream('leads', pages, { failAfterPages: 2 });
    const fine = stream('contacts', [ids(4)]);
    const first = await runSync({
      client,
      selections: [selection(broken), selection(fine)],
      destination,
      options: OPTIONS,
      logger: quiet,
      concurrency: 2,
    });
    assert.equal(first.ok, false);
    const [leads, contacts] = first.streams;
    assert.equal(leads!.status, 'failed');
    assert.match(leads!.error ?? '', /broke on purpose/);
    assert.equal(contacts!.status, 'ok');
    assert.equal(contacts!.rows, 4);
    assert.equal(await destination.countRows(selection(broken).table), 10);
    assert.deepEqual((await destination.loadState([selection(broken).table])).bookmarks.leads!.resume, {
      after: 10,
    });
    await destination.close();

    destination = await openDestination(path);
    const healed = stream('leads', pages);
    const second = await runSync({
      client,
      selections: [selection(healed)],
      destination,
      options: OPTIONS,
      logger: quiet,
    });
    assert.equal(second.ok, true);
    assert.deepEqual(
      healed.contexts[0]!.state?.resume,
      { after: 10 },
      'the saved checkpoint reaches the stream',
    );
    assert.equal(second.streams[0]!.rows, 5);
    assert.equal(await destination.countRows(selection(healed).table), 15);
    await destination.close();
  });

  it('an additional full sync reads with no state and marks missing keys deleted', async () => {
    const destination = await openDestination(join(dir, 'scan.duckdb'));
    await runSync({
      client,
      selections: [selection(stream('deals', [ids(6)]))],
      destination,
      options: OPTIONS,
      logger: quiet,
    });
    const gone = stream('deals', [[row(1), row(2), row(4), row(5, 'renamed'), row(6)]]);
    const summary = await runSync({
      client,
      selections: [selection(gone, { fullScan: true })],
      destination,
      options: OPTIONS,
      logger: quiet,
    });
    assert.equal(summary.streams[0]!.mode, 'full_scan');
    assert.equal(summary.streams[0]!.rowsMarkedDeleted, 1);
    assert.deepEqual(gone.contexts[0]!.fullScan, { keysOnly: false });
    assert.equal(gone.contexts[0]!.state, undefined);
    assert.equal(await destination.countRows(selection(gone).table), 5);
    await destination.close();
  });

  it('runs a due full sync by cadence, and not otherwise', async () => {
    const destination = await openDestination(join(dir, 'cadence.duckdb'));
    const first = await runSync({
      client,
      selections: [selection(stream('deals', [ids(3)]))],
      destination,
      options: OPTIONS,
      logger: quiet,
      fullSyncEveryDays: 1,
    });
    assert.equal(first.streams[0]!.mode, 'upsert');
    const second = await runSync({
      client,
      selections: [selection(stream('deals', [ids(3)]))],
      destination,
      options: OPTIONS,
      logger: quiet,
      fullSyncEveryDays: 1,
    });
    assert.equal(second.streams[0]!.mode, 'upsert', 'a whole read just happened');
    const third = await runSync({
      client,
      selections: [selection(stream('deals', [ids(2)]))],
      destination,
      options: OPTIONS,
      logger: quiet,
      fullSyncEveryDays: 1e-6,
    });
    assert.equal(third.streams[0]!.mode, 'full_scan');
    assert.equal(third.streams[0]!.rowsMarkedDeleted, 1);
    await destination.close();
  });

  it('FULL_TABLE replaces the table, so rows gone from the portal disappear', async () => {
    const destination = await openDestination(join(dir, 'replace.duckdb'));
    await runSync({
      client,
      selections: [selection(stream('status_list', [ids(5)], { method: 'FULL_TABLE' }))],
      destination,
      options: OPTIONS,
      logger: quiet,
    });
    const smaller = stream('status_list', [ids(3)], { method: 'FULL_TABLE' });
    const summary = await runSync({
      client,
      selections: [selection(smaller)],
      destination,
      options: OPTIONS,
      logger: quiet,
    });
    assert.equal(summary.streams[0]!.mode, 'replace');
    assert.equal(await destination.countRows(selection(smaller).table), 3);
    await destination.close();
  });

  it('runs at most `concurrency` streams at once', async () => {
    const destination = await openDestination(join(dir, 'pool.duckdb'));
    let running = 0;
    let peak = 0;
    const slow = (name: string) =>
      stream(name, [ids(2), ids(2, 3)], {
        onPage: async () => {
          running++;
          peak = Math.max(peak, running);
          await new Promise((r) => setTimeout(r, 30));
          running--;
        },
      });
    const selections = ['a', 'b', 'c', 'd', 'e'].map((n) => selection(slow(n)));
    const summary = await runSync({
      client,
      selections,
      destination,
      options: OPTIONS,
      logger: quiet,
      concurrency: 2,
    });
    assert.equal(summary.ok, true);
    assert.equal(peak, 2);
    assert.deepEqual(
      summary.streams.map((s) => s.rows),
      [4, 4, 4, 4, 4],
    );
    await destination.close();
  });

  it('runs streams of different list methods side by side before two of the same method', async () => {
    const destination = await openDestination(join(dir, 'methods.duckdb'));
    const running = new Set<string>();
    const together: string[][] = [];
    const tracked = (name: string) => {
      const s = stream(name, [ids(2), ids(2, 3)], {
        onPage: async (n) => {
          if (n === 1) running.add(name);
          together.push([...running].sort());
          await new Promise((r) => setTimeout(r, 40));
          if (n === 2) running.delete(name);
        },
      });
      return selection(s);
    };
    // deal and lead stage history share crm.stagehistory.list (and its operating budget).
    const names = ['deal_stage_history', 'lead_stage_history', 'deals', 'leads'];
    const summary = await runSync({
      client,
      selections: names.map(tracked),
      destination,
      options: OPTIONS,
      logger: quiet,
      concurrency: 2,
    });
    assert.equal(summary.ok, true);
    assert.deepEqual(
      summary.streams.map((s) => s.stream),
      names,
      'summary in selection order',
    );
    assert.ok(
      together.some((t) => t.length === 2),
      'two streams ran side by side',
    );
    assert.ok(
      !together.some((t) => t.includes('deal_stage_history') && t.includes('lead_stage_history')),
      `the two stage-history streams never overlapped: ${JSON.stringify(together)}`,
    );
    await destination.close();
  });

  it('an aborted run stops between pages and reports the stream failed', async () => {
    const destination = await openDestination(join(dir, 'abort.duckdb'));
    const controller = new AbortController();
    const s = stream('deals', [ids(2), ids(2, 3), ids(2, 5)], {
      onPage: async (n) => {
        if (n === 1) controller.abort();
      },
    });
    const summary = await runSync({
      client,
      selections: [selection(s)],
      destination,
      options: OPTIONS,
      logger: quiet,
      signal: controller.signal,
    });
    assert.equal(summary.ok, false);
    // The abort lands while page 2 is being read; page 2 is still written, page 3 never read.
    assert.equal(summary.streams[0]!.rows, 4);
    assert.equal(await destination.countRows(selection(s).table), 4);
    assert.match(summary.streams[0]!.error ?? '', /aborted/);
    await destination.close();
  });
});

describe('runSync commit batching', () => {
  it('gathers small pages into one commit, and still keeps read pages when the stream fails', async () => {
    const emulator = await startEmulator({ methods: new Map(), plan: 'unlimited' });
    const client = new Bitrix24Client({ webhookUrl: emulator.webhookUrl, plan: 'unlimited' });
    const dir = tempDir('tap-engine-batch-');
    try {
      const destination = await openDestination(join(dir, 'batch.duckdb'));
      const seen: number[] = [];
      const pages = [ids(3), ids(3, 4), ids(3, 7), ids(3, 10), ids(3, 13)];
      const deals = stream('deals', pages, {
        failAfterPages: 4,
        onPage: async () => {
          seen.push(await destination.countRows(selection(deals).table));
        },
      });
      const summary = await runSync({
        client,
        selections: [selection(deals)],
        destination,
        options: OPTIONS,
        logger: quiet,
        commitEvery: { rows: 6, ms: 60_000 },
      });
      assert.deepEqual(seen, [0, 6, 6, 12], 'a commit every 6 rows');
      assert.equal(summary.streams[0]!.status, 'failed');
      assert.equal(summary.streams[0]!.rows, 12);
      assert.equal(await destination.countRows(selection(deals).table), 12);
      assert.deepEqual((await destination.loadState([selection(deals).table])).bookmarks.deals!.resume, {
        after: 12,
      });
      await destination.close();
    } finally {
      await client.close();
      await emulator.close();
    }
  });
});
