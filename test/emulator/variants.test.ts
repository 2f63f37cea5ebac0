/**
 * The emulator's switchable divergences, over real HTTP: `short-pages` (pages capped below the
 * limit, rows hidden after the LIMIT while `total` still counts them), `literal-refs` (an
 * unresolved reference cast as PHP casts text), `missing-methods`; the stats of commands run with
 * unresolved references; `/_emulator/truth`; and the default staying as documented.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  type RunningEmulator,
  startEmulator,
  type Truth,
  VariantSpecError,
} from '../../src/emulator/index.js';

const bin = fileURLToPath(new URL('../../bin/tap-bitrix24.js', import.meta.url));
type Row = Record<string, unknown>;
interface Body {
  result?: unknown;
  total?: number;
  next?: number;
  error?: string;
  error_description?: string;
}

function caller(emu: RunningEmulator) {
  return async (method: string, params: unknown = {}): Promise<{ status: number; body: Body }> => {
    const res = await fetch(emu.webhookUrl + method, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(params),
    });
    return { status: res.status, body: (await res.json()) as Body };
  };
}

async function truthOf(emu: RunningEmulator): Promise<Truth> {
  const res = await fetch(`${emu.baseUrl}/_emulator/truth`);
  assert.equal(res.status, 200);
  return (await res.json()) as Truth;
}

/** Every row of a list by offsets (`start` + `next`), and the pages' lengths. */
async function offsetWalk(call: ReturnType<typeof caller>, method: string, params: Row = {}) {
  const ids: number[] = [];
  const lengths: number[] = [];
  let total: number | undefined;
  let start = 0;
  for (;;) {
    const { body } = await call(method, { ...params, start });
    const rows = body.result as Row[];
    lengths.push(rows.length);
    total = body.total;
    for (const row of rows) ids.push(Number(row.ID));
    if (body.next === undefined) break;
    start = body.next;
  }
  return { ids, lengths, total };
}

/** A batch whose p1 pages on from p0 through `$result[p0][49][ID]`; p0 asks past the last deal. */
function pastEndBatch(maxId: number) {
  return {
    halt: 0,
    cmd: {
      p0: `crm.deal.list?filter[>ID]=${maxId}&order[ID]=ASC&select[0]=ID&start=-1`,
      p1: 'crm.deal.list?filter[>ID]=$result[p0][49][ID]&order[ID]=ASC&select[0]=ID&start=-1',
    },
  };
}

