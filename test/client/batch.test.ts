/**
 * `batch` and `callMany` over real HTTP: parameters inside batch command strings survive PHP
 * bracket encoding (booleans, nesting, non-Latin text, reserved characters), per-command errors
 * come back typed, and callMany packs 50 calls a request, in input order.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  Bitrix24Client,
  encodeBatchQuery,
  NotFoundError,
  resultRef,
  ScopeError,
} from '../../src/client/index.js';
import { type RunningEmulator, startEmulator } from '../../src/emulator/index.js';

let emulator: RunningEmulator;
let client: Bitrix24Client;

before(async () => {
  emulator = await startEmulator({ seed: 21, scale: 400, plan: 'unlimited', timeScale: 100 });
  client = new Bitrix24Client({ webhookUrl: emulator.webhookUrl, plan: 'unlimited' });
});
after(async () => {
  await client.close();
  await emulator.close();
});

describe('batch command encoding', () => {
  it('writes PHP http_build_query brackets, booleans as 1/0, references literally', () => {
    assert.equal(
      encodeBatchQuery({
        filter: { '>ID': resultRef('p0', 49, 'ID'), ACTIVE: true, X: false, N: null },
        select: ['ID', 'a&b'],
      }),
      'filter%5B%3EID%5D=$result[p0][49][ID]&filter%5BACTIVE%5D=1&filter%5BX%5D=0&select%5B0%5D=ID&select%5B1%5D=a%26b',
    );
  });

  it('non-Latin text, reserved characters and nested fields survive a batch round trip', async () => {
    const title = 'Сделка №1 & co = 100% ? #tag [x] + ü 東京';
    const created = await client.batch({
      add: {
        method: 'crm.deal.add',
        params: { fields: { TITLE: title, OPPORTUNITY: 12.5, COMMENTS: 'line1\nline2' } },
      },
      get: { method: 'crm.deal.get', params: { id: resultRef('add') } },
    });
    assert.deepEqual(created.errors, {});
    const deal = created.result.get as Record<string, unknown>;
    assert.equal(deal.TITLE, title);
    assert.equal(Number(deal.OPPORTUNITY), 12.5);
    assert.equal(deal.COMMENTS, 'line1\nline2');
    assert.equal(String(deal.ID), String(created.result.add));
  });

  it('a boolean inside a batch command means what it means in a JSON call', async () => {
    const params = { FILTER: { ACTIVE: true }, sort: 'ID', order: 'ASC' };
    const plain = await client.call<unknown[]>('user.get', params);
    const batched = await client.batch({ users: { method: 'user.get', params } });
    assert.ok(plain.result.length > 0);
    assert.deepEqual(batched.result.users, plain.result);
    const inactive = await client.batch({
      users: { method: 'user.get', params: { ...params, FILTER: { ACTIVE: false } } },
    });
    const plainInactive = await client.call<unknown[]>('user.get', { ...params, FILTER: { ACTIVE: false } });
    assert.deepEqual(inactive.result.users, plainInactive.result);
    assert.notDeepEqual(inactive.result.users, batched.result.users);
  });
});

describe('batch errors', () => {
  it('returns per-command errors typed, without failing the batch', async () => {
    const answer = await client.batch({
      ok: { method: 'crm.deal.list', params: { select: ['ID'], start: -1 } },
      missing: { method: 'crm.deal.get', params: { id: 99_999_999 } },
    });
    assert.ok(Array.isArray(answer.result.ok));
    assert.ok(answer.errors.missing instanceof NotFoundError, answer.errors.missing?.message);
    assert.equal(answer.errors.missing.method, 'crm.deal.get');
  });

  it('a scope the credentials lack is a ScopeError per command', async () => {
    emulator.control({ action: 'set_scopes', scopes: ['crm'] });
    try {
      const answer = await client.batch({ users: { method: 'user.get', params: {} } });
      assert.ok(answer.errors.users instanceof ScopeError);
      await assert.rejects(client.call('user.get'), ScopeError);
    } finally {
      emulator.control({
        action: 'set_scopes',
        scopes: ['crm', 'user', 'department', 'telephony', 'imopenlines'],
      });
    }
  });
});

describe('callMany', () => {
  it('packs 50 calls a request and yields results in input order, errors per call', async () => {
    const ids: number[] = [];
    for await (const page of client.list('crm.deal.list', { select: ['ID'] })) {
      for (const row of page) if (ids.length < 120) ids.push(Number(row.ID));
    }
    const calls = ids.map((id) => ({ method: 'crm.deal.get', params: { id } }));
    calls.splice(60, 0, { method: 'crm.deal.get', params: { id: 99_999_999 } });
    emulator.resetStats();
    const seen: number[] = [];
    let errors = 0;
    for await (const item of client.callMany<Record<string, unknown>>(calls)) {
      seen.push(item.index);
      if (item.error) {
        errors++;
        assert.equal(item.index, 60);
      } else {
        assert.equal(Number(item.result?.ID), calls[item.index].params.id);
      }
    }
    assert.deepEqual(
      seen,
      calls.map((_, i) => i),
    );
    assert.equal(errors, 1);
    assert.equal(emulator.stats().requests_total, Math.ceil(calls.length / 50));
  });

  it('repeats commands that failed transiently inside a batch', async () => {
    const limited = await startEmulator({
      seed: 22,
      scale: 200,
      plan: 'unlimited',
      timeScale: 600,
      operatingLimit: 2,
    });
    const c = new Bitrix24Client({
      webhookUrl: limited.webhookUrl,
      plan: 'unlimited',
      operatingTimeThreshold: 1000,
    });
    try {
      const calls = Array.from({ length: 60 }, (_, i) => ({
        method: 'crm.deal.list',
        params: { select: ['ID', 'TITLE'], filter: { '>ID': i }, start: -1 },
      }));
      let ok = 0;
      for await (const item of c.callMany<unknown[]>(calls)) {
        assert.equal(item.error, undefined, item.error?.message);
        ok++;
      }
      assert.equal(ok, 60);
      assert.ok(
        (limited.stats().rejections.OPERATION_TIME_LIMIT ?? 0) > 0,
        'some commands were refused and repeated',
      );
    } finally {
      await c.close();
      await limited.close();
    }
  });
});
