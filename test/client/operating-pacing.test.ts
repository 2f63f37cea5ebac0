/**
 * Past the user's `operatingTimeThreshold` a method is paced, not stopped: its calls are spread
 * so the budget is spent about as fast as the portal refills it (the limit per ten minutes),
 * instead of the method waiting for its oldest basket (up to ten minutes) as soon as it crosses
 * the line.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Bitrix24Client } from '../../src/client/index.js';
import { startEmulator } from '../../src/emulator/index.js';

describe('operating pacing', () => {
  it('spreads calls past the threshold and never lets the portal refuse them', async () => {
    const emulator = await startEmulator({
      seed: 5,
      scale: 3000,
      plan: 'unlimited',
      timeScale: 300,
      operatingLimit: 8,
    });
    const threshold = 4;
    const client = new Bitrix24Client({
      webhookUrl: emulator.webhookUrl,
      plan: 'unlimited',
      operatingTimeThreshold: threshold,
      operatingLimit: 8,
    });
    try {
      const starts: number[] = [];
      let cost = 0;
      for (let i = 0; i < 40; i++) {
        // Offset pages make the portal COUNT every row: each call bills a noticeable cost.
        const answer = await client.call('crm.deal.list', { select: ['ID', 'TITLE'], start: i * 50 });
        starts.push(answer.time?.start ?? 0);
        cost = Math.max(cost, answer.time?.processing ?? 0);
      }
      const served = emulator.stats();
      assert.equal(served.rejections.OPERATION_TIME_LIMIT ?? 0, 0);
      assert.ok(
        served.operating_seconds['crm.deal.list'] > threshold * 1.3,
        'the calls cost past the threshold',
      );
      assert.ok(client.stats().operatingWaitMs > 0, 'calls past the threshold were spaced out');
      const gaps = starts.slice(1).map((s, i) => s - starts[i]);
      // Paced: about cost × 600 / stop line apart (the limit less its 5 % margin); stopped: one
      // wait for the oldest basket.
      const paced = (cost * 600) / (8 * 0.95);
      assert.ok(Math.max(...gaps) < paced * 3, `longest gap ${Math.max(...gaps)} s, pace ${paced} s`);
      const spread = gaps.filter((g) => g > paced * 0.5).length;
      assert.ok(spread >= 5, `${spread} calls were spaced out`);
    } finally {
      await client.close();
      await emulator.close();
    }
  });
});
