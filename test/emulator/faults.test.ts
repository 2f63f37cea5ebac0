import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseFaultSpec } from '../../src/emulator/faults.js';
import { type EmulatorOptions, type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { fakeMethods } from './server-fake-methods.js';

/** What a client sees: `STATUS:json`, `STATUS:html`, `STATUS:bad-json`, or `reset`. */
async function outcome(url: string, init?: RequestInit): Promise<string> {
  let res: Response;
  let text: string;
  try {
    res = await fetch(url, init);
    text = await res.text();
  } catch {
    return 'reset';
  }
  if ((res.headers.get('content-type') ?? '').startsWith('text/html')) return `${res.status}:html`;
  try {
    JSON.parse(text);
    return `${res.status}:json`;
  } catch {
    return `${res.status}:bad-json`;
  }
}

async function sequence(
  options: EmulatorOptions,
  n: number,
): Promise<{ seen: string[]; faults: Record<string, number> }> {
  const emu = await startEmulator({ plan: 'unlimited', methods: fakeMethods().methods, ...options });
  try {
    const seen: string[] = [];
    for (let i = 0; i < n; i++)
      seen.push(await outcome(`${emu.webhookUrl}crm.deal.list?start=${(i % 3) * 50}`));
    return { seen, faults: emu.stats().faults };
  } finally {
    await emu.close();
  }
}

const SPEC = '5xx=0.15,html=0.1,reset=0.1,malformed=0.1,truncated=0.1';

describe('emulator faults', () => {
  it('parses a spec and refuses unknown kinds and rates above 1', () => {
    assert.deepEqual(parseFaultSpec('5xx=0.05,slow=0.02:1500'), {
      rates: { '5xx': 0.05, slow: 0.02 },
      slowMs: 1500,
    });
    assert.throws(() => parseFaultSpec('boom=0.1'), /unknown fault/);
    assert.throws(() => parseFaultSpec('5xx=0.7,html=0.7'), /more than 1/);
  });

  it('gives the same fault sequence for the same seed and another for another seed', async () => {
    const a = await sequence({ seed: 9, faults: SPEC }, 60);
    const b = await sequence({ seed: 9, faults: SPEC }, 60);
    const c = await sequence({ seed: 10, faults: SPEC }, 60);
    assert.deepEqual(a.seen, b.seen);
    assert.notDeepEqual(a.seen, c.seen);
    const kinds = new Set(a.seen);
    for (const k of ['200:json', 'reset', '200:bad-json']) assert.ok(kinds.has(k), `${k} in ${[...kinds]}`);
    assert.ok([...kinds].some((k) => k.endsWith(':html')));
    const injected = Object.values(a.faults).reduce((x, y) => x + y, 0);
    assert.equal(injected, a.seen.filter((s) => s !== '200:json').length);
    assert.ok(injected > 15 && injected < 50, `injected ${injected} of 60`);
  });

  async function withFaults(spec: string, body: (emu: RunningEmulator, writes: unknown[]) => Promise<void>) {
    const fake = fakeMethods();
    const emu = await startEmulator({ seed: 1, plan: 'unlimited', methods: fake.methods, faults: spec });
    try {
      await body(emu, fake.writes);
    } finally {
      await emu.close();
    }
  }

  it('each kind breaks the answer its own way', async () => {
    await withFaults('5xx=1', async (emu) => {
      for (let i = 0; i < 8; i++) {
        assert.match(await outcome(`${emu.webhookUrl}crm.deal.list`), /^(500:json|502:html|504:html)$/);
      }
    });
    await withFaults('html=1', async (emu) => {
      assert.match(await outcome(`${emu.webhookUrl}crm.deal.list`), /^(200|502):html$/);
    });
    await withFaults('reset=1', async (emu) => {
      assert.equal(await outcome(`${emu.webhookUrl}crm.deal.list`), 'reset');
    });
    await withFaults('malformed=1', async (emu) => {
      assert.equal(await outcome(`${emu.webhookUrl}crm.deal.list`), '200:bad-json');
    });
    await withFaults('truncated=1', async (emu) => {
      const text = await (await fetch(`${emu.webhookUrl}crm.deal.list`)).text();
      assert.ok(text.startsWith('{"result":[{"ID":"1"'));
      assert.throws(() => JSON.parse(text));
    });
    await withFaults('slow=1:250', async (emu) => {
      const started = performance.now();
      assert.equal(await outcome(`${emu.webhookUrl}server.time`), '200:json');
      assert.ok(performance.now() - started >= 245);
      assert.deepEqual(emu.stats().faults, { slow: 1 });
    });
  });

  it('never corrupts the answer of a write that ran: writes are faulted before they run', async () => {
    await withFaults('truncated=1', async (emu, writes) => {
      const post = (method: string, body: unknown) =>
        outcome(`${emu.webhookUrl}${method}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      assert.equal(await post('crm.deal.add', { fields: { TITLE: 'x' } }), '200:bad-json');
      assert.equal(await post('batch', { cmd: { a: 'crm.deal.add?fields[TITLE]=y' } }), '200:bad-json');
      assert.equal(writes.length, 0);
      emu.control({ action: 'set_faults', spec: '' });
      assert.equal(await post('crm.deal.add', { fields: { TITLE: 'z' } }), '200:json');
      assert.equal(writes.length, 1);
    });
  });

  it('applies faults only to /rest/ calls, and set_faults over HTTP restarts the sequence', async () => {
    await withFaults('reset=1', async (emu) => {
      assert.equal((await fetch(`${emu.baseUrl}/_emulator/stats`)).status, 200);
      const res = await fetch(`${emu.baseUrl}/_emulator/control`, {
        method: 'POST',
        body: JSON.stringify({ action: 'set_faults', spec: '5xx=1' }),
      });
      assert.equal(res.status, 200);
      assert.notEqual(await outcome(`${emu.webhookUrl}crm.deal.list`), 'reset');
      const bad = await fetch(`${emu.baseUrl}/_emulator/control`, {
        method: 'POST',
        body: JSON.stringify({ action: 'set_faults', spec: 'nonsense=1' }),
      });
      assert.equal(bad.status, 400);
    });
  });
});
