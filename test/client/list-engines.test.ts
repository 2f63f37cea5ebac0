/**
 * Every list engine reads every row of a 5,000-deal portal exactly once over real HTTP: on a
 * still portal, while deals are added and changed between pages, and through injected faults.
 * The chained keyset read costs about rows / 2,500 + 3 requests.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Bitrix24Client, type ListOptions } from '../../src/client/index.js';
import { type RunningEmulator, startEmulator } from '../../src/emulator/index.js';

const ENGINES: NonNullable<ListOptions['engine']>[] = ['chained-keyset', 'keyset', 'offset'];
const FAULTS = '5xx=0.05,html=0.03,reset=0.03,malformed=0.03,truncated=0.03';

let emulator: RunningEmulator;

before(async () => {
  emulator = await startEmulator({ seed: 7, scale: 5000, plan: 'unlimited', timeScale: 200 });
});
after(async () => {
  await emulator.close();
});

function newClient(): Bitrix24Client {
  return new Bitrix24Client({ webhookUrl: emulator.webhookUrl, plan: 'unlimited', maxRetries: 8 });
}

/** How many deals the portal holds now, by the portal's own COUNT. */
async function dealCount(client: Bitrix24Client): Promise<number> {
  const answer = await client.call('crm.deal.list', { select: ['ID'], start: 0 });
  assert.equal(typeof answer.total, 'number');
  return answer.total as number;
}

/** Reads every deal; `between` runs after each page. Returns how often each ID was seen. */
async function readDeals(
  client: Bitrix24Client,
  engine: ListOptions['engine'],
  between?: (page: number, rows: Record<string, unknown>[]) => Promise<void>,
): Promise<Map<number, number>> {
  const seen = new Map<number, number>();
  let page = 0;
  const params = { select: ['ID', 'TITLE'], order: { ID: 'ASC' } };
  for await (const rows of client.list('crm.deal.list', params, { engine })) {
    for (const row of rows) seen.set(Number(row.ID), (seen.get(Number(row.ID)) ?? 0) + 1);
    page++;
    if (between) await between(page, rows);
  }
  return seen;
}

function assertExactlyOnce(seen: Map<number, number>, expected: number): void {
  const repeated = [...seen].filter(([, n]) => n !== 1).map(([id]) => id);
  assert.deepEqual(repeated, [], 'rows read more than once');
  assert.equal(seen.size, expected);
}

describe('list engines over a 5,000-deal portal', () => {
  for (const engine of ENGINES) {
    it(`${engine} reads every deal exactly once`, async () => {
      const client = newClient();
      const total = await dealCount(client);
      assert.ok(total >= 4500, `expected about 5,000 deals, got ${total}`);
      assertExactlyOnce(await readDeals(client, engine), total);
      await client.close();
    });

    it(`${engine} reads every deal exactly once while deals are added and changed`, async () => {
      const client = newClient();
      const writer = newClient();
      const initial = new Set((await readDeals(client, 'keyset')).keys());
      assert.equal(initial.size, await dealCount(client));
      const added: number[] = [];
      const seen = await readDeals(client, engine, async (page, rows) => {
        if (page % 8 !== 0) return;
        const created = await writer.write<number>('crm.deal.add', {
          fields: { TITLE: `added during ${engine} read` },
        });
        added.push(Number(created.result));
        // Change one row already read and one not read yet: neither may be lost or repeated.
        await writer.write('crm.deal.update', { id: rows[0].ID, fields: { TITLE: `changed ${page}` } });
        const ahead = await writer.call<Record<string, unknown>[]>('crm.deal.list', {
          select: ['ID'],
          order: { ID: 'ASC' },
          filter: { '>ID': Number(rows[rows.length - 1].ID) + 30 },
          start: -1,
        });
        if (ahead.result.length > 0) {
          await writer.write('crm.deal.update', {
            id: ahead.result[0].ID,
            fields: { TITLE: 'changed ahead' },
          });
        }
      });
      assert.ok(added.length > 0);
      const repeated = [...seen].filter(([, n]) => n !== 1).map(([id]) => id);
      assert.deepEqual(repeated, [], 'rows read more than once');
      for (const id of initial)
        assert.equal(seen.has(id), true, `deal ${id} present before the read was missed`);
      const addedSet = new Set(added);
      for (const id of seen.keys())
        assert.ok(initial.has(id) || addedSet.has(id), `deal ${id} came from nowhere`);
      // Deals added before the last page was fetched are read; one added after it cannot be.
      assert.ok(
        added.filter((id) => seen.has(id)).length >= added.length - 1,
        'deals added during the read were read',
      );
      await client.close();
      await writer.close();
    });
  }

  it('every engine reads every deal exactly once through 5xx, HTML, resets, malformed and truncated answers', async () => {
    const client = newClient();
    const total = await dealCount(client);
    emulator.control({ action: 'set_faults', spec: FAULTS });
    try {
      const reads = await Promise.all(ENGINES.map((engine) => readDeals(client, engine)));
      for (const seen of reads) assertExactlyOnce(seen, total);
      const faults = emulator.stats().faults;
      assert.ok(Object.values(faults).reduce((a, b) => a + b, 0) > 0, 'faults were injected');
      assert.ok(client.stats().retries > 0);
    } finally {
      emulator.control({ action: 'set_faults', spec: '' });
      await client.close();
    }
  });

  it('a chained keyset read costs about rows / 2,500 + 3 requests', async () => {
    const client = newClient();
    const total = await dealCount(client);
    emulator.resetStats();
    const before = client.stats().requests;
    let rows = 0;
    const chained = { engine: 'chained-keyset' } as const;
    for await (const page of client.list('crm.deal.list', { select: ['ID'] }, chained)) rows += page.length;
    assert.equal(rows, total);
    const served = emulator.stats();
    // A window of 50 pages a batch, the largest ID asked before and after, and at most one more
    // batch where a window's last page fell short of its bottom ID.
    assert.ok(
      served.requests_total <= Math.ceil(total / 2500) + 3,
      `${served.requests_total} requests for ${total} rows`,
    );
    assert.equal(client.stats().requests - before, served.requests_total);
    await client.close();
  });

  it('crm.item.list chains through $result[pN][items][49][id] and resumes after startAfterId', async () => {
    const client = newClient();
    const types = await client.call<{ types: { entityTypeId: number }[] }>('crm.type.list', {});
    const params = { entityTypeId: types.result.types[0].entityTypeId, select: ['id', 'title'] };
    const counted = await client.call('crm.item.list', { ...params, start: 0 });
    const ids: number[] = [];
    for await (const page of client.list('crm.item.list', params))
      for (const row of page) ids.push(Number(row.id));
    assert.equal(new Set(ids).size, ids.length);
    assert.equal(ids.length, counted.total);
    assert.ok(ids.length > 50, 'more than one page');
    const resumeAt = ids[Math.floor(ids.length / 2)];
    const rest: number[] = [];
    for await (const page of client.list('crm.item.list', params, { startAfterId: resumeAt })) {
      for (const row of page) rest.push(Number(row.id));
    }
    assert.deepEqual(
      rest,
      ids.filter((id) => id > resumeAt),
    );
    await client.close();
  });

  it("keeps a caller's higher >ID filter instead of clobbering it", async () => {
    const client = newClient();
    const ids: number[] = [];
    const params = { select: ['ID'], filter: { '>ID': 4000 } };
    for await (const page of client.list('crm.deal.list', params, { startAfterId: 10 })) {
      for (const row of page) ids.push(Number(row.ID));
    }
    assert.ok(ids.length > 0);
    assert.ok(ids.every((id) => id > 4000));
    await client.close();
  });
});
