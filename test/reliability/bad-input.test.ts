/**
 * Bad input files, through the real command line: a config, catalog or state that is not JSON,
 * cut short, of the wrong type or from an older version gets ONE clear error naming the key and
 * the fix, a non-zero exit code, and never a stack trace as the message.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import type { CliResult } from '../cli/run-cli.js';
import { runBundledCli as runCli } from './bundled-cli.js';
import { tempDir } from './reliability-harness.js';

const dir = tempDir('bad-input');
let counter = 0;
function file(text: string): string {
  const path = join(dir, `input-${counter++}.json`);
  writeFileSync(path, text);
  return path;
}

/** One error, said once, with no stack frames and no internal error class as the whole story. */
function assertOneClearError(result: CliResult, mentions: RegExp[]): void {
  assert.notEqual(result.code, 0, 'the command fails');
  assert.equal(result.signal, null);
  const text = result.stderr;
  assert.doesNotMatch(text, /^\s+at .+\(.+:\d+:\d+\)$/m, `no stack trace:\n${text}`);
  assert.doesNotMatch(
    text,
    /\b(TypeError|RangeError|SyntaxError|ReferenceError): /,
    `no raw JS error:\n${text}`,
  );
  for (const m of mentions) assert.match(text, m, `stderr names ${m}:\n${text}`);
  const errorLines = text.split('\n').filter((l) => /^error:|CRITICAL|"level":(50|60)/.test(l));
  assert.ok(errorLines.length >= 1 && errorLines.length <= 2, `one error, not a cascade:\n${text}`);
}

describe('bad config files (sync command)', { concurrency: 4 }, () => {
  const webhook = 'http://127.0.0.1:9/rest/1/abcdefgh12345678/';
  const cases: { name: string; text: string; mentions: RegExp[] }[] = [
    { name: 'not JSON', text: 'webhook_url = "x"', mentions: [/not valid JSON/] },
    {
      name: 'truncated',
      text: JSON.stringify({ webhook_url: webhook, plan: 'standard' }).slice(0, 30),
      mentions: [/not valid JSON/],
    },
    { name: 'an array, not an object', text: '[]', mentions: [/must hold a JSON object/] },
    {
      name: 'a number where a count belongs',
      text: JSON.stringify({ webhook_url: webhook, max_concurrency: 'many' }),
      mentions: [/max_concurrency/, /integer/],
    },
    {
      name: 'an unknown plan',
      text: JSON.stringify({ webhook_url: webhook, plan: 'business' }),
      mentions: [/plan/, /standard, enterprise, unlimited/],
    },
    {
      name: 'an older version’s key names (webhook, client_secret at the top)',
      text: JSON.stringify({ webhook: webhook }),
      mentions: [/webhook\b/, /known keys: webhook_url/],
    },
    {
      name: 'no credentials',
      text: JSON.stringify({ plan: 'standard' }),
      mentions: [/webhook_url/, /incoming webhook/],
    },
  ];
  for (const c of cases) {
    it(`${c.name}: one clear error`, async () => {
      const result = await runCli(['sync', '--config', file(c.text), '--to', join(dir, 'never.duckdb')]);
      assert.equal(result.code, 2, 'a usage error exits with 2');
      assertOneClearError(result, c.mentions);
    });
  }

  it('a missing config file: one clear error naming the path', async () => {
    const result = await runCli([
      'sync',
      '--config',
      join(dir, 'nope.json'),
      '--to',
      join(dir, 'never.duckdb'),
    ]);
    assertOneClearError(result, [/nope\.json/, /ENOENT/]);
  });
});

describe('bad catalog and state files (Singer mode)', { concurrency: 4 }, () => {
  let emulator: RunningEmulator;
  let config: string;
  before(async () => {
    emulator = await startEmulator({ seed: 41, scale: 10, plan: 'unlimited', timeScale: 50 });
    config = file(JSON.stringify({ webhook_url: emulator.webhookUrl, plan: 'unlimited' }));
  });
  after(() => emulator.close());

  const catalogs: { name: string; text: string; mentions: RegExp[] }[] = [
    { name: 'not JSON', text: '{"streams": [', mentions: [/catalog/, /not valid JSON/, /--discover/] },
    { name: 'streams of the wrong type', text: '{"streams": {}}', mentions: [/streams/, /array/] },
    {
      name: 'an older catalog with no stream id',
      text: JSON.stringify({ streams: [{ schema: {}, selected: true }] }),
      mentions: [/streams\[0\]\.tap_stream_id/, /--discover/],
    },
    {
      name: 'metadata of the wrong type',
      text: JSON.stringify({ streams: [{ tap_stream_id: 'deals', metadata: {} }] }),
      mentions: [/streams\[0\]\.metadata/],
    },
  ];
  for (const c of catalogs) {
    it(`catalog ${c.name}: one clear error`, async () => {
      const result = await runCli(['--config', config, '--catalog', file(c.text)]);
      assertOneClearError(result, c.mentions);
      assert.equal(result.stdout, '', 'no Singer message is written before the error');
    });
  }

  const states: { name: string; text: string; mentions: RegExp[] }[] = [
    { name: 'not JSON', text: '{"bookmarks": {"deals": ', mentions: [/state/, /not valid JSON/, /--state/] },
    { name: 'an array', text: '[1, 2]', mentions: [/state/, /JSON object/] },
    {
      name: 'bookmarks of the wrong type',
      text: JSON.stringify({ bookmarks: [] }),
      mentions: [/\\?"bookmarks\\?" must be an object/],
    },
    {
      name: 'a bookmark value of the wrong type',
      text: JSON.stringify({ bookmarks: { deals: { replication_key_value: 5 } } }),
      mentions: [/bookmarks\.deals\.replication_key_value/],
    },
  ];
  for (const c of states) {
    it(`state ${c.name}: one clear error`, async () => {
      const result = await runCli(['--config', config, '--state', file(c.text)]);
      assertOneClearError(result, c.mentions);
    });
  }

  it('state from an older version (flat, Meltano-wrapped) is accepted', async () => {
    const flat = JSON.stringify({ value: { deals: { replication_key_value: '2020-01-01T00:00:00+00:00' } } });
    const catalog = file(
      JSON.stringify({
        streams: [
          {
            tap_stream_id: 'status_list',
            metadata: [{ breadcrumb: [], metadata: { selected: true } }],
          },
        ],
      }),
    );
    const result = await runCli(['--config', config, '--catalog', catalog, '--state', file(flat)]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /"type":"STATE"/);
  });
});
