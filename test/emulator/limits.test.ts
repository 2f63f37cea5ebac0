import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { type EmulatorOptions, type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { fakeMethods } from './server-fake-methods.js';

type Json = Record<string, unknown>;

async function withEmulator(
  options: EmulatorOptions,
  body: (emu: RunningEmulator) => Promise<void>,
): Promise<void> {
  const emu = await startEmulator({ seed: 5, methods: fakeMethods({ cost: 0.001 }).methods, ...options });
  try {
    await body(emu);
  } finally {
    await emu.close();
  }
}

/** Fires n concurrent calls; answers their statuses and the emulated seconds the burst took. */
async function burst(
  emu: RunningEmulator,
  url: string,
  n: number,
): Promise<{ statuses: number[]; seconds: number }> {
  const started = emu.clock.now();
  const statuses = await Promise.all(Array.from({ length: n }, async () => (await fetch(url)).status));
  return { statuses, seconds: (emu.clock.now() - started) / 1000 };
}

/** The most calls a bucket may admit: its burst plus what drained while the calls were arriving. */
function admitted(burstSize: number, drainPerSecond: number, seconds: number): number {
  return burstSize + Math.ceil(drainPerSecond * seconds);
}

describe('emulator limits: request bucket', () => {
  it('standard: about 50 pass, then 503 QUERY_LIMIT_EXCEEDED, and passes again after draining', async () => {
    await withEmulator({ plan: 'standard' }, async (emu) => {
      const { statuses, seconds } = await burst(emu, `${emu.webhookUrl}server.time`, 60);
      const ok = statuses.filter((s) => s === 200).length;
      assert.ok(ok >= 50 && ok <= admitted(50, 2, seconds), `passed ${ok} in ${seconds} s`);
      assert.ok(ok < 60);
      assert.equal(statuses.filter((s) => s === 503).length, 60 - ok);
      const more = await Promise.all(Array.from({ length: 5 }, () => fetch(`${emu.webhookUrl}server.time`)));
      const refused = more.filter((r) => r.status === 503);
      assert.ok(refused.length >= 1);
      assert.deepEqual(await refused[0].json(), {
        error: 'QUERY_LIMIT_EXCEEDED',
        error_description: 'Too many requests',
      });
      await sleep(600); // drains 2/s: at least one slot
      assert.equal((await fetch(`${emu.webhookUrl}server.time`)).status, 200);
      assert.equal(emu.stats().rejections.QUERY_LIMIT_EXCEEDED, 60 - ok + refused.length);
    });
  });

  it('enterprise: about 250 pass', async () => {
    await withEmulator({ plan: 'enterprise' }, async (emu) => {
      const { statuses, seconds } = await burst(emu, `${emu.webhookUrl}server.time`, 270);
      const ok = statuses.filter((s) => s === 200).length;
      assert.ok(ok >= 250 && ok <= admitted(250, 5, seconds), `passed ${ok} in ${seconds} s`);
      assert.ok(ok < 270);
    });
  });

  it('unlimited: nothing is refused', async () => {
    await withEmulator({ plan: 'unlimited' }, async (emu) => {
      const { statuses } = await burst(emu, `${emu.webhookUrl}server.time`, 300);
      assert.ok(statuses.every((s) => s === 200));
    });
  });

  it('counts a batch as one request', async () => {
    await withEmulator({ plan: 'standard' }, async (emu) => {
      const started = emu.clock.now();
      const cmd = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`c${i}`, 'server.time']));
      const statuses = await Promise.all(
        Array.from({ length: 45 }, async () => {
          const res = await fetch(`${emu.webhookUrl}batch`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ cmd }),
          });
          return res.status;
        }),
      );
      assert.ok(statuses.every((s) => s === 200));
      assert.equal(emu.stats().batch_commands, 450);
      const after = await burst(emu, `${emu.webhookUrl}server.time`, 10);
      const ok = after.statuses.filter((s) => s === 200).length;
      const seconds = (emu.clock.now() - started) / 1000;
      assert.ok(ok >= 5 && ok <= admitted(5, 2, seconds), `passed ${ok} in ${seconds} s`);
    });
  });
});

