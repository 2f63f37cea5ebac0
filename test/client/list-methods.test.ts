/**
 * The method table: every list method the streams use is read whole by the default engine, its
 * rows unwrapped (`items`, `types`) and paged the method's own way (`FILTER`/`SORT` for user.get
 * and voximplant, `START` for department.get, `PARAMS.limit/offset` for open lines), and the
 * row count matches the portal's own COUNT.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Bitrix24Client } from '../../src/client/index.js';
import { type RunningEmulator, startEmulator } from '../../src/emulator/index.js';

let emulator: RunningEmulator;
let client: Bitrix24Client;

before(async () => {
  emulator = await startEmulator({ seed: 9, scale: 600, plan: 'unlimited', timeScale: 200 });
  client = new Bitrix24Client({ webhookUrl: emulator.webhookUrl, plan: 'unlimited' });
});
after(async () => {
  await client.close();
  await emulator.close();
});

const METHODS: [string, Record<string, unknown>][] = [
  ['crm.contact.list', {}],
  ['crm.company.list', {}],
  ['crm.lead.list', {}],
  ['crm.activity.list', {}],
  ['crm.product.list', {}],
  ['crm.stagehistory.list', { entityTypeId: 2 }],
  ['user.get', {}],
  ['voximplant.statistic.get', {}],
  ['department.get', {}],
  ['crm.type.list', {}],
  ['crm.status.list', {}],
];

describe('list() knows each method', () => {
  for (const [method, params] of METHODS) {
    it(`${method} is read whole, each row once`, async () => {
      const counted = await client.call(method, { ...params, start: 0 });
      assert.equal(typeof counted.total, 'number');
      const ids: unknown[] = [];
      for await (const page of client.list(method, params))
        for (const row of page) ids.push(row.ID ?? row.id);
      assert.ok(ids.length > 0);
      assert.equal(ids.length, counted.total);
      assert.equal(new Set(ids).size, ids.length);
    });
  }

  it('imopenlines.config.list.get pages by PARAMS.limit/offset', async () => {
    const plain = await client.call<unknown[]>('imopenlines.config.list.get', { PARAMS: { limit: 200 } });
    const rows: unknown[] = [];
    for await (const page of client.list('imopenlines.config.list.get')) rows.push(...page);
    assert.ok(rows.length > 0);
    assert.deepEqual(rows, plain.result);
  });
});
