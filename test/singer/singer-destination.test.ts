import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import type { StreamTable } from '../../src/destinations/destination.js';
import type { JsonSchema } from '../../src/schema/index.js';
import { MessageWriter } from '../../src/singer/messages.js';
import { SingerDestination } from '../../src/singer/singer-destination.js';

function table(stream: string, properties: string[], method: 'INCREMENTAL' | 'FULL_TABLE'): StreamTable {
  return {
    stream,
    layer: '',
    folder: 'crm',
    table: stream,
    keyProperties: ['ID'],
    schema: {
      type: 'object',
      properties: Object.fromEntries(properties.map((p) => [p, { type: ['string', 'null'] }])),
    } as unknown as JsonSchema,
    replicationMethod: method,
    historyDays: 0,
  };
}

function setup() {
  const lines: Record<string, unknown>[] = [];
  const out = new Writable({
    write(chunk, _enc, done) {
      for (const l of String(chunk).split('\n').filter(Boolean))
        lines.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });
  const done: [string, number][] = [];
  const destination = new SingerDestination({
    writer: new MessageWriter(out),
    state: { bookmarks: { leads: { replication_key_value: '2020-01-01T00:00:00+00:00' } } },
    bookmarkProperties: new Map([['deals', 'DATE_MODIFY']]),
    onStreamDone: (s, n) => done.push([s, n]),
    now: () => 1000,
  });
  return { lines, destination, done };
}

describe('SingerDestination', () => {
  it('emits SCHEMA, filtered RECORDs with time_extracted, then the whole merged STATE', async () => {
    const { lines, destination, done } = setup();
    const deals = table('deals', ['ID', 'TITLE', 'DATE_MODIFY'], 'INCREMENTAL');
    await destination.prepare(deals);
    const load = await destination.begin(deals, 'upsert');
    const at = new Date('2026-03-04T05:06:07.890Z');
    await load.write({
      records: [
        { ID: '1', TITLE: 'a', DATE_MODIFY: 'x', SECRET_EXTRA: 'drop me' },
        { ID: '2', TITLE: 'b' },
      ],
      state: { replication_key_value: 'x' },
      extractedAt: at,
    });
    await load.finish({ replication_key_value: 'y' });
    assert.deepEqual(lines[0], {
      type: 'SCHEMA',
      stream: 'deals',
      schema: deals.schema,
      key_properties: ['ID'],
      bookmark_properties: ['DATE_MODIFY'],
    });
    assert.deepEqual(lines[1], {
      type: 'RECORD',
      stream: 'deals',
      record: { ID: '1', TITLE: 'a', DATE_MODIFY: 'x' },
      time_extracted: '2026-03-04T05:06:07.890Z',
    });
    assert.equal(lines[2]!.type, 'RECORD');
    assert.deepEqual(lines[3], {
      type: 'STATE',
      value: {
        bookmarks: {
          leads: { replication_key_value: '2020-01-01T00:00:00+00:00' },
          deals: { replication_key_value: 'x' },
        },
      },
    });
    assert.deepEqual((lines[4]!.value as { bookmarks: Record<string, unknown> }).bookmarks.deals, {
      replication_key_value: 'y',
    });
    assert.equal(lines.length, 5);
    assert.deepEqual(done, [['deals', 2]]);
    assert.deepEqual((await destination.loadState()).bookmarks.leads, {
      replication_key_value: '2020-01-01T00:00:00+00:00',
    });
    assert.equal(await destination.countRows(deals), -1);
  });

  it('versions a full-table load and activates the version at finish, not on abort', async () => {
    const { lines, destination } = setup();
    const statuses = table('status_list', ['ID', 'NAME'], 'FULL_TABLE');
    await destination.prepare(statuses);
    assert.equal(lines[0]!.bookmark_properties, undefined);
    const first = await destination.begin(statuses, 'replace');
    await first.write({ records: [{ ID: 'NEW', NAME: 'New' }], state: {}, extractedAt: new Date() });
    await first.abort();
    const second = await destination.begin(statuses, 'replace');
    await second.write({ records: [{ ID: 'NEW', NAME: 'New' }], state: {}, extractedAt: new Date() });
    await second.finish({});
    const versions = lines.filter((l) => l.type === 'RECORD').map((l) => l.version as number);
    assert.equal(versions.length, 2);
    assert.ok(versions[1]! > versions[0]!, 'a later load has a higher version');
    const activations = lines.filter((l) => l.type === 'ACTIVATE_VERSION');
    assert.deepEqual(activations, [
      { type: 'ACTIVATE_VERSION', stream: 'status_list', version: versions[1] },
    ]);
    assert.equal(lines.at(-1)!.type, 'STATE');
  });
});
