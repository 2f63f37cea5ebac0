/**
 * The `auto` list engine reads a list's ID space in ordered parallel keyset windows, over real
 * HTTP against the emulator: every row exactly once and in ID order (with gaps in the IDs, with
 * rows added and changed during the read, through faults, resumed after an ID), several windows
 * really in flight at once (counted by a loopback proxy in front of the emulator), and batches
 * sized to the rows left instead of always 50 commands.
 */
import assert from 'node:assert/strict';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Bitrix24Client, type ListOptions } from '../../src/client/index.js';
import { type RunningEmulator, startEmulator } from '../../src/emulator/index.js';

const FAULTS = '5xx=0.1,html=0.05,reset=0.05,malformed=0.05,truncated=0.05';

let emulator: RunningEmulator;
let proxy: Server;
let proxyUrl: string;
let inFlight = 0;
let maxInFlight = 0;

/** Forwards every request to the emulator and counts batch requests open at the same time. */
function startProxy(target: URL): Promise<Server> {
  const server = createServer((req, res) => {
    const isBatch = (req.url ?? '').includes('/batch');
    if (isBatch) maxInFlight = Math.max(maxInFlight, ++inFlight);
    const done = () => {
      if (isBatch) inFlight--;
    };
    const upstream = request(
      { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        answer.on('end', done);
      },
    );
    upstream.on('error', () => {
      done();
      res.destroy();
    });
    req.pipe(upstream);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

before(async () => {
  emulator = await startEmulator({ seed: 11, scale: 10000, plan: 'unlimited', timeScale: 200 });
  proxy = await startProxy(new URL(emulator.baseUrl));
  const { port } = proxy.address() as AddressInfo;
  proxyUrl = emulator.webhookUrl.replace(emulator.baseUrl, `http://127.0.0.1:${port}`);
});
after(async () => {
  await new Promise((resolve) => proxy.close(resolve));
  await emulator.close();
});

function newClient(webhookUrl = emulator.webhookUrl): Bitrix24Client {
  return new Bitrix24Client({ webhookUrl, plan: 'unlimited', maxRetries: 8 });
}

/** Every deal ID by a plain one-page-a-call keyset read (the reference). */
async function referenceIds(client: Bitrix24Client): Promise<number[]> {
  const ids: number[] = [];
  for await (const page of client.list('crm.deal.list', { select: ['ID'] }, { engine: 'keyset' }))
    for (const row of page) ids.push(Number(row.ID));
  return ids;
}

/** Reads deals with the auto engine; asserts strictly ascending IDs across pages. */
async function windowIds(
  client: Bitrix24Client,
  options: ListOptions = {},
  between?: (page: number, rows: Record<string, unknown>[]) => Promise<void>,
): Promise<number[]> {
  const ids: number[] = [];
  let page = 0;
  for await (const rows of client.list('crm.deal.list', { select: ['ID', 'TITLE'] }, options)) {
    for (const row of rows) {
      const id = Number(row.ID);
      assert.ok(ids.length === 0 || id > ids[ids.length - 1], `ID ${id} after ${ids[ids.length - 1]}`);
      ids.push(id);
    }
    page++;
    if (between) await between(page, rows);
  }
  return ids;
}

describe('ordered parallel keyset windows', () => {
  it('read every deal exactly once, in ID order, with 1 and 4 windows', async () => {
    const client = newClient();
    const expected = await referenceIds(client);
    assert.ok(expected.length > 9000);
    assert.deepEqual(await windowIds(client, { parallelism: 4 }), expected);
    assert.deepEqual(await windowIds(client, { parallelism: 1 }), expected);
    await client.close();
  });

  it('4 windows are in flight at once; 1 window never overlaps', async () => {
    const client = newClient(proxyUrl);
    maxInFlight = 0;
    await windowIds(client, { parallelism: 4 });
    assert.ok(maxInFlight >= 3, `at most ${maxInFlight} batches were open at once`);
    maxInFlight = 0;
    await windowIds(client, { parallelism: 1 });
    assert.equal(maxInFlight, 1);
    await client.close();
  });

  it('reads fewer windows ahead while the caller is slower than the reads', async () => {
    // Pages the portal served beyond those the caller took, at most, after the first 200 pages
    // (each window is about 50 pages; every page served but not taken is held in memory).
    const lead = async (perPage: () => Promise<void>) => {
      const client = newClient();
      emulator.resetStats();
      let pages = 0;
      let most = 0;
      for await (const _ of client.list('crm.activity.list', { select: ['ID'] }, { parallelism: 4 })) {
        if (++pages > 200) most = Math.max(most, emulator.stats().batch_commands - pages);
        await perPage();
      }
      await client.close();
      assert.ok(pages > 400, `${pages} pages`);
      return most;
    };
    // A caller that takes 5 ms a page (a database write, say) against a loopback emulator:
    // finished windows wait for it longer than they took to read, so about one is read ahead.
    const slow = await lead(() => new Promise((resolve) => setTimeout(resolve, 5)));
    assert.ok(slow <= 110, `${slow} pages read ahead of a slow caller`);
    // A caller that keeps up: the windows are read side by side all along.
    const fast = await lead(async () => {});
    assert.ok(fast >= 100, `only ${fast} pages read ahead of a fast caller`);
  });

  it('resumes after startAfterId with exactly the rest', async () => {
    const client = newClient();
    const expected = await referenceIds(client);
    const resumeAt = expected[Math.floor(expected.length / 3)];
    assert.deepEqual(
      await windowIds(client, { startAfterId: resumeAt }),
      expected.filter((id) => id > resumeAt),
    );
    await client.close();
  });

  it("keeps the caller's own ID bounds: the tighter of theirs and the window's", async () => {
    const client = newClient();
    const expected = await referenceIds(client);
    const lo = expected[1000];
    const hi = expected[7000];
    const ids: number[] = [];
    const params = { select: ['ID'], filter: { '>ID': lo, '<=ID': hi } };
    for await (const rows of client.list('crm.deal.list', params, { startAfterId: 10 }))
      for (const row of rows) ids.push(Number(row.ID));
    assert.deepEqual(
      ids,
      expected.filter((id) => id > lo && id <= hi),
    );
    await client.close();
  });

  it('reads every row once through faults', async () => {
    const client = newClient();
    const expected = await referenceIds(client);
    emulator.resetStats();
    emulator.control({ action: 'set_faults', spec: FAULTS });
    try {
      // A read is only a handful of requests: several reads make sure faults are met.
      for (let i = 0; i < 4; i++) assert.deepEqual(await windowIds(client, { parallelism: 4 }), expected);
      const faults = Object.values(emulator.stats().faults).reduce((a, b) => a + b, 0);
      assert.ok(faults > 0, 'faults were injected');
      assert.ok(client.stats().retries > 0, 'faults were met and retried');
    } finally {
      emulator.control({ action: 'set_faults', spec: '' });
      await client.close();
    }
  });

  it('reads rows added and changed during the read, none twice', async () => {
    const client = newClient();
    const writer = newClient();
    const initial = await referenceIds(client);
    const added: number[] = [];
    const seen = await windowIds(client, { parallelism: 4 }, async (page, rows) => {
      if (page % 10 !== 0) return;
      const created = await writer.write<number>('crm.deal.add', { fields: { TITLE: 'added during read' } });
      added.push(Number(created.result));
      await writer.write('crm.deal.update', { id: rows[0].ID, fields: { TITLE: `changed ${page}` } });
    });
    assert.ok(added.length > 0);
    const seenSet = new Set(seen);
    for (const id of initial) assert.ok(seenSet.has(id), `deal ${id} present before the read was missed`);
    // Added deals get IDs past the max ID found at the start: asking for the largest ID again
    // after the last window finds them (all but one added after the final page, at most).
    assert.ok(added.filter((id) => seenSet.has(id)).length >= added.length - 1);
    assert.equal(seenSet.size, seen.length);
    await client.close();
    await writer.close();
  });

  it('reads every row once across gaps in the ID space, and later windows follow the row density', async () => {
    const client = newClient();
    const before = await referenceIds(client);
    // Nine deals in ten removed: a hole of 2,000 IDs at the start, then every tenth kept.
    const doomed = before.filter((_id, i) => i < 2000 || i % 10 !== 0);
    for (let i = 0; i < doomed.length; i += 50) {
      const commands = Object.fromEntries(
        doomed.slice(i, i + 50).map((id, k) => [`d${k}`, { method: 'crm.deal.delete', params: { id } }]),
      );
      const answer = await client.batch(commands);
      assert.deepEqual(answer.errors, {});
    }
    const expected = await referenceIds(client);
    assert.equal(expected.length, before.length - doomed.length);
    assert.deepEqual(await windowIds(client, { parallelism: 4 }), expected);
    emulator.resetStats();
    assert.deepEqual(await windowIds(client, { parallelism: 1 }), expected);
    const served = emulator.stats();
    // Windows of a fixed 2,500 IDs would take one batch each; sparse rows make windows grow.
    const fixedWindows = Math.ceil(expected[expected.length - 1] / 2500);
    assert.ok(fixedWindows >= 4);
    assert.ok(
      served.batch_requests < fixedWindows,
      `${served.batch_requests} batches for ${expected.length} rows over ${fixedWindows} x 2,500 IDs`,
    );
    await client.close();
  });

  it('sizes batches to the rows left: a small list sends few commands', async () => {
    const client = newClient();
    // A list of about 700 rows: the caller's own `<=ID` bounds it.
    const params = { select: ['ID'], filter: { '<=ID': 700 } };
    let companies = 0;
    emulator.resetStats();
    for await (const rows of client.list('crm.company.list', params)) companies += rows.length;
    const windowed = emulator.stats().batch_commands;
    emulator.resetStats();
    let again = 0;
    for await (const rows of client.list('crm.company.list', params, { engine: 'chained-keyset' }))
      again += rows.length;
    const chained = emulator.stats().batch_commands;
    assert.equal(again, companies);
    assert.ok(companies > 100 && companies <= 700, `${companies} companies`);
    // The pages the rows need and one of slack per window (two windows share 700 IDs); nothing
    // is read past the caller's bound.
    assert.ok(windowed <= Math.ceil(companies / 50) + 2, `${windowed} commands for ${companies} rows`);
    assert.ok(chained <= Math.ceil(companies / 50) + 1, `${chained} commands for ${companies} rows`);
    await client.close();
  });
});
