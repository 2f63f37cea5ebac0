import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Agent, fetch as undiciFetch } from 'undici';
import { startEmulator } from '../../src/emulator/index.js';
import { fakeMethods } from './server-fake-methods.js';

const bin = fileURLToPath(new URL('../../bin/tap-bitrix24.js', import.meta.url));

describe('tap-bitrix24 emulator command', () => {
  it('prints one JSON line once it listens, serves, and exits cleanly on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      [bin, 'emulator', '--port', '0', '--seed', '1', '--scale', '1000', '--tls'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    try {
      const lines = createInterface({ input: child.stdout });
      const line = await Promise.race([
        once(lines, 'line').then(([l]) => l as string),
        once(child, 'exit').then(([code]) => {
          throw new Error(`emulator exited with ${code} before listening: ${stderr}`);
        }),
      ]);
      const info = JSON.parse(line) as {
        webhook_url: string;
        port: number;
        ca_file: string;
        oauth: Record<string, string>;
      };
      assert.deepEqual(Object.keys(info.oauth).sort(), [
        'authorize_url',
        'client_id',
        'client_secret',
        'portal_url',
        'refresh_token',
        'token_url',
      ]);
      assert.equal(
        info.webhook_url,
        `https://127.0.0.1:${info.port}/rest/1/${info.webhook_url.split('/')[5]}/`,
      );
      // the webhook code and client secret follow from --seed
      const same = await startEmulator({ seed: 1, methods: fakeMethods().methods });
      try {
        assert.equal(new URL(same.webhookUrl).pathname, new URL(info.webhook_url).pathname);
        assert.equal(same.oauth.client_secret, info.oauth.client_secret);
      } finally {
        await same.close();
      }
      const { readFile } = await import('node:fs/promises');
      const agent = new Agent({ connect: { ca: await readFile(info.ca_file, 'utf8') } });
      try {
        const res = await undiciFetch(`${info.webhook_url}crm.deal.list`, { dispatcher: agent });
        assert.equal(res.status, 200);
        const body = (await res.json()) as { result: unknown[]; total: number };
        assert.equal(body.result.length, 50);
        assert.ok(body.total >= 500);
      } finally {
        await agent.close();
      }
      child.kill('SIGTERM');
      const [code] = await once(child, 'exit');
      assert.equal(code, 0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('refuses a bad fault spec with a message and a non-zero exit', async () => {
    const child = spawn(process.execPath, [bin, 'emulator', '--faults', 'boom=1'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const [code] = await once(child, 'exit');
    assert.notEqual(code, 0);
    assert.match(stderr, /unknown fault/);
  });
});