describe('emulator limits: operating budget', () => {
  // 0.5 emulated s per call, 2 s budget, 150x: a minute basket is 400 ms, the window 4 s.
  const options: EmulatorOptions = { plan: 'unlimited', operatingLimit: 2, timeScale: 150 };

  async function call(emu: RunningEmulator, method: string): Promise<{ status: number; body: Json }> {
    const res = await fetch(`${emu.webhookUrl}${method}?id=1`);
    return { status: res.status, body: (await res.json()) as Json };
  }

  it('blocks a method with 429 after the call that crosses the limit, other methods still answer, baskets drop', async () => {
    await withEmulator({ ...options, methods: fakeMethods({ cost: 0.5 }).methods }, async (emu) => {
      const times: Json[] = [];
      for (let i = 0; i < 3; i++) times.push((await call(emu, 'crm.deal.list')).body.time as Json);
      await sleep(500); // 75 emulated seconds: the next calls open a second basket
      for (let i = 0; i < 2; i++) times.push((await call(emu, 'crm.deal.list')).body.time as Json);
      assert.deepEqual(
        times.map((t) => t.operating),
        [0.5, 1, 1.5, 2, 2.5],
      );
      // operating_reset_at is when the oldest basket drops: ten minutes after the first call
      const resetAt = times[0].operating_reset_at as number;
      assert.ok(Math.abs(resetAt - ((times[0].start as number) + 600)) <= 1);
      assert.ok(times.every((t) => t.operating_reset_at === resetAt));
      const blocked = await call(emu, 'crm.deal.list');
      assert.equal(blocked.status, 429);
      assert.equal(blocked.body.error, 'OPERATION_TIME_LIMIT');
      const other = await call(emu, 'crm.deal.get');
      assert.equal(other.status, 200);
      assert.equal((other.body.time as Json).operating, 0.5);
      assert.equal(emu.stats().rejections.OPERATION_TIME_LIMIT, 1);
      // 20 emulated seconds after the first basket dropped, only the second (1 s) remains
      while (emu.clock.now() < resetAt * 1000 + 20_000) await sleep(10);
      const again = await call(emu, 'crm.deal.list');
      assert.equal(again.status, 200);
      assert.equal((again.body.time as Json).operating, 1.5);
      assert.ok(((again.body.time as Json).operating_reset_at as number) >= resetAt + 74);
    });
  });
});

describe('emulator limits: batch billing and processing time', () => {
  const cmd = { a: 'crm.deal.list', b: 'crm.deal.get?id=1', c: 'crm.deal.list?start=50' };
  async function batch(emu: RunningEmulator): Promise<{ status: number; body: Json }> {
    const res = await fetch(`${emu.webhookUrl}batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ cmd }),
    });
    return { status: res.status, body: (await res.json()) as Json };
  }

  it('inner billing: each command billed to its own method, the batch itself not billed', async () => {
    const methods = fakeMethods({ cost: 0.5 }).methods;
    await withEmulator({ plan: 'unlimited', operatingLimit: 1.2, timeScale: 60, methods }, async (emu) => {
      const first = await batch(emu);
      const r = first.body.result as Record<string, Record<string, Json>>;
      assert.deepEqual(
        ['a', 'b', 'c'].map((k) => r.result_time[k].operating),
        [0.5, 0.5, 1],
      );
      assert.equal((first.body.time as Json).operating, 0);
      assert.deepEqual(emu.stats().operating_seconds, { 'crm.deal.list': 1, 'crm.deal.get': 0.5 });
      const second = (await batch(emu)).body.result as Record<string, Json>;
      // crm.deal.list: 1 → a runs (1.5), c is refused; crm.deal.get still answers
      assert.deepEqual(Object.keys(second.result), ['a', 'b']);
      assert.equal((second.result_error.c as Json).error, 'OPERATION_TIME_LIMIT');
      assert.equal((await fetch(`${emu.webhookUrl}crm.deal.list`)).status, 429);
    });
  });

  it('batch billing: the whole batch billed to `batch`, commands carry its operating', async () => {
    const methods = fakeMethods({ cost: 0.5 }).methods;
    await withEmulator(
      { plan: 'unlimited', operatingLimit: 2, timeScale: 60, batchBilling: 'batch', methods },
      async (emu) => {
        const first = await batch(emu);
        const r = first.body.result as Record<string, Record<string, Json>>;
        const operating = (first.body.time as Json).operating as number;
        assert.ok(Math.abs(operating - 1.502) < 1e-9, String(operating));
        assert.ok(['a', 'b', 'c'].every((k) => r.result_time[k].operating === operating));
        // the inner methods were not billed
        const direct = (await (await fetch(`${emu.webhookUrl}crm.deal.list`)).json()) as Json;
        assert.equal((direct.time as Json).operating, 0.5);
        assert.equal((await batch(emu)).status, 200); // 1.502 ≤ 2: runs, crosses to 3.004
        const refused = await batch(emu);
        assert.equal(refused.status, 429);
        assert.equal(refused.body.error, 'OPERATION_TIME_LIMIT');
      },
    );
  });

  it('waits each answer’s processing time on the scaled clock, concurrently', async () => {
    // 1 emulated second per call at 5x: 200 ms of real time per answer.
    await withEmulator(
      { plan: 'unlimited', timeScale: 5, methods: fakeMethods({ cost: 1 }).methods },
      async (emu) => {
        const started = performance.now();
        const bodies = await Promise.all(
          Array.from(
            { length: 8 },
            async () => (await (await fetch(`${emu.webhookUrl}crm.deal.list`)).json()) as Json,
          ),
        );
        const elapsed = performance.now() - started;
        assert.ok(elapsed >= 195, `answered after ${elapsed} ms`);
        assert.ok(elapsed < 1200, `eight concurrent calls took ${elapsed} ms; they should wait together`);
        for (const body of bodies) {
          const time = body.time as Json;
          assert.equal(time.processing, 1);
          assert.ok((time.duration as number) >= 0.99);
        }
      },
    );
  });
});
