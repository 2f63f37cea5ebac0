import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { fakeMethods } from './server-fake-methods.js';

describe('emulator HTTP: URL forms, parameters, envelope', () => {
  let emu: RunningEmulator;
  before(async () => {
    emu = await startEmulator({ seed: 7, plan: 'unlimited', methods: fakeMethods({ deals: 120 }).methods });
  });
  after(() => emu.close());

  it('answers a webhook call with the documented envelope and content type', async () => {
    const res = await fetch(`${emu.webhookUrl}crm.deal.list`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/json; charset=utf-8');
    const body = (await res.json()) as Record<string, unknown>;
    assert.deepEqual(Object.keys(body), ['result', 'total', 'next', 'time']);
    assert.equal((body.result as unknown[]).length, 50);
    assert.equal(body.total, 120);
    assert.equal(body.next, 50);
    const time = body.time as Record<string, unknown>;
    assert.deepEqual(Object.keys(time), [
      'start',
      'finish',
      'duration',
      'processing',
      'date_start',
      'date_finish',
      'operating_reset_at',
      'operating',
    ]);
    assert.match(String(time.date_start), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+03:00$/);
    assert.ok((time.finish as number) >= (time.start as number));
    assert.ok(Number.isInteger(time.operating_reset_at));
    assert.ok((time.operating as number) > 0);
  });

  it('omits next on the last page', async () => {
    const body = (await (await fetch(`${emu.webhookUrl}crm.deal.list?start=100`)).json()) as Record<
      string,
      unknown
    >;
    assert.deepEqual(Object.keys(body), ['result', 'total', 'time']);
    assert.equal((body.result as unknown[]).length, 20);
  });

  it('gives the same answer for query string, JSON body, form body and multipart', async () => {
    const query = 'filter[>ID]=30&filter[STAGE_ID]=WON&select[]=ID&select[]=STAGE_ID&order[ID]=ASC&start=0';
    const json = {
      filter: { '>ID': '30', STAGE_ID: 'WON' },
      select: ['ID', 'STAGE_ID'],
      order: { ID: 'ASC' },
      start: '0',
    };
    const form = new FormData();
    for (const [k, v] of new URLSearchParams(query)) form.append(k, v);
    const answers = await Promise.all([
      fetch(`${emu.webhookUrl}echo.params?${query}`),
      fetch(`${emu.webhookUrl}echo.params`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(json),
      }),
      fetch(`${emu.webhookUrl}echo.params.json`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: query,
      }),
      fetch(`${emu.webhookUrl}echo.params`, { method: 'POST', body: form }),
    ]);
    const results = await Promise.all(
      answers.map(async (r) => ((await r.json()) as { result: unknown }).result),
    );
    for (const result of results) assert.deepEqual(result, json);
    const list = (await (await fetch(`${emu.webhookUrl}crm.deal.list?${query}`)).json()) as {
      result: { ID: string; STAGE_ID: string }[];
    };
    assert.equal(list.result[0].ID, '32');
    assert.deepEqual(Object.keys(list.result[0]), ['ID', 'STAGE_ID']);
  });

  it('turns 0..n-1 keyed objects into arrays and keeps nested objects', async () => {
    const q =
      'fields[PHONE][0][VALUE]=112233&fields[PHONE][0][VALUE_TYPE]=WORK&fields[TITLE]=A%26B&ids[0]=5&ids[1]=6';
    const body = (await (await fetch(`${emu.webhookUrl}echo.params?${q}`)).json()) as { result: unknown };
    assert.deepEqual(body.result, {
      fields: { PHONE: [{ VALUE: '112233', VALUE_TYPE: 'WORK' }], TITLE: 'A&B' },
      ids: ['5', '6'],
    });
  });

  it('treats method names case-insensitively and accepts .json', async () => {
    const res = await fetch(`${emu.webhookUrl}CRM.Deal.List.json?start=-1`);
    assert.equal(res.status, 200);
    const body = (await res.json()) as Record<string, unknown>;
    assert.equal(body.total, 0);
    assert.equal(body.next, undefined);
  });

  it('answers 404 ERROR_METHOD_NOT_FOUND for an unknown method', async () => {
    const res = await fetch(`${emu.webhookUrl}crm.nothing.here`);
    assert.equal(res.status, 404);
    assert.deepEqual(await res.json(), {
      error: 'ERROR_METHOD_NOT_FOUND',
      error_description: 'Method not found!',
    });
  });

  it('answers 401 NO_AUTH_FOUND for a wrong webhook code or user', async () => {
    const good = new URL(emu.webhookUrl);
    const [, , user, code] = good.pathname.split('/');
    for (const path of [`/rest/${user}/${code}x/crm.deal.list`, `/rest/2/${code}/crm.deal.list`]) {
      const res = await fetch(`${emu.baseUrl}${path}`);
      assert.equal(res.status, 401);
      assert.equal(((await res.json()) as { error: string }).error, 'NO_AUTH_FOUND');
    }
  });

  it('serialises a legacy CRM error with an empty code verbatim, HTTP 400', async () => {
    const res = await fetch(`${emu.webhookUrl}crm.deal.get?id=99999`);
    assert.equal(res.status, 400);
    assert.deepEqual(await res.json(), { error: '', error_description: 'Not found' });
  });

  it('serves system methods: server.time, scope, method.get, app.info via webhook', async () => {
    const time = (await (await fetch(`${emu.webhookUrl}server.time`)).json()) as { result: string };
    assert.match(time.result, /\+03:00$/);
    const scope = (await (await fetch(`${emu.webhookUrl}scope`)).json()) as { result: string[] };
    assert.deepEqual(scope.result.sort(), ['crm', 'department', 'imopenlines', 'telephony', 'user']);
    const mg = (await (await fetch(`${emu.webhookUrl}method.get?name=crm.deal.list`)).json()) as {
      result: unknown;
    };
    assert.deepEqual(mg.result, { isExisting: true, isAvailable: true });
    const app = await fetch(`${emu.webhookUrl}app.info`);
    assert.equal(app.status, 400);
    assert.equal(((await app.json()) as { error: string }).error, 'ACCESS_DENIED');
  });

  it('redirects with 302 after the portal moves, and serves under the new prefix', async () => {
    const moved = emu.control({ action: 'move_portal' });
    const res = await fetch(`${emu.webhookUrl}crm.deal.list?start=50`, { redirect: 'manual' });
    assert.equal(res.status, 302);
    const location = res.headers.get('location') ?? '';
    assert.ok(location.startsWith(String(moved.rest_url)), location);
    assert.ok(location.includes('/moved/rest/') && location.endsWith('crm.deal.list?start=50'));
    const followed = (await (await fetch(location)).json()) as { result: { ID: string }[] };
    assert.equal(followed.result[0].ID, '51');
  });

  it('counts requests, rows and rejections in /_emulator/stats and resets them', async () => {
    await fetch(`${emu.baseUrl}/_emulator/stats/reset`, { method: 'POST' });
    const base = new URL(emu.webhookUrl);
    const prefix = `${emu.baseUrl}/moved${base.pathname}`;
    await fetch(`${prefix}crm.deal.list`);
    await fetch(`${prefix}crm.deal.list?start=100`);
    await fetch(`${prefix}crm.no.such`);
    const stats = (await (await fetch(`${emu.baseUrl}/_emulator/stats`)).json()) as Record<string, unknown>;
    assert.equal(stats.requests_total, 3);
    assert.deepEqual(stats.requests_by_method, { 'crm.deal.list': 2, 'crm.no.such': 1 });
    assert.equal(stats.rows_returned, 70);
    assert.deepEqual(stats.rejections, { ERROR_METHOD_NOT_FOUND: 1 });
    assert.ok((stats.operating_seconds as Record<string, number>)['crm.deal.list'] > 0);
    assert.deepEqual(emu.stats(), stats);
    const portal = await fetch(`${emu.baseUrl}/_emulator/portal`);
    assert.equal(portal.status, 200);
  });
});
