/**
 * Answers escaped as a portal's PHP writes them (`--json-escaping php`): ASCII only, `\uxxxx`,
 * `\/` and the JSON_HEX_* escapes; the same values as the raw UTF-8 answers; and a sync of either
 * leaves the same tables.
 */
import assert from 'node:assert/strict';
import { isAscii } from 'node:buffer';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { encodeAnswer } from '../../src/emulator/http/php-json.js';
import { type JsonEscaping, startEmulator } from '../../src/emulator/index.js';
import { checkConfig } from '../../src/sync/config.js';
import { syncPortal } from '../../src/sync/run.js';
import { duckdbSnapshot } from '../sync/table-snapshot.js';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };
/** One emulated start instant, so both portals generate the same dates. */
const now = Date.UTC(2026, 0, 15, 9);

describe('answers escaped like PHP json_encode with Bitrix defaults', () => {
  it('escapes beyond ASCII, slashes and the HEX characters, and parses back to the same value', () => {
    const value = { TITLE: 'Сделка <b>№1</b> & "Co" \'x\' 📄', URL: '/a/b', PATH: 'a\\', N: null };
    const text = encodeAnswer(value, 'php');
    assert.equal(
      text,
      '{"TITLE":"\\u0421\\u0434\\u0435\\u043b\\u043a\\u0430 \\u003Cb\\u003E\\u2116' +
        '1\\u003C\\/b\\u003E \\u0026 \\u0022Co\\u0022 \\u0027x\\u0027 \\ud83d\\udcc4",' +
        '"URL":"\\/a\\/b","PATH":"a\\\\","N":null}',
    );
    assert.deepEqual(JSON.parse(text), value);
    assert.equal(encodeAnswer(value, 'raw'), JSON.stringify(value));
  });

  it('serves the same values as raw answers, in ASCII', async () => {
    const bodies: Record<JsonEscaping, string> = { raw: '', php: '' };
    for (const jsonEscaping of ['raw', 'php'] as const) {
      const emulator = await startEmulator({ seed: 3, scale: 200, plan: 'unlimited', now, jsonEscaping });
      try {
        const url = `${emulator.webhookUrl}crm.contact.list?select[]=*&select[]=UF_*&select[]=PHONE`;
        bodies[jsonEscaping] = await (await fetch(url)).text();
      } finally {
        await emulator.close();
      }
    }
    assert.ok(isAscii(Buffer.from(bodies.php)), 'a PHP-escaped answer is pure ASCII');
    assert.ok(!isAscii(Buffer.from(bodies.raw)), 'the generated contacts hold text beyond ASCII');
    assert.match(bodies.php, /\\u04[0-9a-f]{2}/);
    const values = (body: string) => (JSON.parse(body) as { result: unknown }).result;
    assert.deepEqual(values(bodies.php), values(bodies.raw));
  });

  it('a sync of escaped answers leaves the same tables as one of raw answers', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tap-bitrix24-escaping-'));
    try {
      const snapshots = [];
      for (const jsonEscaping of ['raw', 'php'] as const) {
        const emulator = await startEmulator({ seed: 5, scale: 300, plan: 'unlimited', now, jsonEscaping });
        const target = join(dir, `answers-${jsonEscaping}.duckdb`);
        try {
          const { summary } = await syncPortal({
            config: checkConfig({ webhook_url: emulator.webhookUrl, plan: 'unlimited' }),
            target,
            only: ['contacts', 'companies', 'deals', 'users'],
            logger: quiet,
          });
          assert.ok(summary.ok, JSON.stringify(summary.streams.filter((s) => s.status !== 'ok')));
        } finally {
          await emulator.close();
        }
        snapshots.push(await duckdbSnapshot(target));
      }
      const [raw, php] = snapshots;
      assert.deepEqual(Object.keys(php), Object.keys(raw));
      for (const table of Object.keys(raw)) assert.deepEqual(php[table], raw[table], table);
      // The streams' own tables have rows (tables derived from them, like company_messengers, may not).
      for (const table of ['contacts', 'companies', 'deals', 'users'])
        assert.ok(raw[table]!.rows.length > 0, `${table} has rows`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
