import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Agent, fetch as undiciFetch } from 'undici';
import { type RunningEmulator, startEmulator } from '../../src/emulator/index.js';

const run = promisify(execFile);
const script = fileURLToPath(new URL('./server-sdk-list-deals.ts', import.meta.url));

describe('official JS SDK against the emulator', () => {
  let emu: RunningEmulator;
  before(async () => {
    emu = await startEmulator({ tls: true, seed: 1, scale: 1000, plan: 'standard', timeScale: 10 });
  });
  after(() => emu.close());

  it('lists every deal of a scale-1000 portal exactly once over HTTPS', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', script, emu.webhookUrl], {
      env: { ...process.env, NODE_EXTRA_CA_CERTS: emu.caFile },
      maxBuffer: 16 * 1024 * 1024,
    });
    const ids = JSON.parse(stdout.trim().split('\n').pop() ?? '[]') as string[];
    const agent = new Agent({ connect: { ca: emu.caPem } });
    let total: number;
    let summary: Record<string, number>;
    try {
      const res = await undiciFetch(`${emu.webhookUrl}crm.deal.list?select[]=ID`, { dispatcher: agent });
      total = ((await res.json()) as { total: number }).total;
      summary = (await (
        await undiciFetch(`${emu.baseUrl}/_emulator/portal`, { dispatcher: agent })
      ).json()) as Record<string, number>;
    } finally {
      await agent.close();
    }
    assert.equal(summary.deals, total);
    assert.ok(total >= 500, `portal has ${total} deals`);
    assert.equal(ids.length, total);
    assert.equal(new Set(ids).size, total);
    assert.ok((emu.stats().requests_by_method['crm.deal.list'] ?? 0) >= Math.ceil(total / 50));
  });
});
