/**
 * Each fact about a stream (list method, relations, default selection, sync type) is declared
 * once, on its declaration, and every copy is derived from it: the README's data model diagram,
 * the reference doc, the console's table diagram, the Singer catalog's metadata and the list
 * method the engine schedules by. Checked against streams discovered from a real emulated portal
 * over HTTP, with every scope and option on.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { Bitrix24Client } from '../../src/client/index.js';
import { relationsAmong } from '../../src/console/table-diagram.js';
import { startEmulator } from '../../src/emulator/index.js';
import { catalogFromDiscovery } from '../../src/singer/catalog.js';
import { syncTypeOf } from '../../src/streams/declaration.js';
import {
  dataModelMermaid,
  discoverStreams,
  STREAM_DECLARATIONS,
  streamReferenceMarkdown,
} from '../../src/streams/index.js';
import { declarationNamed } from '../../src/streams/relations.js';
import type { Discovery, Stream } from '../../src/streams/stream.js';
import { DATA_MODEL_MARKER, readmeWithDataModel } from '../../src/streams/stream-docs.js';
import { checkConfig, clientOptionsFrom, streamOptionsFrom } from '../../src/sync/config.js';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };
let emulator: Awaited<ReturnType<typeof startEmulator>>;
let discovery: Discovery;

before(async () => {
  emulator = await startEmulator({ seed: 5, scale: 20, plan: 'unlimited' });
  const config = checkConfig({
    webhook_url: emulator.webhookUrl,
    enable_deal_products: true,
    enable_deal_comments: true,
    extract_deal_contacts: true,
  });
  const client = new Bitrix24Client({ ...clientOptionsFrom(config), logger: quiet });
  try {
    discovery = await discoverStreams(client, streamOptionsFrom(config), quiet);
  } finally {
    await client.close();
  }
});
after(() => emulator.close());

function named(name: string): Stream {
  const stream = discovery.streams.find((s) => s.name === name);
  assert.ok(stream, `the emulated portal offers ${name}`);
  return stream;
}

describe('stream declarations', () => {
  it('the portal offers every family, each stream carrying its family declaration', () => {
    assert.deepEqual(discovery.unavailable, []);
    for (const d of STREAM_DECLARATIONS) {
      const members = discovery.streams.filter((s) => s.declaration === d);
      assert.ok(members.length > 0, `a stream of ${d.name}`);
      for (const s of members) assert.equal(declarationNamed(s.name)?.declaration, d, s.name);
    }
  });

  it('smart-process streams take their list method from their declaration', () => {
    const items = discovery.streams.filter((s) => s.declaration.name === 'spa_{entityTypeId}');
    assert.ok(items.length >= 2, 'the portal has several smart processes');
    for (const s of items) assert.equal(s.declaration.method, 'crm.item.list', s.name);
    // Deal and smart-process stage history share one method, so one operating-time budget.
    assert.equal(
      named('spa_stage_history_128').declaration.method,
      named('deal_stage_history').declaration.method,
    );
    assert.equal(named('deals').declaration.method, 'crm.deal.list');
    assert.equal(named('calls').declaration.method, 'voximplant.statistic.get');
  });

  it('every declared relation names a column the stream has and a stream that exists', () => {
    let checked = 0;
    for (const stream of discovery.streams) {
      const properties = Object.keys(stream.schema.properties ?? {});
      for (const relation of stream.declaration.relations ?? []) {
        const column = relation.via.split(' ')[0]!;
        if (relation.inName) assert.match(stream.name, /_\d+$/, `${stream.name} carries ${column}`);
        else assert.ok(properties.includes(column), `${stream.name}.${column}`);
        const target = relation.to.replace('{entityTypeId}', stream.name.replace(/^\D+/, ''));
        assert.ok(
          discovery.streams.some((s) => s.name === target),
          `${stream.name} → ${target}`,
        );
        checked++;
      }
    }
    assert.ok(checked >= 30, `checked ${checked} relations`);
  });

  it('calls point at the employee and at the CRM activity the call became', () => {
    const calls = named('calls').declaration.relations ?? [];
    assert.deepEqual(
      calls.map((r) => [r.to, r.via]),
      [
        ['users', 'PORTAL_USER_ID'],
        ['activities', 'CRM_ACTIVITY_ID'],
      ],
    );
  });
});

describe('copies derived from the declarations', () => {
  it("the console's table diagram draws exactly the declared relations among the tables", () => {
    const names = discovery.streams.map((s) => s.name);
    const drawn = relationsAmong(names);
    const declared = discovery.streams.flatMap((s) =>
      (s.declaration.relations ?? []).map((r) => ({
        from: s.name,
        to: r.to.replace('{entityTypeId}', s.name.replace(/^\D+/, '')),
        via: r.via,
      })),
    );
    assert.deepEqual(drawn, declared);
    assert.ok(drawn.some((r) => r.from === 'calls' && r.to === 'users'));
    assert.ok(drawn.some((r) => r.from === 'calls' && r.to === 'activities'));
    // Only relations whose both tables are present are drawn.
    assert.deepEqual(
      relationsAmong(['calls', 'users']).map((r) => `${r.from}→${r.to}`),
      ['calls→users'],
    );
  });

  it("the README's data model diagram is the one the declarations generate (npm run docs:streams)", () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    assert.ok(readme.includes(DATA_MODEL_MARKER));
    assert.equal(readme, readmeWithDataModel(readme), 'regenerate: npm run docs:streams');
    const diagram = dataModelMermaid();
    assert.ok(readme.includes(diagram));
    assert.ok(streamReferenceMarkdown().includes(diagram));
    const lines = diagram.split('\n').filter((l) => l.includes(' : '));
    const declared = STREAM_DECLARATIONS.flatMap((d) => d.relations ?? []);
    assert.equal(lines.length, declared.length);
    assert.ok(lines.includes('  calls }o--|| users : "PORTAL_USER_ID"'));
    assert.ok(lines.includes('  calls }o--o| activities : "CRM_ACTIVITY_ID"'));
    assert.ok(lines.includes('  spa_stage_history_N }o--|| spa_N : "OWNER_ID"'));
  });

  it('the reference doc lists each stream with its declared method and sync type', () => {
    const doc = streamReferenceMarkdown();
    for (const d of STREAM_DECLARATIONS) {
      const row = doc.split('\n').find((l) => l.startsWith(`| \`${d.name}\` |`));
      assert.ok(row, d.name);
      assert.ok(row.includes(`| \`${d.method}\` |`), `${d.name} method`);
      assert.ok(row.includes(`| ${syncTypeOf(d)} |`), `${d.name} sync type`);
    }
  });

  it("the Singer catalog's metadata is each stream's declaration", () => {
    const catalog = catalogFromDiscovery(discovery);
    assert.equal(catalog.streams.length, discovery.streams.length);
    for (const entry of catalog.streams) {
      const d = named(entry.tap_stream_id).declaration;
      const root = entry.metadata.find((m) => m.breadcrumb.length === 0)!.metadata;
      assert.equal(root['selected-by-default'], d.selectedByDefault !== false, entry.stream);
      assert.equal(root['replication-method'], syncTypeOf(d), entry.stream);
      assert.equal(root['forced-replication-method'], d.forcedReplicationMethod, entry.stream);
      assert.deepEqual(root['valid-replication-keys'], d.validReplicationKeys, entry.stream);
      assert.deepEqual(root['table-key-properties'], d.keyProperties, entry.stream);
      assert.equal(entry.replication_key, d.replicationKey, entry.stream);
    }
  });
});
