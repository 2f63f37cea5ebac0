import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { Bitrix24Client } from '../../src/client/index.js';
import { MethodError, startEmulator } from '../../src/emulator/index.js';
import { buildMethodTable, generatePortal } from '../../src/emulator/methods/index.js';
import type { JsonSchema } from '../../src/schema/index.js';
import { discoverStreams, STREAM_DECLARATIONS, streamReferenceMarkdown } from '../../src/streams/index.js';
import {
  CollectingLogger,
  DEFAULT_OPTIONS,
  openPortal,
  type PortalUnderTest,
  streamNamed,
} from './stream-harness.js';

const typeOf = (schema: JsonSchema, property: string): unknown =>
  (schema.properties?.[property] as JsonSchema | undefined)?.type;

describe('discovery with every scope', () => {
  let portal: PortalUnderTest;
  before(async () => {
    portal = await openPortal({
      scale: 60,
      options: { enable_deal_comments: true, enable_deal_products: true },
    });
  });
  after(() => portal.close());

  it('lists every declared stream, and one set of smart-process streams per SPA type', async () => {
    const names = new Set(portal.discovery.streams.map((s) => s.name));
    assert.deepEqual(portal.discovery.unavailable, []);
    for (const d of STREAM_DECLARATIONS) {
      if (d.name.includes('{entityTypeId}')) continue;
      assert.ok(names.has(d.name), `${d.name} is missing`);
    }
    const types = (await portal.client.call<{ types: { entityTypeId: number }[] }>('crm.type.list')).result
      .types;
    assert.ok(types.length > 0, 'the emulated portal has smart processes');
    for (const { entityTypeId } of types) {
      for (const name of [
        `spa_${entityTypeId}`,
        `spa_fields_${entityTypeId}`,
        `spa_stage_history_${entityTypeId}`,
      ]) {
        assert.ok(names.has(name), `${name} is missing`);
      }
    }
  });

  it('types custom fields from the portal instead of calling everything a string', async () => {
    const deals = streamNamed(portal, 'deals');
    const fields = (
      await portal.client.call<Record<string, { type: string; isMultiple: boolean }>>('crm.deal.fields')
    ).result;
    const ufs = Object.entries(fields).filter(([name]) => name.startsWith('UF_'));
    assert.ok(ufs.length > 5, 'the portal has custom deal fields');
    for (const [name] of ufs) assert.ok(deals.schema.properties?.[name], `deals schema lacks ${name}`);
    const integerUf = ufs.find(([, f]) => f.type === 'integer' && !f.isMultiple);
    const doubleUf = ufs.find(([, f]) => f.type === 'double' && !f.isMultiple);
    assert.ok(integerUf && doubleUf);
    assert.deepEqual(typeOf(deals.schema, integerUf[0]), ['integer', 'null']);
    assert.deepEqual(typeOf(deals.schema, doubleUf[0]), ['number', 'null']);
    assert.deepEqual(typeOf(deals.schema, 'OPPORTUNITY'), ['number', 'null']);
    assert.deepEqual(typeOf(streamNamed(portal, 'contacts').schema, 'PHONE'), ['array', 'null']);
  });

  it('declares keys and replication keys as the stream table does', () => {
    const expect: [string, string, string | undefined][] = [
      ['contacts', 'ID', 'DATE_MODIFY'],
      ['deals', 'ID', 'DATE_MODIFY'],
      ['activities', 'ID', 'LAST_UPDATED'],
      ['product', 'ID', 'TIMESTAMP_X'],
      ['deal_fields', 'id', undefined],
      ['status_list', 'ID', undefined],
      ['deal_stage_history', 'ID', 'CREATED_TIME'],
      ['deal_comments', 'ID', 'CREATED'],
      ['deal_products', 'ID', undefined],
      ['spa_types', 'id', undefined],
      ['calls', 'ID', 'CALL_START_DATE'],
    ];
    for (const [name, key, rk] of expect) {
      const s = streamNamed(portal, name);
      assert.deepEqual(s.keyProperties, [key], name);
      assert.equal(s.replicationKey, rk, name);
    }
    assert.ok(streamNamed(portal, 'activities').validReplicationKeys.includes('CREATED'));
  });
});

