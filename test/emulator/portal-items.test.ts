/** crm.item.* on smart processes, stage history, per-deal children, duplicates, users by scope. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEmulator } from '../../src/emulator/index.js';
import { type Json, NOW, startPortal } from './portal-http.js';

type Obj = { [k: string]: Json };

describe('crm.item and children', () => {
  let portal: Awaited<ReturnType<typeof startPortal>>;
  const result = async (method: string, params: Obj) => {
    const a = await portal.call(method, params);
    assert.equal(a.status, 200, JSON.stringify(a.body));
    return a.body;
  };
  before(async () => {
    portal = await startPortal(300);
  });
  after(() => portal.emu.close());

  it('crm.item.list: camelCase, JSON numbers, items wrapper, >id keyset', async () => {
    const body = await result('crm.item.list', {
      entityTypeId: 128,
      select: ['id', 'title', 'updatedTime', 'opportunity'],
      filter: { '>id': 10 },
      order: { id: 'ASC' },
      start: -1,
    });
    const items = (body.result as { items: Obj[] }).items;
    assert.equal(items[0].id, 11);
    assert.equal(typeof items[0].opportunity, 'number');
    assert.deepEqual(Object.keys(items[0]).sort(), ['id', 'opportunity', 'title', 'updatedTime']);
    assert.equal(body.total, 0);
  });

  it('fm only with select *, UF names switch with useOriginalUfNames', async () => {
    const star = (await result('crm.item.get', { entityTypeId: 128, id: 5 })).result as { item: Obj };
    assert.ok(Array.isArray(star.item.fm));
    const listStar = (
      (await result('crm.item.list', { entityTypeId: 128, select: ['*'], filter: { id: 5 } })).result as {
        items: Obj[];
      }
    ).items;
    assert.ok('fm' in listStar[0] && 'ufCrm128_String' in listStar[0]);
    const plain = (
      (await result('crm.item.list', { entityTypeId: 128, filter: { id: 5 } })).result as { items: Obj[] }
    ).items;
    assert.ok(!('fm' in plain[0]));
    const original = (
      (await result('crm.item.list', { entityTypeId: 128, filter: { id: 5 }, useOriginalUfNames: 'Y' }))
        .result as { items: Obj[] }
    ).items;
    assert.ok('UF_CRM_128_STRING' in original[0] && !('ufCrm128_String' in original[0]));
  });

  it('nested filters with logic OR', async () => {
    const filter = { '0': { logic: 'OR', '0': { '<id': 3 }, '1': { '>id': 58 } } };
    const items = (
      (await result('crm.item.list', { entityTypeId: 130, select: ['id'], filter })).result as {
        items: Obj[];
      }
    ).items;
    assert.deepEqual(
      items.map((i) => i.id),
      [1, 2, 59, 60],
    );
  });

  it('crm.item errors: unknown filter field, bad direction, unknown type', async () => {
    const bad = await portal.call('crm.item.list', { entityTypeId: 128, filter: { nope: 1 } });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error, 'INVALID_ARG_VALUE');
    const dir = await portal.call('crm.item.list', { entityTypeId: 128, order: { id: 'UP' } });
    assert.equal(dir.body.error, 'INVALID_ARG_VALUE');
    const type = await portal.call('crm.item.list', { entityTypeId: 999 });
    assert.equal(type.body.error, 'NOT_FOUND');
  });

  it('stage history: ints, created row first, final stage matches the deal', async () => {
    const deal = (await result('crm.deal.get', { id: 9 })).result as Obj;
    const items = (
      (
        await result('crm.stagehistory.list', {
          entityTypeId: 2,
          filter: { OWNER_ID: 9 },
          order: { ID: 'ASC' },
        })
      ).result as { items: Obj[] }
    ).items;
    assert.ok(items.length >= 1 && items[0].TYPE_ID === 1);
    assert.equal(items[items.length - 1].STAGE_ID, deal.STAGE_ID);
    assert.equal(typeof items[0].OWNER_ID, 'number');
    const leads = (
      (await result('crm.stagehistory.list', { entityTypeId: 1, select: ['ID', 'STATUS_ID'] })).result as {
        items: Obj[];
      }
    ).items;
    assert.deepEqual(Object.keys(leads[0]).sort(), ['ID', 'STATUS_ID']);
    const spa = await result('crm.stagehistory.list', { entityTypeId: 128 });
    assert.ok((spa.total ?? 0) > 60);
    const unsupported = await portal.call('crm.stagehistory.list', { entityTypeId: 7 });
    assert.equal(unsupported.status, 400);
    assert.equal(unsupported.body.error, 0);
  });

  it('timeline comments need ENTITY_ID and ENTITY_TYPE; FILES keyed by id', async () => {
    const missing = await portal.call('crm.timeline.comment.list', { filter: { ENTITY_ID: 1 } });
    assert.equal(missing.status, 400);
    let withFiles: Obj | undefined;
    for (let deal = 1; deal < 300 && !withFiles; deal++) {
      const rows = (
        await result('crm.timeline.comment.list', { filter: { ENTITY_ID: deal, ENTITY_TYPE: 'deal' } })
      ).result as Obj[];
      for (const r of rows) assert.equal(r.ENTITY_ID, String(deal));
      withFiles = rows.find((r) => r.FILES && !Array.isArray(r.FILES));
    }
    assert.ok(withFiles);
    for (const [k, f] of Object.entries(withFiles.FILES as Obj)) assert.equal((f as Obj).id, Number(k));
  });

  it('product rows: legacy mixed typing and the modern list agree', async () => {
    const legacy = (await result('crm.deal.productrows.get', { id: 4 })).result as Obj[];
    const modern = (
      (await result('crm.item.productrow.list', { filter: { '=ownerType': 'D', '=ownerId': 4 } })).result as {
        productRows: Obj[];
      }
    ).productRows;
    assert.equal(modern.length, legacy.length);
    for (const [i, l] of legacy.entries()) {
      assert.equal(typeof l.ID, 'string');
      assert.equal(typeof l.PRICE, 'number');
      assert.equal(modern[i].id, Number(l.ID));
      assert.equal(modern[i].ownerId, 4);
    }
    const many = (
      (await result('crm.item.productrow.list', { filter: { '=ownerType': 'D', '@ownerId': [4, 5, 6] } }))
        .result as { productRows: Obj[] }
    ).productRows;
    assert.ok(many.every((r) => [4, 5, 6].includes(Number(r.ownerId))) && many.length >= modern.length);
  });

  it('deal contacts: primary first, ints', async () => {
    for (let id = 1; id < 50; id++) {
      const deal = (await result('crm.deal.get', { id })).result as Obj;
      const items = (await result('crm.deal.contact.items.get', { id })).result as Obj[];
      if (deal.CONTACT_ID === '0') assert.deepEqual(items, []);
      else
        assert.deepEqual(items[0], {
          CONTACT_ID: Number(deal.CONTACT_ID),
          SORT: 10,
          ROLE_ID: 0,
          IS_PRIMARY: 'Y',
        });
    }
  });

  it('crm.duplicate.findbycomm finds contacts by e-mail and phone', async () => {
    const [c] = (
      await result('crm.contact.list', {
        select: ['ID', 'EMAIL', 'PHONE'],
        filter: { '>ID': 0 },
        order: { ID: 'ASC' },
        start: -1,
      })
    ).result as Obj[];
    const rows = (
      await result('crm.contact.list', { select: ['ID', 'EMAIL', 'PHONE'], filter: { '>ID': 0 } })
    ).result as Obj[];
    const withEmail = rows.find((r) => (r.EMAIL as Obj[]).length) ?? c;
    const email = (withEmail.EMAIL as Obj[])[0].VALUE as string;
    const found = (
      await result('crm.duplicate.findbycomm', {
        entity_type: 'CONTACT',
        type: 'EMAIL',
        values: [email.toUpperCase()],
      })
    ).result as Obj;
    assert.ok((found.CONTACT as number[]).includes(Number(withEmail.ID)));
    const none = (await result('crm.duplicate.findbycomm', { type: 'PHONE', values: ['+0000'] })).result;
    assert.deepEqual(none, []);
  });

  it('user.get returns only the fields of the granted user scope', async () => {
    const full = (await result('user.get', {})).result as Obj[];
    assert.ok('EMAIL' in full[0] && full[0].ACTIVE === true && Array.isArray(full[0].UF_DEPARTMENT));
    const brief = await startEmulator({
      seed: 7,
      scale: 50,
      plan: 'unlimited',
      timeScale: 1000,
      now: NOW,
      scopes: ['user_brief'],
    });
    try {
      const res = await fetch(`${brief.webhookUrl}user.get`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      const rows = ((await res.json()) as { result: Obj[] }).result;
      assert.ok(rows.length > 0 && 'NAME' in rows[0] && !('EMAIL' in rows[0]) && !('WORK_PHONE' in rows[0]));
    } finally {
      await brief.close();
    }
  });
});
