import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  ConfigError,
  checkConfig,
  clientOptionsFrom,
  loadConfig,
  streamOptionsFrom,
} from '../../src/sync/config.js';
import { tempDir } from '../temp-dir.js';

const WEBHOOK = 'https://example.bitrix24.com/rest/1/s3cr3tc0de42/';
const dir = tempDir('tap-config-');
function file(name: string, value: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
  return path;
}

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected ConfigError, got ${error}`);
    return error;
  }
  assert.fail('expected a ConfigError');
}

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig([file('min.json', { webhook_url: WEBHOOK })], {});
    assert.equal(config.webhook_url, WEBHOOK);
    assert.equal(config.plan, 'standard');
    assert.equal(config.operating_time_threshold, 200);
    assert.deepEqual(config.deal_category_ids, []);
    assert.deepEqual(config.streams, {});
    assert.equal(config.table_prefix, '');
    assert.equal(config.lookback_seconds, 300);
    assert.equal(config.full_sync_every_days, 0);
    assert.equal(config.max_concurrency, 4);
    assert.equal(config.extract_deal_contacts, false);
  });

  it('names the key, the expected values and the value for a wrong plan', () => {
    const error = configError(() => checkConfig({ webhook_url: WEBHOOK, plan: 'premium' }));
    assert.equal(error.key, 'plan');
    assert.equal(
      error.message,
      'config.plan: expected one of standard, enterprise, unlimited, got "premium"',
    );
  });

  it('rejects unknown keys, listing the known ones', () => {
    const error = configError(() => checkConfig({ webhook_url: WEBHOOK, webhok_url: 'x' }));
    assert.equal(error.key, 'webhok_url');
    assert.match(error.message, /unknown key; known keys: webhook_url, oauth/);
    for (const inherited of ['constructor', 'toString', '__proto__']) {
      const input = JSON.parse(`{"webhook_url": "${WEBHOOK}", "${inherited}": "x"}`) as Record<
        string,
        unknown
      >;
      assert.equal(configError(() => checkConfig(input)).key, inherited, `${inherited} is an unknown key`);
    }
  });

  it('names nested keys in streams and oauth', () => {
    const sync = configError(() =>
      checkConfig({ webhook_url: WEBHOOK, streams: { deals: { sync_type: 'DELTA' } } }),
    );
    assert.equal(sync.key, 'streams.deals.sync_type');
    assert.match(sync.message, /expected one of INCREMENTAL, FULL_TABLE/);
    const table = configError(() =>
      checkConfig({ webhook_url: WEBHOOK, streams: { deals: { table: 'my deals' } } }),
    );
    assert.equal(table.key, 'streams.deals.table');
    const extra = configError(() =>
      checkConfig({ webhook_url: WEBHOOK, streams: { deals: { selectd: true } } }),
    );
    assert.equal(extra.key, 'streams.deals.selectd');
    const oauth = configError(() =>
      checkConfig({ oauth: { client_id: 'app.1', portal_url: 'https://x.bitrix24.com' } }),
    );
    assert.equal(oauth.key, 'oauth.client_secret');
  });

  it('rejects wrong types with the key named', () => {
    assert.equal(
      configError(() => checkConfig({ webhook_url: WEBHOOK, max_concurrency: 0 })).key,
      'max_concurrency',
    );
    assert.equal(
      configError(() => checkConfig({ webhook_url: WEBHOOK, deal_category_ids: ['a'] })).key,
      'deal_category_ids',
    );
    assert.equal(
      configError(() => checkConfig({ webhook_url: WEBHOOK, start_date: 'yesterday' })).key,
      'start_date',
    );
    assert.equal(
      configError(() => checkConfig({ webhook_url: WEBHOOK, enable_deal_comments: 1 })).key,
      'enable_deal_comments',
    );
    assert.equal(
      configError(() => checkConfig({ webhook_url: WEBHOOK, table_prefix: 'a-b' })).key,
      'table_prefix',
    );
  });

  it('requires exactly one of webhook_url and oauth', () => {
    assert.equal(configError(() => checkConfig({})).key, 'webhook_url');
    const oauth = {
      client_id: 'app.1',
      client_secret: 'topsecretvalue',
      portal_url: 'https://x.bitrix24.com',
    };
    assert.match(configError(() => checkConfig({ webhook_url: WEBHOOK, oauth })).message, /not both/);
  });

  it('never puts a secret into an error message', () => {
    const bad = 'https://example.bitrix24.com/not-rest/s3cr3tc0de42';
    const webhook = configError(() => checkConfig({ webhook_url: bad }));
    assert.equal(webhook.key, 'webhook_url');
    assert.ok(!webhook.message.includes('s3cr3tc0de42'));
    const secret = configError(() =>
      checkConfig({
        oauth: { client_id: 'a', client_secret: 12345678, portal_url: 'https://x.bitrix24.com' },
      }),
    );
    assert.equal(secret.key, 'oauth.client_secret');
    assert.ok(!secret.message.includes('12345678'));
  });

  it('merges files left to right, then env vars TAP_BITRIX24_<KEY>', () => {
    const a = file('a.json', { webhook_url: WEBHOOK, plan: 'enterprise', lookback_seconds: 60 });
    const b = file('b.json', { lookback_seconds: 120, table_prefix: 'b24_' });
    const config = loadConfig([a, b], {
      TAP_BITRIX24_PLAN: 'unlimited',
      TAP_BITRIX24_DEAL_CATEGORY_IDS: '[0, 3]',
      TAP_BITRIX24_ENABLE_DEAL_PRODUCTS: 'true',
      TAP_BITRIX24_STREAMS: '{"leads":{"selected":false}}',
      TAP_BITRIX24_TEST_PG_URL: 'postgres://ignored', // not a config key: someone else's variable
    });
    assert.equal(config.plan, 'unlimited');
    assert.equal(config.lookback_seconds, 120);
    assert.equal(config.table_prefix, 'b24_');
    assert.deepEqual(config.deal_category_ids, [0, 3]);
    assert.equal(config.enable_deal_products, true);
    assert.deepEqual(config.streams, { leads: { selected: false } });
    const bad = configError(() => loadConfig([a], { TAP_BITRIX24_MAX_CONCURRENCY: 'many' }));
    assert.equal(bad.key, 'max_concurrency');
  });

  it('builds OAuth config from TAP_BITRIX24_OAUTH_* variables', () => {
    const config = loadConfig([], {
      TAP_BITRIX24_OAUTH_CLIENT_ID: 'local.1',
      TAP_BITRIX24_OAUTH_CLIENT_SECRET: 'sec-ret-value',
      TAP_BITRIX24_OAUTH_PORTAL_URL: 'https://x.bitrix24.com',
    });
    const options = clientOptionsFrom(config);
    assert.deepEqual(options.oauth, {
      clientId: 'local.1',
      clientSecret: 'sec-ret-value',
      portalUrl: 'https://x.bitrix24.com',
    });
    assert.equal(options.webhookUrl, undefined);
  });

  it('reports unreadable and malformed files', () => {
    assert.match(
      configError(() => loadConfig([join(dir, 'missing.json')], {})).message,
      /cannot read config file/,
    );
    assert.match(configError(() => loadConfig([file('bad.json', '{"plan":')], {})).message, /not valid JSON/);
  });

  it('maps to client and stream options, reading ca_file', () => {
    const ca = file('ca.pem', '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    const config = checkConfig({
      webhook_url: WEBHOOK,
      plan: 'enterprise',
      operating_time_threshold: 150,
      ca_file: ca,
      start_date: '2024-01-01T00:00:00Z',
      deal_category_ids: [2],
    });
    const client = clientOptionsFrom(config);
    assert.equal(client.webhookUrl, WEBHOOK);
    assert.equal(client.plan, 'enterprise');
    assert.equal(client.operatingTimeThreshold, 150);
    assert.match(client.ca ?? '', /BEGIN CERTIFICATE/);
    assert.deepEqual(streamOptionsFrom(config), {
      extract_deal_contacts: false,
      enable_deal_comments: false,
      enable_deal_products: false,
      deal_category_ids: [2],
      start_date: '2024-01-01T00:00:00Z',
      lookback_seconds: 300,
    });
    const missing = checkConfig({ webhook_url: WEBHOOK, ca_file: join(dir, 'nope.pem') });
    assert.equal(configError(() => clientOptionsFrom(missing)).key, 'ca_file');
  });
});