describe('discovery with the crm scope only', () => {
  let portal: PortalUnderTest;
  before(async () => {
    portal = await openPortal({ scale: 20, scopes: ['crm'] });
  });
  after(() => portal.close());

  it('leaves out users, departments, calls and open lines with the reason, and turned-off streams', () => {
    const reasons = new Map(portal.discovery.unavailable.map((u) => [u.name, u.reason]));
    for (const [name, scope] of [
      ['users', 'user'],
      ['departments', 'department'],
      ['calls', 'telephony'],
      ['open_lines', 'imopenlines'],
    ]) {
      assert.match(reasons.get(name) ?? '', new RegExp(`needs scope ${scope}.*crm`), name);
      assert.ok(!portal.discovery.streams.some((s) => s.name === name), name);
    }
    assert.match(reasons.get('deal_comments') ?? '', /enable_deal_comments/);
    assert.match(reasons.get('deal_products') ?? '', /enable_deal_products/);
    assert.ok(portal.discovery.streams.some((s) => s.name === 'deals'));
  });
});

describe('reference doc', () => {
  it('docs/REFERENCE.md is exactly what streamReferenceMarkdown() generates', () => {
    const committed = readFileSync(new URL('../../docs/REFERENCE.md', import.meta.url), 'utf8');
    assert.equal(committed, streamReferenceMarkdown(), 'regenerate: npm run docs:streams');
  });

  it('names every stream with its key, replication key and scope', () => {
    const doc = streamReferenceMarkdown();
    for (const d of STREAM_DECLARATIONS) {
      assert.ok(doc.includes(`| \`${d.name}\` | \`${d.method}\` | ${d.keyProperties.join(', ')} |`), d.name);
    }
    assert.match(doc, /```mermaid/);
  });
});

describe('discovery when the portal refuses a describe call', () => {
  it('leaves that stream out with the reason instead of failing', async () => {
    const generated = generatePortal({ seed: 3, scale: 20, now: Date.now() });
    const methods = buildMethodTable(generated);
    const real = methods.get('crm.activity.fields');
    assert.ok(real);
    methods.set('crm.activity.fields', {
      ...real,
      handle: () => {
        throw new MethodError('ACCESS_DENIED', 'Access denied!', 403);
      },
    });
    const emulator = await startEmulator({ methods, plan: 'unlimited', timeScale: 1000 });
    const client = new Bitrix24Client({ webhookUrl: emulator.webhookUrl, plan: 'unlimited' });
    try {
      const discovery = await discoverStreams(client, DEFAULT_OPTIONS, new CollectingLogger());
      const reasons = new Map(discovery.unavailable.map((u) => [u.name, u.reason]));
      assert.match(
        reasons.get('activities') ?? '',
        /crm\.activity\.fields was refused \(ACCESS_DENIED: Access denied/,
      );
      assert.match(reasons.get('activity_fields') ?? '', /ACCESS_DENIED/);
      assert.ok(discovery.streams.some((s) => s.name === 'deals'));
      assert.ok(!discovery.streams.some((s) => s.name === 'activities'));
    } finally {
      await client.close();
      await emulator.close();
    }
  });
});

describe('discovery asks each describe call once', () => {
  it('an entity and its `*_fields` stream share one crm.deal.fields call', async () => {
    const generated = generatePortal({ seed: 3, scale: 20, now: Date.now() });
    const methods = buildMethodTable(generated);
    const asked = new Map<string, number>();
    for (const [name, definition] of methods) {
      if (!name.endsWith('.fields')) continue;
      methods.set(name, {
        ...definition,
        handle: (params, ctx) => {
          const key = `${name} ${JSON.stringify(params)}`;
          asked.set(key, (asked.get(key) ?? 0) + 1);
          return definition.handle(params, ctx);
        },
      });
    }
    const emulator = await startEmulator({ methods, plan: 'unlimited', timeScale: 1000 });
    const client = new Bitrix24Client({ webhookUrl: emulator.webhookUrl, plan: 'unlimited' });
    try {
      const discovery = await discoverStreams(client, DEFAULT_OPTIONS, new CollectingLogger());
      const names = new Set(discovery.streams.map((s) => s.name));
      assert.ok(names.has('deals') && names.has('deal_fields'), 'both streams describe crm.deal.fields');
      assert.ok([...asked.keys()].some((key) => key.startsWith('crm.deal.fields ')));
      for (const [key, times] of asked) assert.equal(times, 1, `${key} was asked ${times} times`);
    } finally {
      await client.close();
      await emulator.close();
    }
  });
});
