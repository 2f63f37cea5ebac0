/**
 * The client against the portal's limits, over real HTTP: the request bucket (503
 * QUERY_LIMIT_EXCEEDED) and the per-method operating budget (429 OPERATION_TIME_LIMIT), with the
 * emulator's clock accelerated so limits bind within seconds.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Bitrix24Client, type ClientLogger } from '../../src/client/index.js';
import { startEmulator } from '../../src/emulator/index.js';

describe('request bucket', () => {
  it('a burst of 200 concurrent calls on the standard plan all succeed', async () => {
    const emulator = await startEmulator({ seed: 3, scale: 200, plan: 'standard', timeScale: 15 });
    // The client's own bucket runs in real seconds (200 calls would take 75 s); leaving it open
    // makes the portal refuse most of the burst, so the 503 path is what is tested here. The
    // portal drains 30 requests a real second: the burst cannot spread out enough to dodge it.
    const client = new Bitrix24Client({ webhookUrl: emulator.webhookUrl, plan: 'unlimited' });
    try {
      const answers = await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          client.call('crm.deal.list', { select: ['ID'], filter: { '>ID': i }, start: -1 }),
        ),
      );
      assert.equal(answers.length, 200);
      for (const answer of answers) assert.ok(Array.isArray(answer.result));
      assert.ok(
        (emulator.stats().rejections.QUERY_LIMIT_EXCEEDED ?? 0) > 0,
        `the portal refused part of the burst: ${JSON.stringify(emulator.stats().rejections)}`,
      );
      assert.ok(client.stats().retries > 0);
    } finally {
      await client.close();
      await emulator.close();
    }
  });

  it("the client's standard bucket keeps a burst under the portal's limit", async () => {
    const emulator = await startEmulator({ seed: 3, scale: 200, plan: 'standard', timeScale: 1 });
    const client = new Bitrix24Client({ webhookUrl: emulator.webhookUrl, plan: 'standard' });
    try {
      await Promise.all(Array.from({ length: 54 }, () => client.call('server.time')));
      assert.equal(emulator.stats().rejections.QUERY_LIMIT_EXCEEDED ?? 0, 0);
      assert.ok(client.stats().bucketWaitMs > 0, 'calls beyond the burst waited for the bucket');
    } finally {
      await client.close();
      await emulator.close();
    }
  });
});

describe('operating budget', () => {
  it('a 429 on one method parks only that method while another goes on', async () => {
    const emulator = await startEmulator({
      seed: 5,
      scale: 3000,
      plan: 'unlimited',
      timeScale: 300,
      operatingLimit: 3,
    });
    const events: string[] = [];
    const logger: ClientLogger = {
      debug: () => {},
      info: () => {},
      warn: (msg, fields) => {
        if (msg.includes('operating time limit')) events.push(`park:${String(fields?.method)}`);
      },
      error: () => {},
    };
    // A threshold above the portal's limit: the client learns the limit from the 429 itself.
    const client = new Bitrix24Client({
      webhookUrl: emulator.webhookUrl,
      plan: 'unlimited',
      operatingTimeThreshold: 1000,
      logger,
    });
    try {
      let heavyDone = false;
      const heavy = (async () => {
        // Offset pages make the portal COUNT every row: expensive, so the budget runs out fast.
        for (let i = 0; i < 40; i++) {
          await client.call('crm.deal.list', { select: ['ID', 'TITLE'], start: i * 50 });
          events.push('deal');
        }
        heavyDone = true;
      })();
      const light = (async () => {
        while (!heavyDone) {
          await client.call('crm.status.list', {});
          events.push('status');
          // Light enough to stay within its own budget: only the heavy method may be refused.
          await new Promise((resolve) => setTimeout(resolve, 150));
        }
      })();
      await Promise.all([heavy, light]);
      const firstPark = events.indexOf('park:crm.deal.list');
      assert.ok(firstPark >= 0, 'crm.deal.list hit its operating limit');
      const nextDeal = events.indexOf('deal', firstPark);
      assert.ok(nextDeal > firstPark, 'crm.deal.list went on after its reset');
      const statusWhileParked = events.slice(firstPark, nextDeal).filter((e) => e === 'status').length;
      assert.ok(statusWhileParked > 0, 'crm.status.list kept running while crm.deal.list was parked');
      assert.ok(!events.includes('park:crm.status.list'));
      assert.ok(client.stats().operatingWaitMs > 0);
    } finally {
      await client.close();
      await emulator.close();
    }
  });

  it('slows a method down before its budget runs out, so the portal never refuses it', async () => {
    const emulator = await startEmulator({
      seed: 5,
      scale: 3000,
      plan: 'unlimited',
      timeScale: 300,
      operatingLimit: 4,
    });
    const client = new Bitrix24Client({
      webhookUrl: emulator.webhookUrl,
      plan: 'unlimited',
      operatingTimeThreshold: 2,
      operatingLimit: 4,
    });
    try {
      for (let i = 0; i < 30; i++)
        await client.call('crm.deal.list', { select: ['ID', 'TITLE'], start: i * 50 });
      assert.equal(emulator.stats().rejections.OPERATION_TIME_LIMIT ?? 0, 0);
      assert.ok(client.stats().operatingWaitMs > 0, 'the client waited for the budget');
      assert.ok(
        emulator.stats().operating_seconds['crm.deal.list'] > 2,
        'the calls cost more than one budget',
      );
    } finally {
      await client.close();
      await emulator.close();
    }
  });

  it('when the portal bills a batch to `batch`, a chained read waits out that budget and still reads every row once', async () => {
    const emulator = await startEmulator({
      seed: 6,
      scale: 5000,
      plan: 'unlimited',
      timeScale: 600,
      operatingLimit: 6,
      batchBilling: 'batch',
    });
    const client = new Bitrix24Client({ webhookUrl: emulator.webhookUrl, plan: 'unlimited' });
    try {
      const ids = new Set<number>();
      let rows = 0;
      for await (const page of client.list('crm.deal.list', { select: ['ID'] })) {
        rows += page.length;
        for (const row of page) ids.add(Number(row.ID));
      }
      const counted = await client.call('crm.deal.list', { select: ['ID'], start: 0 });
      assert.equal(rows, counted.total);
      assert.equal(ids.size, rows);
      assert.ok(emulator.stats().operating_seconds.batch > 6, 'the read cost more than one budget');
      assert.ok(client.stats().operatingWaitMs > 0);
    } finally {
      await client.close();
      await emulator.close();
    }
  });
});