describe('emulator variants', () => {
  let plain: RunningEmulator;
  let varied: RunningEmulator;
  before(async () => {
    const common = { seed: 5, scale: 2500, plan: 'unlimited', timeScale: 1000 } as const;
    plain = await startEmulator(common);
    varied = await startEmulator({
      ...common,
      variants: 'short-pages,literal-refs,missing-methods=user.fields+crm.deal.fields',
    });
  });
  after(async () => {
    await plain.close();
    await varied.close();
  });

  it('unknown variants are refused naming the known ones', async () => {
    await assert.rejects(
      startEmulator({ variants: ['short-pages', 'long-pages'] }),
      (e: unknown) =>
        e instanceof VariantSpecError && /long-pages/.test(e.message) && /literal-refs/.test(e.message),
    );
    await assert.rejects(
      startEmulator({ variants: 'missing-methods=crm.nothing.list' }),
      (e: unknown) => e instanceof VariantSpecError && /crm\.nothing\.list/.test(e.message),
    );
    const child = spawn(process.execPath, [bin, 'emulator', '--variant', 'short-pages,bogus'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const [code] = await once(child, 'exit');
    assert.notEqual(code, 0);
    assert.match(stderr, /--variant: unknown variant "bogus"; known: short-pages, literal-refs/);
  });

  it('by default pages are full until the end and nothing is hidden', async () => {
    const call = caller(plain);
    const users = await offsetWalk(call, 'user.get', { ADMIN_MODE: true });
    assert.ok(users.lengths.slice(0, -1).every((n) => n === 50));
    const truth = await truthOf(plain);
    assert.deepEqual(users.ids, truth['user.get'].visible);
    for (const list of Object.values(truth)) assert.equal(list.hidden_count, 0);
  });

  it('short-pages: user.get and crm.contact.list cap their pages; next still moves offset readers on', async () => {
    const call = caller(varied);
    const truth = await truthOf(varied);
    for (const [method, cap, key] of [
      ['user.get', 25, 'user.get'],
      ['crm.contact.list', 35, 'crm.contact.list'],
    ] as const) {
      const walk = await offsetWalk(call, method, method === 'user.get' ? { ADMIN_MODE: true } : {});
      assert.ok(Math.max(...walk.lengths) <= cap, `${method} pages ${walk.lengths}`);
      assert.ok(walk.lengths.length >= 2, `${method} pages ${walk.lengths}`);
      // Every visible row once, none hidden; total counts the hidden ones too.
      assert.deepEqual(walk.ids, truth[key].visible);
      assert.equal(walk.total, truth[key].count);
    }
  });

  it('short-pages: hidden rows leave holes mid-list and never appear; total still counts them', async () => {
    const call = caller(varied);
    const truth = await truthOf(varied).then((t) => t['crm.deal.list']);
    assert.ok(
      truth.hidden_count > 5 && truth.hidden_count < truth.count / 10,
      `${truth.hidden_count} hidden`,
    );
    assert.equal(truth.visible.length + truth.hidden.length, truth.count);
    const walk = await offsetWalk(call, 'crm.deal.list', { select: ['ID'] });
    assert.deepEqual(walk.ids, truth.visible);
    assert.equal(walk.total, truth.count);
    assert.ok(
      walk.lengths.slice(0, -1).some((n) => n < 50),
      'a short page mid-list',
    );
    // A hidden row asked for by ID is still not listed.
    const hidden = truth.hidden[0];
    const { body } = await call('crm.deal.list', { filter: { ID: hidden }, start: -1 });
    assert.deepEqual(body.result, []);
    // The same deal on the plain portal is there.
    const plainBody = (await caller(plain)('crm.deal.list', { filter: { ID: hidden }, start: -1 })).body;
    assert.equal((plainBody.result as Row[]).length, 1);
  });

  it('literal-refs: an unresolved reference in a numeric filter is cast to 0; stats count it', async () => {
    const truth = await truthOf(varied);
    const maxId = truth['crm.deal.list'].count + 10;
    for (const [emu, rows] of [
      [plain, 0],
      [varied, 50],
    ] as const) {
      emu.resetStats();
      const { body } = await caller(emu)('batch', pastEndBatch(maxId));
      const result = (body.result as { result: Record<string, Row[]> }).result;
      assert.deepEqual(result.p0, []);
      // PHP reads `>ID '$result[p0][49][ID]'` as `>ID 0`: the list's first page again.
      assert.ok(result.p1.length >= (rows ? 40 : 0) && result.p1.length <= rows, `${result.p1.length} rows`);
      const stats = emu.stats();
      assert.equal(stats.unresolved_ref_commands, 1);
      assert.equal(stats.past_end_commands_with_rows, rows ? 1 : 0);
    }
  });

  it('missing-methods: the methods answer ERROR_METHOD_NOT_FOUND (404), in batch too, and are not listed', async () => {
    const call = caller(varied);
    for (const method of ['user.fields', 'crm.deal.fields']) {
      const { status, body } = await call(method);
      assert.equal(status, 404);
      assert.deepEqual(body, { error: 'ERROR_METHOD_NOT_FOUND', error_description: 'Method not found!' });
    }
    const { body } = await call('batch', { cmd: { a: 'user.fields', b: 'crm.contact.fields' } });
    const answer = body.result as { result: Record<string, unknown>; result_error: Record<string, Body> };
    assert.equal(answer.result_error.a.error, 'ERROR_METHOD_NOT_FOUND');
    assert.ok(answer.result.b);
    const listed = (await call('methods')).body.result as string[];
    assert.ok(!listed.includes('user.fields') && listed.includes('crm.contact.fields'));
    assert.equal((await caller(plain)('user.fields')).status, 200);
  });
});
