/**
 * Every list engine reads every row a portal shows, on a portal whose pages come back short
 * mid-list (user.get capped at 25 rows a page, rows hidden by access rights after the LIMIT) and
 * whose unresolved batch references are cast as PHP casts text: over real HTTP, each row once,
 * and no batch command past a list's end answers rows.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Bitrix24Client, type ListOptions } from '../../src/client/index.js';
import { type RunningEmulator, startEmulator } from '../../src/emulator/index.js';

const ENGINES: NonNullable<ListOptions['engine']>[] = ['auto', 'chained-keyset', 'keyset', 'offset'];

let emulator: RunningEmulator;
before(async () => {
  emulator = await startEmulator({
    seed: 23,
    scale: 3000,
    plan: 'unlimited',
    timeScale: 1000,
    variants: ['short-pages', 'literal-refs'],
  });
});
after(async () => {
  await emulator.close();
});

async function readIds(method: string, params: Record<string, unknown>, options: ListOptions) {
  const client = new Bitrix24Client({ webhookUrl: emulator.webhookUrl, plan: 'unlimited' });
  const ids: number[] = [];
  try {
    for await (const page of client.list(method, params, options))
      for (const row of page) ids.push(Number(row.ID ?? row.id));
  } finally {
    await client.close();
  }
  return ids;
}

describe('lists with short pages mid-list', () => {
  for (const engine of ENGINES) {
    it(`${engine} reads every visible deal, user and smart-process item once`, async () => {
      const truth = emulator.truth();
      emulator.resetStats();
      const cases = [
        ['crm.deal.list', { select: ['ID'] }, 'crm.deal.list'],
        ['user.get', { ADMIN_MODE: true }, 'user.get'],
        ['crm.item.list', { entityTypeId: 128, select: ['id'] }, 'crm.item.list:128'],
      ] as const;
      for (const [method, params, key] of cases) {
        const ids = await readIds(method, params, { engine });
        const sorted = [...ids].sort((a, b) => a - b);
        assert.deepEqual(sorted, truth[key].visible, `${method} by ${engine}`);
        assert.ok(truth[key].hidden_count > 0, `${key} has hidden rows`);
        if (engine !== 'offset') assert.deepEqual(ids, sorted, 'keyset reads hand rows on in ID order');
      }
      assert.equal(emulator.stats().past_end_commands_with_rows, 0);
    });
  }

  it('a resumed read starts after the resume point and still reads every visible row after it', async () => {
    const visible = emulator.truth()['crm.deal.list'].visible;
    const resumeAt = visible[Math.floor(visible.length / 2)];
    const ids = await readIds('crm.deal.list', { select: ['ID'] }, { startAfterId: resumeAt });
    assert.deepEqual(
      ids,
      visible.filter((id) => id > resumeAt),
    );
  });
});
