/**
 * Property tests over every parser that reads untrusted text: the config loader (files + env),
 * the Singer catalog and state parsers, and the client's answer reader. For any input they either
 * return a value or throw their own typed error; never a TypeError, RangeError or other crash.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { readAnswer } from '../../src/client/answer.js';
import { Bitrix24Error } from '../../src/client/index.js';
import { CatalogError, parseCatalog } from '../../src/singer/catalog.js';
import { parseState, StateError } from '../../src/singer/state.js';
import { ConfigError, loadConfig } from '../../src/sync/config.js';
import { tempDir } from './reliability-harness.js';

const RUNS = 400;

/** JSON-ish values biased toward the shapes the parsers look for. */
const jsonValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.double(),
    fc.string(),
    fc.constantFrom('', 'true', 'standard', 'INCREMENTAL', '[1,2]', '{"a":1}', '-1', 'NaN', '1e999'),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(
      fc.oneof(
        fc.string(),
        fc.constantFrom(
          'webhook_url',
          'oauth',
          'plan',
          'streams',
          'max_concurrency',
          'deal_category_ids',
          'start_date',
          'client_secret',
          'bookmarks',
          'value',
          'singer_state',
          'tap_stream_id',
          'metadata',
          'breadcrumb',
          'replication_key_value',
          'resume',
          'result',
          'error',
          'time',
          'total',
          'next',
          '__proto__',
          'constructor',
        ),
      ),
      tie('value'),
      { maxKeys: 5 },
    ),
  ),
})).value;

/** Text: valid JSON of those values, the same cut short or corrupted, or arbitrary strings. */
const jsonText = fc.oneof(
  jsonValue.map((v) => JSON.stringify(v) ?? 'null'),
  fc
    .tuple(jsonValue, fc.nat())
    .map(([v, n]) => (JSON.stringify(v) ?? 'null').slice(0, n % ((JSON.stringify(v) ?? '').length + 1))),
  fc.string(),
  fc.string({ unit: 'binary' }),
);

function expectTyped(run: () => unknown, typed: (e: unknown) => boolean): void {
  try {
    run();
  } catch (error) {
    if (!typed(error)) {
      assert.fail(`untyped failure ${(error as Error)?.name}: ${(error as Error)?.message}`);
    }
  }
}

describe('parsers never crash on untrusted input', () => {
  it('config loader: any file content and env values give a TapConfig or a ConfigError', () => {
    const dir = tempDir('config-prop');
    let n = 0;
    fc.assert(
      fc.property(
        jsonText,
        fc.option(jsonValue.map((v) => (typeof v === 'string' ? v : (JSON.stringify(v) ?? '')))),
        fc.constantFrom(
          'PLAN',
          'MAX_CONCURRENCY',
          'STREAMS',
          'OAUTH',
          'OAUTH_CLIENT_ID',
          'DEAL_CATEGORY_IDS',
          'WEBHOOK_URL',
        ),
        (text, envValue, envKey) => {
          const path = join(dir, `c${n++}.json`);
          writeFileSync(path, text);
          const env = envValue === null ? {} : { [`TAP_BITRIX24_${envKey}`]: envValue };
          expectTyped(
            () => loadConfig([path], env),
            (e) => e instanceof ConfigError,
          );
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('catalog parser: any text gives a Catalog or a CatalogError', () => {
    fc.assert(
      fc.property(jsonText, (text) => {
        expectTyped(
          () => parseCatalog(text, 'catalog.json'),
          (e) => e instanceof CatalogError,
        );
      }),
      { numRuns: RUNS },
    );
  });

  it('catalog parser: near-valid catalogs (random entries in a streams array) never crash', () => {
    fc.assert(
      fc.property(fc.array(jsonValue, { maxLength: 4 }), (entries) => {
        expectTyped(
          () => parseCatalog(JSON.stringify({ streams: entries }), 'catalog.json'),
          (e) => e instanceof CatalogError,
        );
      }),
      { numRuns: RUNS },
    );
  });

  it('state parser: any text gives a state or a StateError', () => {
    fc.assert(
      fc.property(jsonText, (text) => {
        expectTyped(
          () => parseState(text, 'state.json'),
          (e) => e instanceof StateError,
        );
      }),
      { numRuns: RUNS },
    );
  });

  it('state parser: near-valid states (random bookmarks) never crash', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), jsonValue, { maxKeys: 4 }), (bookmarks) => {
        expectTyped(
          () => parseState(JSON.stringify({ bookmarks }), 'state.json'),
          (e) => e instanceof StateError,
        );
      }),
      { numRuns: RUNS },
    );
  });

  it('answer reader: any body, status and content type give a CallResponse or a Bitrix24Error', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          jsonText,
          jsonValue.map((v) => JSON.stringify({ result: v, time: v, total: v, next: v })),
        ),
        fc.constantFrom(200, 302, 400, 401, 403, 404, 429, 500, 502, 503),
        fc.constantFrom('application/json', 'text/html', '', 'text/plain; charset=utf-8'),
        (text, status, contentType) => {
          expectTyped(
            () =>
              readAnswer(
                { status, contentType, body: Buffer.from(text), url: 'https://x.bitrix24.com/rest/1/code/m' },
                'crm.deal.list',
              ),
            (e) => e instanceof Bitrix24Error,
          );
        },
      ),
      { numRuns: RUNS * 2 },
    );
  });

  it('answer reader: deep nesting is refused with a typed error, not a stack overflow later', () => {
    const depth = 100_000;
    const text = `{"result":${'['.repeat(depth)}${']'.repeat(depth)}}`;
    assert.throws(
      () =>
        readAnswer(
          {
            status: 200,
            contentType: 'application/json',
            body: Buffer.from(text),
            url: 'https://x/rest/1/c/m',
          },
          'crm.deal.list',
        ),
      (e: unknown) => e instanceof Bitrix24Error && e.code === 'ANSWER_TOO_DEEP',
    );
    // Strings full of brackets are not nesting.
    const quoted = JSON.stringify({ result: ['['.repeat(10_000)] });
    const answer = readAnswer<string[]>(
      {
        status: 200,
        contentType: 'application/json',
        body: Buffer.from(quoted),
        url: 'https://x/rest/1/c/m',
      },
      'crm.deal.list',
    );
    assert.equal(answer.result[0]!.length, 10_000);
  });
});
