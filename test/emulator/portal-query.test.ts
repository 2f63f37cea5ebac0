/** List semantics over HTTP: filters, order, select, paging, keyset reads, errors. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Json, startPortal } from './portal-http.js';

type Obj = { [k: string]: Json };
const ids = (rows: Json) => (rows as Obj[]).map((r) => Number(r.ID ?? r.id));

describe('list queries', () => {
  let portal: Awaited<ReturnType<typeof startPortal>>;
  const rows = async (method: string, params: Obj) => {
    const a = await portal.call(method, params);
    assert.equal(a.status, 200, JSON.stringify(a.body));
    return a.body.result as Obj[];
  };
  /** Every deal, read by keyset pages, as the reference the filters are checked against. */
  const all: Obj[] = [];
  before(async () => {
    portal = await startPortal(400);
    for (let last = 0; ; ) {
      const page = await rows('crm.deal.list', {
        select: ['ID', 'TITLE', 'OPPORTUNITY', 'DATE_MODIFY', 'CATEGORY_ID', 'STAGE_ID', 'ASSIGNED_BY_ID'],
        filter: { '>ID': last },
        order: { ID: 'ASC' },
        start: -1,
      });
      all.push(...page);
      if (page.length < 50) break;
      last = Number(page[page.length - 1].ID);
    }
  });
  after(() => portal.emu.close());

  it('keyset paging reads every row once, with total 0 and no next', async () => {
    assert.equal(all.length, 400);
    assert.deepEqual(
      ids(all),
      Array.from({ length: 400 }, (_, i) => i + 1),
    );
    const a = await portal.call('crm.deal.list', { filter: { '>ID': 100 }, order: { ID: 'ASC' }, start: -1 });
    assert.equal(a.body.total, 0);
    assert.equal('next' in a.body, false);
  });

  it('offset paging reports total and next, and the last page has no next', async () => {
    const first = await portal.call('crm.deal.list', { select: ['ID'] });
    assert.equal(first.body.total, 400);
    assert.equal(first.body.next, 50);
    assert.equal((first.body.result as Obj[]).length, 50);
    const last = await portal.call('crm.deal.list', { select: ['ID'], start: 350 });
    assert.equal('next' in last.body, false);
    assert.deepEqual(
      ids(last.body.result as Json),
      Array.from({ length: 50 }, (_, i) => 351 + i),
    );
  });

  it('an offset page costs far more server time than a keyset page', async () => {
    const offset = await portal.call('crm.deal.list', { select: ['ID', 'TITLE', 'DATE_MODIFY'], start: 0 });
    const keyset = await portal.call('crm.deal.list', {
      select: ['ID', 'TITLE', 'DATE_MODIFY'],
      filter: { '>ID': 0 },
      order: { ID: 'ASC' },
      start: -1,
    });
    const processing = (b: object) => (b as { time: { processing: number } }).time.processing;
    assert.ok(
      processing(offset.body) > processing(keyset.body),
      `${processing(offset.body)} vs ${processing(keyset.body)}`,
    );
  });

  it('comparison operators coerce numbers and datetimes', async () => {
    const pivot = all[123];
    const amount = Number(pivot.OPPORTUNITY);
    const cases: [Obj, (r: Obj) => boolean][] = [
      [{ '>OPPORTUNITY': String(amount) }, (r) => Number(r.OPPORTUNITY) > amount],
      [{ '>=OPPORTUNITY': amount }, (r) => Number(r.OPPORTUNITY) >= amount],
      [{ '<OPPORTUNITY': String(amount) }, (r) => Number(r.OPPORTUNITY) < amount],
      [{ '<=ID': '17' }, (r) => Number(r.ID) <= 17],
      [
        { '>=DATE_MODIFY': String(pivot.DATE_MODIFY) },
        (r) => Date.parse(String(r.DATE_MODIFY)) >= Date.parse(String(pivot.DATE_MODIFY)),
      ],
      [
        { '<DATE_MODIFY': String(pivot.DATE_MODIFY).slice(0, 10) },
        (r) =>
          Date.parse(String(r.DATE_MODIFY)) <
          Date.parse(`${String(pivot.DATE_MODIFY).slice(0, 10)}T00:00:00+03:00`),
      ],
      [{ CATEGORY_ID: '1' }, (r) => r.CATEGORY_ID === '1'],
      [{ '!CATEGORY_ID': 0 }, (r) => r.CATEGORY_ID !== '0'],
      [{ '!=STAGE_ID': 'NEW' }, (r) => r.STAGE_ID !== 'NEW'],
      [{ '@ASSIGNED_BY_ID': ['1', '2'] }, (r) => ['1', '2'].includes(String(r.ASSIGNED_BY_ID))],
      [{ '!@CATEGORY_ID': [0, 1] }, (r) => !['0', '1'].includes(String(r.CATEGORY_ID))],
      [{ '%TITLE': 'deal' }, (r) => String(r.TITLE).toLowerCase().includes('deal')],
      [{ '=%TITLE': 'Сделка%' }, (r) => String(r.TITLE).startsWith('Сделка')],
      [{ '!%TITLE': 'Deal' }, (r) => !String(r.TITLE).toLowerCase().includes('deal')],
    ];
    for (const [filter, pred] of cases) {
      const want = all.filter(pred).map((r) => Number(r.ID));
      const got: number[] = [];
      for (let start = 0; ; start += 50) {
        const a = await portal.call('crm.deal.list', { select: ['ID'], filter, start });
        got.push(...ids(a.body.result as Json));
        assert.equal(a.body.total, want.length, JSON.stringify(filter));
        if (a.body.next === undefined) break;
      }
      assert.deepEqual(got, want, JSON.stringify(filter));
      assert.ok(want.length > 0 && want.length < 400, `${JSON.stringify(filter)} selects a proper subset`);
    }
  });

  it('orders by any field, direction case-insensitive, ties by ID', async () => {
    const got = await rows('crm.deal.list', {
      select: ['ID', 'OPPORTUNITY'],
      order: { OPPORTUNITY: 'desc' },
    });
    const want = [...all]
      .sort((a, b) => Number(b.OPPORTUNITY) - Number(a.OPPORTUNITY) || Number(a.ID) - Number(b.ID))
      .slice(0, 50);
    assert.deepEqual(ids(got), ids(want));
    const desc = await rows('crm.deal.list', { select: ['ID'], ORDER: { ID: 'DESC' } });
    assert.deepEqual(ids(desc).slice(0, 3), [400, 399, 398]);
  });

  it('select: * without UF and multifields, UF_* adds user fields, multifields only by name', async () => {
    const [star] = await rows('crm.contact.list', { select: ['*'], filter: { ID: 5 } });
    assert.ok('NAME' in star && !Object.keys(star).some((k) => k.startsWith('UF_')) && !('PHONE' in star));
    const [uf] = await rows('crm.contact.list', { select: ['UF_*'], filter: { ID: 5 } });
    assert.ok(Object.keys(uf).some((k) => k.startsWith('UF_')) && !('NAME' in uf));
    const [byDefault] = await rows('crm.contact.list', { filter: { ID: 5 } });
    assert.ok(
      'NAME' in byDefault &&
        Object.keys(byDefault).some((k) => k.startsWith('UF_')) &&
        !('EMAIL' in byDefault),
    );
    const [named] = await rows('crm.contact.list', { SELECT: ['ID', 'PHONE', 'EMAIL'], FILTER: { ID: 5 } });
    assert.deepEqual(Object.keys(named).sort(), ['EMAIL', 'ID', 'PHONE']);
    for (const m of [...(named.PHONE as Obj[]), ...(named.EMAIL as Obj[])])
      assert.deepEqual(Object.keys(m), ['ID', 'VALUE_TYPE', 'VALUE', 'TYPE_ID']);
  });

  it('values keep the legacy encodings: strings for numbers, +03:00 datetimes', async () => {
    const [d] = await rows('crm.deal.list', { filter: { ID: 7 } });
    assert.equal(typeof d.ID, 'string');
    assert.match(String(d.OPPORTUNITY), /^\d+\.\d{2}$/);
    assert.match(String(d.DATE_CREATE), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+03:00$/);
    assert.ok(Date.parse(String(d.DATE_MODIFY)) >= Date.parse(String(d.DATE_CREATE)));
  });

  it('query-string requests with bracket filters behave like JSON ones', async () => {
    const res = await fetch(
      `${portal.emu.webhookUrl}crm.deal.list?filter[>ID]=390&order[ID]=ASC&select[]=ID&start=-1`,
    );
    const body = (await res.json()) as { result: Obj[] };
    assert.deepEqual(ids(body.result), [391, 392, 393, 394, 395, 396, 397, 398, 399, 400]);
  });

  it('legacy errors have an empty code and HTTP 400', async () => {
    for (const params of [{ filter: 'x' }, { order: 'ID' }]) {
      const a = await portal.call('crm.deal.list', params);
      assert.equal(a.status, 400);
      assert.equal(a.body.error, '');
      assert.match(String(a.body.error_description), /must be array/);
    }
    const missing = await portal.call('crm.deal.get', { id: 999999 });
    assert.equal(missing.status, 400);
    assert.equal(missing.body.error, '');
  });

  it('voximplant: >< between, SORT/ORDER strings', async () => {
    const calls = await rows('voximplant.statistic.get', {
      FILTER: { '><CALL_DURATION': [100, 600] },
      SORT: 'CALL_DURATION',
      ORDER: 'DESC',
    });
    assert.ok(calls.length > 0);
    const durations = calls.map((c) => Number(c.CALL_DURATION));
    assert.ok(durations.every((d) => d >= 100 && d <= 600));
    assert.deepEqual(
      durations,
      [...durations].sort((a, b) => b - a),
    );
  });

  it('imopenlines pages by PARAMS.limit/offset without total', async () => {
    const a = await portal.call('imopenlines.config.list.get', { PARAMS: { limit: 2, offset: 1 } });
    assert.deepEqual(ids(a.body.result as Json), [2, 3]);
    assert.equal('total' in a.body, false);
    const bad = await portal.call('imopenlines.config.list.get', { PARAMS: { limit: -1 } });
    assert.equal(bad.body.error, 'INVALID_FORMAT');
  });
});
