/**
 * A portal that bills whole batches to `batch` (a field report; the emulator's `batchBilling:
 * 'batch'`): the client recognises it from the answers and guards `batch` near the portal's hard
 * limit instead of the per-method threshold, which used to stop every read for most of a
 * ten-minute window although the portal allowed far more.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Bitrix24Client } from '../../src/client/index.js';
import { startEmulator } from '../../src/emulator/index.js';

async function readAllDeals(client: Bitrix24Client): Promise<number[]> {
  const ids: number[] = [];
  for await (const page of client.list('crm.deal.list', { select: ['*', 'UF_*'] }, { parallelism: 4 }))
    for (const row of page) ids.push(Number(row.ID));
  return ids;
}

describe('batch billing', () => {
  it('reads past the per-method threshold without waiting while the portal limit has room', async () => {
    const emulator = await startEmulator({
      seed: 6,
      scale: 5000,
      plan: 'unlimited',
      timeScale: 120,
      operatingLimit: 60,
      batchBilling: 'batch',
    });
    // Threshold 10 s, limit 60 s: two full reads bill about 42 s to `batch`. Guarding `batch` (or
    // every inner method, which carries the batch's total) at the threshold would stop here.
    const client = new Bitrix24Client({
      webhookUrl: emulator.webhookUrl,
      plan: 'unlimited',
      operatingTimeThreshold: 10,
      operatingLimit: 60,
    });
    try {
      for (let i = 0; i < 2; i++) {
        const ids = await readAllDeals(client);
        assert.equal(new Set(ids).size, ids.length);
        assert.ok(ids.length >= 4500);
      }
      const served = emulator.stats();
      assert.ok(served.operating_seconds.batch > 30, `batch billed ${served.operating_seconds.batch} s`);
      assert.equal(served.rejections.OPERATION_TIME_LIMIT ?? 0, 0);
      assert.equal(client.stats().operatingWaitMs, 0, 'no read waited for the operating budget');
    } finally {
      await client.close();
      await emulator.close();
    }
  });

  it('near the portal limit, concurrent windows wait for baskets to drop and are never refused', async () => {
    const emulator = await startEmulator({
      seed: 6,
      scale: 5000,
      plan: 'unlimited',
      timeScale: 120,
      operatingLimit: 30,
      batchBilling: 'batch',
    });
    const client = new Bitrix24Client({
      webhookUrl: emulator.webhookUrl,
      plan: 'unlimited',
      operatingLimit: 30,
    });
    try {
      const first = await readAllDeals(client);
      const second = await readAllDeals(client);
      assert.deepEqual(second, first);
      assert.equal(new Set(first).size, first.length);
      const served = emulator.stats();
      assert.ok(served.operating_seconds.batch > 30, 'the reads cost more than one budget');
      assert.equal(served.rejections.OPERATION_TIME_LIMIT ?? 0, 0, 'the portal never refused');
      assert.ok(client.stats().operatingWaitMs > 0, 'the client waited for baskets to drop');
    } finally {
      await client.close();
      await emulator.close();
    }
  });
});
