import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { fakeMethods } from './server-fake-methods.js';

type Json = Record<string, unknown>;

describe('emulator batch', () => {
  let emu: RunningEmulator;
  before(async () => {
    emu = await startEmulator({ seed: 11, plan: 'unlimited', methods: fakeMethods({ deals: 180 }).methods });
  });
  after(() => emu.close());

  async function batch(body: unknown): Promise<{ status: number; body: Json }> {
    const res = await fetch(`${emu.webhookUrl}batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Json };
  }

  it('chains keyset pages through $result references and reports totals, next and times', async () => {
    const { status, body } = await batch({
      cmd: {
        page1: 'crm.deal.list?order[ID]=ASC&filter[>ID]=0&start=-1',
        page2: 'crm.deal.list?order[ID]=ASC&filter[>ID]=$result[page1][49][ID]&start=-1',
        page3: 'crm.deal.list?order[ID]=ASC&filter[>ID]=$result[page2][49][ID]&start=-1',
        counted: 'crm.deal.list?start=0',
      },
    });
    assert.equal(status, 200);
    const r = body.result as Record<string, Json>;
    const ids = ['page1', 'page2', 'page3'].flatMap((p) =>
      (r.result[p] as { ID: string }[]).map((d) => Number(d.ID)),
    );
    assert.deepEqual(
      ids,
      Array.from({ length: 150 }, (_, i) => i + 1),
    );
    assert.deepEqual(r.result_error, []);
    assert.deepEqual(r.result_total, { page1: 0, page2: 0, page3: 0, counted: 180 });
    assert.deepEqual(r.result_next, { counted: 50 });
    assert.deepEqual(Object.keys(r.result_time), ['page1', 'page2', 'page3', 'counted']);
    assert.deepEqual(Object.keys(r.result_time.page1 as Json), [
      'start',
      'finish',
      'duration',
      'processing',
      'date_start',
      'date_finish',
      'operating_reset_at',
      'operating',
    ]);
    assert.ok('time' in body);
  });

  it('accepts cmd as a list and {method, params} objects; lists answer as JSON arrays', async () => {
    const { body } = await batch({
      cmd: ['crm.deal.get?id=2', { method: 'crm.deal.get', params: { id: '$result[0][ID]' } }],
    });
    const r = body.result as Json;
    assert.ok(Array.isArray(r.result));
    assert.deepEqual(
      (r.result as Json[]).map((d) => d.ID),
      ['2', '2'],
    );
  });

  it('leaves an unresolved reference as literal text', async () => {
    const { body } = await batch({ cmd: { a: 'echo.params?x=$result[nothing][0][ID]&y=id-$result[a][ID]' } });
    const r = body.result as Record<string, Json>;
    assert.deepEqual(r.result.a, { x: '$result[nothing][0][ID]', y: 'id-$result[a][ID]' });
  });

  it('runs every command with halt=0 and stops at the first error with halt=1', async () => {
    const cmd = { a: 'crm.deal.get?id=1', bad: 'crm.deal.get?id=9999', c: 'crm.deal.get?id=3' };
    const all = (await batch({ halt: 0, cmd })).body.result as Record<string, Json>;
    assert.deepEqual(Object.keys(all.result), ['a', 'c']);
    assert.deepEqual(all.result_error, { bad: { error: '', error_description: 'Not found' } });
    const halted = (await batch({ halt: 1, cmd })).body.result as Record<string, Json>;
    assert.deepEqual(Object.keys(halted.result), ['a']);
    assert.deepEqual(Object.keys(halted.result_error), ['bad']);
  });

  it('serialises empty members as [] when every command failed', async () => {
    const { status, body } = await batch({ cmd: { x: 'no.such.method', y: 'batch?cmd[a]=scope' } });
    assert.equal(status, 200);
    const r = body.result as Json;
    assert.deepEqual(r.result, []);
    assert.deepEqual(r.result_total, []);
    assert.deepEqual(r.result_next, []);
    assert.deepEqual(r.result_time, []);
    assert.deepEqual(r.result_error, {
      x: { error: 'ERROR_METHOD_NOT_FOUND', error_description: 'Method not found!' },
      y: {
        error: 'ERROR_BATCH_METHOD_NOT_ALLOWED',
        error_description: 'Method is not allowed for batch usage',
      },
    });
  });

  it('refuses more than 50 commands with ERROR_BATCH_LENGTH_EXCEEDED', async () => {
    const fifty = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`c${i}`, 'server.time']));
    assert.equal((await batch({ cmd: fifty })).status, 200);
    const { status, body } = await batch({ cmd: { ...fifty, c50: 'server.time' } });
    assert.equal(status, 400);
    assert.equal(body.error, 'ERROR_BATCH_LENGTH_EXCEEDED');
  });

  it('reads cmd from a bracket-encoded GET query with double-encoded commands', async () => {
    const inner = encodeURIComponent('crm.deal.list?filter[>ID]=170&select[]=ID');
    const res = await fetch(`${emu.webhookUrl}batch?halt=0&cmd[tail]=${inner}`);
    const r = ((await res.json()) as Json).result as Record<string, Json>;
    assert.deepEqual(
      (r.result.tail as Json[]).map((d) => d.ID),
      ['171', '172', '173', '174', '175', '176', '177', '178', '179', '180'],
    );
  });

  it('counts batch commands in stats', async () => {
    emu.resetStats();
    await batch({ cmd: { a: 'server.time', b: 'server.time', c: 'scope' } });
    const stats = emu.stats();
    assert.equal(stats.requests_total, 1);
    assert.equal(stats.batch_requests, 1);
    assert.equal(stats.batch_commands, 3);
  });
});
