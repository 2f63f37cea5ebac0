/**
 * The config's plain-language errors: JSON types in files (text from the environment converted by
 * the key's type), streams named in the config that the portal does not know, cron expressions.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ConfigError, checkConfig, loadConfig } from '../../src/sync/config.js';
import { checkConfiguredStreams } from '../../src/sync/configured-streams.js';
import { cronProblem } from '../../src/sync/cron-expression.js';

const WEBHOOK = 'https://example.bitrix24.com/rest/1/s3cr3tc0de42/';

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${error}`);
    return error.message;
  }
  return assert.fail('expected a ConfigError');
}

describe('config messages', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tap-config-messages-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('a quoted number or boolean in a file is a wrong type, with the unquoted fix', () => {
    const path = join(dir, 'quoted.json');
    writeFileSync(path, JSON.stringify({ webhook_url: WEBHOOK, max_concurrency: '4' }));
    assert.equal(
      messageOf(() => loadConfig([path], {})),
      'config.max_concurrency: expected an integer >= 1, got "4"; write it without quotes: "max_concurrency": 4',
    );
    assert.equal(
      messageOf(() => checkConfig({ webhook_url: WEBHOOK, extract_deal_contacts: 'true' })),
      'config.extract_deal_contacts: expected true or false, got "true"; write it without quotes: "extract_deal_contacts": true',
    );
    assert.match(
      messageOf(() => checkConfig({ webhook_url: WEBHOOK, deal_category_ids: '[1, 2]' })),
      /write it without quotes: "deal_category_ids": \[1,2\]$/,
    );
    // Text that would not be right unquoted either gets no such hint.
    assert.equal(
      messageOf(() => checkConfig({ webhook_url: WEBHOOK, max_concurrency: 'four' })),
      'config.max_concurrency: expected an integer >= 1, got "four"',
    );
  });

  it('environment variables hold text: it is converted by the key’s declared type', () => {
    const config = loadConfig([], {
      TAP_BITRIX24_WEBHOOK_URL: WEBHOOK,
      TAP_BITRIX24_MAX_CONCURRENCY: '2',
      TAP_BITRIX24_EXTRACT_DEAL_CONTACTS: 'true',
      TAP_BITRIX24_DEAL_CATEGORY_IDS: '[1, 2]',
    });
    assert.equal(config.max_concurrency, 2);
    assert.equal(config.extract_deal_contacts, true);
    assert.deepEqual(config.deal_category_ids, [1, 2]);
    assert.match(
      messageOf(() =>
        loadConfig([], { TAP_BITRIX24_WEBHOOK_URL: WEBHOOK, TAP_BITRIX24_HISTORY_DAYS: 'week' }),
      ),
      /^config\.history_days: expected a number >= 0, got "week"$/,
    );
  });

  it('a configured stream the portal does not know: the nearest name, or none', () => {
    const discovery = {
      streams: [{ name: 'deals' }, { name: 'leads' }, { name: 'spa_128' }],
      unavailable: [{ name: 'deal_comments' }],
    };
    checkConfiguredStreams({ deals: {}, deal_comments: {}, spa_128: {} }, discovery);
    assert.equal(
      messageOf(() => checkConfiguredStreams({ deal: {} }, discovery)),
      'config.streams.deal: unknown stream; did you mean `deals`? (`tap-bitrix24 check` lists the streams)',
    );
    assert.match(
      messageOf(() => checkConfiguredStreams({ spa_129: {} }, discovery)),
      /did you mean `spa_128`\?/,
    );
    assert.match(
      messageOf(() => checkConfiguredStreams({ invoices: {} }, discovery)),
      /^config\.streams\.invoices: unknown stream; no stream of that name on this portal/,
    );
  });

  it('cron expressions: what is wrong, the five fields and an example', () => {
    assert.equal(cronProblem('0 3 * * *'), undefined);
    assert.equal(cronProblem('*/2 * * * * *'), undefined, 'a seconds field is accepted');
    const cases: [string, RegExp][] = [
      ['every day', /^"every day" is not a cron expression: it has 2 fields\./],
      ['', /: it is empty\./],
      ['61 3 * * *', /a value is out of range \(minute must be 0-59\)/],
      ['0 3 32 * *', /day-of-month must be 1-31/],
      ['0 3 * 13 *', /month must be 1-12 or jan-dec/],
      ['*/0 * * * *', /a step \(\*\/N\) must be a whole number from 1/],
      ['abc * * * *', /"abc" is not a number, range/],
    ];
    for (const [pattern, expected] of cases) {
      const problem = cronProblem(pattern) ?? '';
      assert.match(problem, expected, pattern);
      assert.match(problem, /five fields, minute hour day-of-month month day-of-week; e\.g\. "0 3 \* \* \*"/);
      assert.doesNotMatch(problem, /CronPattern/);
    }
    assert.match(
      messageOf(() => checkConfig({ webhook_url: WEBHOOK, schedule: '0 3 * *' })),
      /^config\.schedule: "0 3 \* \*" is not a cron expression: it has 4 fields/,
    );
  });
});
