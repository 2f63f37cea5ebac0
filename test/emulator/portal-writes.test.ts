/** Writes over HTTP: add/update/delete move DATE_MODIFY to the portal clock and show up in lists at once. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { portalSummary } from '../../src/emulator/methods/index.js';
import { type Json, NOW, startPortal } from './portal-http.js';

type Obj = { [k: string]: Json };

describe('writes', () => {
  let portal: Awaited<ReturnType<typeof startPortal>>;
  const ok = async (method: string, params: Obj) => {
    const a = await portal.call(method, params);
    assert.equal(a.status, 200, JSON.stringify(a.body));
    return a.body;
  };
  before(async () => {
    portal = await startPortal(200);
  });
  after(() => portal.emu.close());

  it('crm.deal.add returns the new id, stamps DATE_CREATE/DATE_MODIFY and is listed', async () => {
    const before = portalSummary(portal.emu.portal!).deals;
    const id = (
      await ok('crm.deal.add', {
        fields: {
          TITLE: 'Größe 大 🚀',
          OPPORTUNITY: 1234.5,
          CATEGORY_ID: 2,
          PHONE: [{ VALUE: '+49 30 1234', VALUE_TYPE: 'WORK' }],
        },
      })
    ).result as number;
    assert.equal(typeof id, 'number');
    assert.equal(id, 201);
    const [row] = (
      await ok('crm.deal.list', {
        select: ['ID', 'TITLE', 'DATE_CREATE', 'DATE_MODIFY', 'CATEGORY_ID', 'OPPORTUNITY'],
        filter: { '>=DATE_MODIFY': new Date(NOW).toISOString() },
      })
    ).result as Obj[];
    assert.equal(row.ID, String(id));
    assert.equal(row.TITLE, 'Größe 大 🚀');
    assert.equal(row.CATEGORY_ID, '2');
    assert.equal(row.DATE_CREATE, row.DATE_MODIFY);
    assert.ok(Date.parse(String(row.DATE_MODIFY)) >= NOW - 1000);
    assert.equal(portalSummary(portal.emu.portal!).deals, before + 1);
    const inCategory = (await ok('crm.deal.list', { select: ['ID'], filter: { CATEGORY_ID: 2, '>ID': 200 } }))
      .result as Obj[];
    assert.deepEqual(
      inCategory.map((r) => r.ID),
      [String(id)],
    );
  });

  it('crm.contact.update moves DATE_MODIFY past every generated row and keeps DATE_CREATE', async () => {
    const [old] = (
      await ok('crm.contact.list', {
        select: ['ID', 'NAME', 'DATE_CREATE', 'DATE_MODIFY'],
        filter: { ID: 17 },
      })
    ).result as Obj[];
    assert.equal((await ok('crm.contact.update', { id: 17, fields: { NAME: 'Ærøskøbing' } })).result, true);
    const newest = (
      await ok('crm.contact.list', {
        select: ['ID', 'NAME', 'DATE_CREATE', 'DATE_MODIFY'],
        order: { DATE_MODIFY: 'DESC' },
      })
    ).result as Obj[];
    assert.equal(newest[0].ID, '17');
    assert.equal(newest[0].NAME, 'Ærøskøbing');
    assert.equal(newest[0].DATE_CREATE, old.DATE_CREATE);
    assert.ok(Date.parse(String(newest[0].DATE_MODIFY)) > Date.parse(String(old.DATE_MODIFY)));
  });

  it('crm.lead.delete removes the row from get and list', async () => {
    assert.equal((await ok('crm.lead.delete', { id: 3 })).result, true);
    const get = await portal.call('crm.lead.get', { id: 3 });
    assert.equal(get.status, 400);
    const rows = (await ok('crm.lead.list', { select: ['ID'], filter: { '<=ID': 4 } })).result as Obj[];
    assert.deepEqual(
      rows.map((r) => r.ID),
      ['1', '2', '4'],
    );
    assert.equal((await portal.call('crm.lead.delete', { id: 3 })).status, 400);
  });

  it('crm.item add/update/delete use the item wrapper and move updatedTime', async () => {
    const added = (
      await ok('crm.item.add', {
        entityTypeId: 130,
        fields: { title: 'Neuer Auftrag', opportunity: '99.5', ufCrm130_Integer: '7' },
      })
    ).result as { item: Obj };
    const id = added.item.id as number;
    assert.equal(added.item.opportunity, 99.5);
    assert.equal(added.item.ufCrm130_Integer, 7);
    const firstStamp = Date.parse(String(added.item.updatedTime));
    await new Promise((r) => setTimeout(r, 20));
    const updated = (await ok('crm.item.update', { entityTypeId: 130, id, fields: { title: 'Geändert' } }))
      .result as { item: Obj };
    assert.equal(updated.item.title, 'Geändert');
    assert.ok(Date.parse(String(updated.item.updatedTime)) > firstStamp);
    const listed = (
      (await ok('crm.item.list', { entityTypeId: 130, select: ['id', 'title'], filter: { '>id': id - 1 } }))
        .result as { items: Obj[] }
    ).items;
    assert.deepEqual(listed, [{ id, title: 'Geändert' }]);
    await ok('crm.item.delete', { entityTypeId: 130, id });
    assert.equal((await portal.call('crm.item.get', { entityTypeId: 130, id })).body.error, 'NOT_FOUND');
  });
});
