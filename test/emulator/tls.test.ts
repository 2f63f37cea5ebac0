import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { Agent, fetch as undiciFetch } from 'undici';
import { type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { fakeMethods } from './server-fake-methods.js';

const run = promisify(execFile);

describe('emulator TLS', () => {
  let emu: RunningEmulator;
  before(async () => {
    emu = await startEmulator({ tls: true, plan: 'unlimited', methods: fakeMethods().methods });
  });
  after(() => emu.close());

  it('serves https URLs and writes its certificate to ca_file', async () => {
    assert.ok(emu.webhookUrl.startsWith(`https://127.0.0.1:${emu.port}/rest/1/`));
    assert.ok(emu.oauth.token_url.startsWith('https://'));
    assert.ok(emu.caFile);
    const pem = await readFile(emu.caFile, 'utf8');
    assert.equal(pem, emu.caPem);
    assert.match(pem, /^-----BEGIN CERTIFICATE-----/);
    assert.equal((emu.connectionInfo() as { ca_file?: string }).ca_file, emu.caFile);
  });

  it('is trusted with the CA given as `ca`, and refused without it', async () => {
    const trusted = new Agent({ connect: { ca: emu.caPem } });
    try {
      const res = await undiciFetch(`${emu.webhookUrl}crm.deal.list`, { dispatcher: trusted });
      assert.equal(res.status, 200);
      assert.equal(((await res.json()) as { result: unknown[] }).result.length, 50);
      const localhost = await undiciFetch(`${emu.webhookUrl.replace('127.0.0.1', 'localhost')}server.time`, {
        dispatcher: trusted,
      });
      assert.equal(localhost.status, 200);
    } finally {
      await trusted.close();
    }
    const untrusted = new Agent();
    try {
      await assert.rejects(undiciFetch(`${emu.webhookUrl}server.time`, { dispatcher: untrusted }));
    } finally {
      await untrusted.close();
    }
  });

  it('is trusted by another process through NODE_EXTRA_CA_CERTS', async () => {
    const script = `const r = await fetch(process.argv[1] + 'server.time'); console.log(r.status, (await r.json()).result);`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script, emu.webhookUrl], {
      env: { ...process.env, NODE_EXTRA_CA_CERTS: emu.caFile },
    });
    assert.match(stdout, /^200 \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+03:00/);
  });
});
