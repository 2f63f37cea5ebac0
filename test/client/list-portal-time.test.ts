/**
 * No portal time wasted by the windowed list reader, over real HTTP against the emulator: on a
 * list without gaps in its IDs, every command served by the portal reads rows nobody read before,
 * except the one empty question after the last window (rows added during the read), which a
 * `snapshot` read (the sync's) does not ask. The top page
 * that finds the largest ID is kept as data, and window tops lie whole pages apart, so no page
 * crosses into the window below. Holds under both readings of an unresolved `$result[...]`
 * reference, and the rows are exactly the portal's.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Bitrix24Client } from '../../src/client/index.js';
import { type Params, type RunningEmulator, startEmulator } from '../../src/emulator/index.js';

/** Every crm.deal.list command the portal ran: the IDs it answered, in order. */
function recordDealPages(emulator: RunningEmulator): number[][] {
  const pages: number[][] = [];
  const method = emulator.methods.get('crm.deal.list');
  assert.ok(method, 'the emulator serves crm.deal.list');
  emulator.methods.set('crm.deal.list', {
    ...method,
    handle: (params: Params, ctx) => {
      const outcome = method.handle(params, ctx);
      const rows = Array.isArray(outcome.result) ? (outcome.result as Record<string, unknown>[]) : [];
      pages.push(rows.map((row) => Number(row.ID)));
      return outcome;
    },
  });
  return pages;
}

for (const variant of ['', 'literal-refs']) {
  describe(`list reads without wasted commands${variant ? ` (${variant})` : ''}`, () => {
    let emulator: RunningEmulator;
    let pages: number[][];
    before(async () => {
      emulator = await startEmulator({
        seed: 5,
        scale: 3000,
        plan: 'unlimited',
        timeScale: 500,
        ...(variant ? { variants: variant } : {}),
      });
      pages = recordDealPages(emulator);
    });
    after(() => emulator.close());

    it('reads each deal in one command of a page, plus one empty question at the end', async () => {
      const truth = [...(emulator.truth()['crm.deal.list']?.visible ?? [])].sort((a, b) => a - b);
      // The premise: the emulated deal IDs have no gaps, so whole pages fit every window.
      assert.equal(truth.at(-1), truth.length, 'deal IDs run from 1 without gaps');
      const client = new Bitrix24Client({ webhookUrl: emulator.webhookUrl, plan: 'unlimited' });
      const read: number[] = [];
      for await (const rows of client.list('crm.deal.list', { select: ['*', 'UF_*'] }))
        for (const row of rows) read.push(Number(row.ID));
      await client.close();

      assert.deepEqual(read, truth, 'every deal once, in ID order');
      const served = pages.flat();
      assert.equal(new Set(served).size, served.length, 'no deal was served twice');
      const empty = pages.filter((ids) => ids.length === 0).length;
      assert.equal(empty, 1, 'one empty command: the question for rows added during the read');
      assert.equal(pages.length, Math.ceil(truth.length / 50) + 1);
    });

    it('asks no question past the list in a snapshot read, and leaves rows added meanwhile', async () => {
      pages.length = 0;
      const truth = [...(emulator.truth()['crm.deal.list']?.visible ?? [])].sort((a, b) => a - b);
      const client = new Bitrix24Client({ webhookUrl: emulator.webhookUrl, plan: 'unlimited' });
      const read: number[] = [];
      let added = false;
      for await (const rows of client.list('crm.deal.list', { select: ['ID'] }, { snapshot: true })) {
        for (const row of rows) read.push(Number(row.ID));
        if (!added) {
          // A deal created after the top page was read: above the list's end as the read saw it.
          await client.call('crm.deal.add', { fields: { TITLE: 'added during the read' } });
          added = true;
        }
      }
      await client.close();
      assert.deepEqual(read, truth, 'every deal of the list as it stood, once, in ID order');
      assert.equal(pages.filter((ids) => ids.length === 0).length, 0, 'no empty command');
      assert.equal(pages.length, Math.ceil(truth.length / 50));
    });
  });
}
