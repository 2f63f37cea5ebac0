/**
 * Rows read ahead of their callers, across every list a process reads at once, are bounded
 * (`heldRows`), over real HTTP against the emulator: four lists read together by slow callers hold
 * fewer values on average under a low bound than without one, every row still comes once and in order,
 * windows count from their start (so lists starting together do not overshoot the bound), and what
 * was held is let go when a list ends or is left early.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Bitrix24Client } from '../../src/client/index.js';
import { heldRows } from '../../src/client/list/read-ahead.js';
import { type RunningEmulator, startEmulator } from '../../src/emulator/index.js';

const LISTS = ['crm.deal.list', 'crm.contact.list', 'crm.company.list', 'crm.lead.list'];

let emulator: RunningEmulator;

interface Together {
  meanHeld: number;
  /** The most values held at once, arrived and expected together. */
  peakInFlight: number;
  ids: Map<string, number[]>;
  /** Fields per row of each list. */
  widths: Map<string, number>;
}

/** Reads the four lists at once, each caller 5 ms a page; the values held meanwhile. */
async function readTogether(): Promise<Together> {
  const client = new Bitrix24Client({ webhookUrl: emulator.webhookUrl, plan: 'unlimited' });
  const samples: number[] = [];
  let peakInFlight = 0;
  const sampler = setInterval(() => {
    samples.push(heldRows.values);
    peakInFlight = Math.max(peakInFlight, heldRows.values + heldRows.reserved);
  }, 2);
  const ids = new Map<string, number[]>();
  const widths = new Map<string, number>();
  await Promise.all(
    LISTS.map(async (method) => {
      const read: number[] = [];
      for await (const rows of client.list(method, { select: ['*', 'UF_*'] })) {
        for (const row of rows) read.push(Number(row.ID));
        if (rows[0]) widths.set(method, Object.keys(rows[0]).length);
        await sleep(5);
      }
      ids.set(method, read);
    }),
  );
  clearInterval(sampler);
  await client.close();
  const meanHeld = samples.reduce((a, b) => a + b, 0) / Math.max(1, samples.length);
  return { meanHeld, peakInFlight, ids, widths };
}

describe('rows held ahead of their callers', () => {
  const limit = heldRows.limit;
  before(async () => {
    emulator = await startEmulator({ seed: 8, scale: 6000, plan: 'unlimited', timeScale: 1000 });
  });
  after(async () => {
    heldRows.limit = limit;
    await emulator.close();
  });

  it('stay under a low bound with four lists at once, every row once and in order', async () => {
    heldRows.limit = Number.POSITIVE_INFINITY;
    const free = await readTogether();
    assert.equal(heldRows.values, 0, 'nothing held once every list ended');
    heldRows.limit = 1;
    const bounded = await readTogether();
    assert.equal(heldRows.values, 0, 'nothing held once every list ended');
    for (const method of LISTS) {
      const truth = [...(emulator.truth()[method]?.visible ?? [])].sort((a, b) => a - b);
      assert.deepEqual(bounded.ids.get(method), truth, method);
      assert.deepEqual(free.ids.get(method), truth, method);
    }
    assert.ok(
      bounded.meanHeld < free.meanHeld * 0.85,
      `held ${Math.round(bounded.meanHeld)} values on average with a bound of 1, ${Math.round(free.meanHeld)} without`,
    );
    assert.equal(heldRows.reserved, 0, 'nothing expected once every list ended');
  });

  it('count a window from its start, so lists starting together stay within one window each', async () => {
    // Past the bound each list reads one window at a time, even in the first moments when no row
    // has arrived yet: at most a batch of rows (50 pages of 50) per list, however long the list.
    // Counted only as rows arrived, every list started all its windows at once (751,500 values
    // held here, against 311,000).
    heldRows.limit = 1;
    const { peakInFlight, widths } = await readTogether();
    const batchRows = 50 * 50 + 50;
    const rowsOf = (method: string) => emulator.truth()[method]?.visible.length ?? 0;
    const width = (method: string) => widths.get(method) ?? 0;
    const oneWindowEach = LISTS.reduce((sum, m) => sum + Math.min(rowsOf(m), batchRows) * width(m), 0);
    const everything = LISTS.reduce((sum, m) => sum + rowsOf(m) * width(m), 0);
    assert.ok(oneWindowEach < everything * 0.6, 'the lists are long enough to tell one window from all');
    assert.ok(peakInFlight > 0, 'values were held');
    assert.ok(
      peakInFlight <= oneWindowEach,
      `${peakInFlight} values held or expected at once; one window per list is ${oneWindowEach}`,
    );
  });

  it('are let go when a caller leaves a list early', async () => {
    heldRows.limit = limit;
    const client = new Bitrix24Client({ webhookUrl: emulator.webhookUrl, plan: 'unlimited' });
    for await (const rows of client.list('crm.deal.list', { select: ['*'] })) {
      assert.ok(rows.length > 0);
      break;
    }
    // Windows still in flight drop what arrives after the caller left.
    await sleep(500);
    await client.close();
    assert.equal(heldRows.values, 0);
  });
});
