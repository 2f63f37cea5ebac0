/** Write helpers for apps, over real HTTP: lead from a sign-up, deal from an order, update, delete, find by phone. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  Bitrix24Client,
  createDeal,
  createLead,
  deleteEntity,
  findContactsByPhone,
  NotFoundError,
  updateEntity,
} from '../../src/client/index.js';
import { type RunningEmulator, startEmulator } from '../../src/emulator/index.js';

let emulator: RunningEmulator;
let client: Bitrix24Client;

before(async () => {
  emulator = await startEmulator({ seed: 41, scale: 200, plan: 'unlimited', timeScale: 100 });
  client = new Bitrix24Client({ webhookUrl: emulator.webhookUrl, plan: 'unlimited' });
});
after(async () => {
  await client.close();
  await emulator.close();
});

describe('writes', () => {
  it('creates a lead from a sign-up and reads it back', async () => {
    const id = await createLead(client, {
      TITLE: 'Sign-up: Анна',
      NAME: 'Анна',
      PHONE: [{ VALUE: '+49 30 1234567', VALUE_TYPE: 'WORK' }],
      EMAIL: [{ VALUE: 'anna@example.com', VALUE_TYPE: 'WORK' }],
    });
    assert.ok(id > 0);
    const lead = await client.call<Record<string, unknown>>('crm.lead.get', { id });
    assert.equal(lead.result.TITLE, 'Sign-up: Анна');
  });

  it('creates a deal from an order, updates it, deletes it', async () => {
    const id = await createDeal(client, { TITLE: 'Order #1001', OPPORTUNITY: 99.9, CURRENCY_ID: 'EUR' });
    assert.ok(await updateEntity(client, 'deal', id, { TITLE: 'Order #1001 (paid)' }));
    const deal = await client.call<Record<string, unknown>>('crm.deal.get', { id });
    assert.equal(deal.result.TITLE, 'Order #1001 (paid)');
    assert.ok(await deleteEntity(client, 'deal', id));
    await assert.rejects(client.call('crm.deal.get', { id }), NotFoundError);
  });

  it('finds a contact by phone however the number is written', async () => {
    const created = await client.write<number>('crm.contact.add', {
      fields: {
        NAME: 'Phone',
        LAST_NAME: 'Owner',
        PHONE: [{ VALUE: '+7 (912) 345-67-89', VALUE_TYPE: 'WORK' }],
      },
    });
    const id = Number(created.result);
    const found = await findContactsByPhone(client, '+79123456789');
    assert.ok(found.includes(id), `contact ${id} among ${JSON.stringify(found)}`);
    assert.deepEqual(await findContactsByPhone(client, '+1 555 000 0000 999'), []);
  });

  it('a failed write is not repeated blindly', async () => {
    emulator.control({ action: 'set_faults', spec: '5xx=1' });
    emulator.resetStats();
    try {
      await assert.rejects(createLead(client, { TITLE: 'never twice' }));
      assert.equal(emulator.stats().requests_total, 1);
    } finally {
      emulator.control({ action: 'set_faults', spec: '' });
    }
  });
});
