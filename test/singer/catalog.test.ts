import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonSchema } from '../../src/schema/index.js';
import { type Catalog, CatalogError, catalogFromDiscovery, parseCatalog } from '../../src/singer/catalog.js';
import { projectSchema, selectionsFromCatalog } from '../../src/singer/catalog-selection.js';
import type { Discovery, Stream } from '../../src/streams/stream.js';
import { planStreams } from '../../src/sync/plan.js';
import { fakeDeclaration } from '../fake-declaration.js';

function stream(name: string, fields: string[], extra: Partial<Stream> = {}): Stream {
  const properties = Object.fromEntries(fields.map((f) => [f, { type: ['string', 'null'] }]));
  return {
    name,
    group: 'crm',
    description: name,
    keyProperties: ['ID'],
    validReplicationKeys: [],
    scopes: ['crm'],
    declaration: fakeDeclaration(name),
    schema: { type: 'object', properties } as unknown as JsonSchema,
    read: async function* () {},
    ...extra,
  };
}

const deals = stream('deals', ['ID', 'TITLE', 'DATE_MODIFY', 'DATE_CREATE', 'UF_CRM_1'], {
  replicationKey: 'DATE_MODIFY',
  validReplicationKeys: ['DATE_MODIFY', 'DATE_CREATE'],
});
// Declared off by default, as the field-metadata streams are (src/streams/families/field-rows.ts).
const dealFields = stream('deal_fields', ['id', 'type'], {
  keyProperties: ['id'],
  group: 'metadata',
  forcedReplicationMethod: 'FULL_TABLE',
  declaration: fakeDeclaration('deal_fields', { selectedByDefault: false }),
});
const statusList = stream('status_list', ['ID', 'NAME'], {
  group: 'metadata',
  forcedReplicationMethod: 'FULL_TABLE',
});
const discovery: Discovery = {
  streams: [deals, dealFields, statusList],
  unavailable: [
    {
      name: 'calls',
      declaration: fakeDeclaration('calls'),
      reason: 'scope telephony not granted',
      cause: 'not_granted',
    },
  ],
};

/** The catalog as a file would hold it, so tests edit a copy like a user would. */
function discovered(): Catalog {
  return parseCatalog(JSON.stringify(catalogFromDiscovery(discovery)), 'catalog.json');
}

function root(catalog: Catalog, name: string): Record<string, unknown> {
  const entry = catalog.streams.find((s) => s.tap_stream_id === name)!;
  return entry.metadata.find((m) => m.breadcrumb.length === 0)!.metadata;
}

describe('catalog from discovery', () => {
  it('describes every stream with Singer entry fields and root metadata', () => {
    const catalog = discovered();
    assert.deepEqual(
      catalog.streams.map((s) => s.tap_stream_id),
      ['deals', 'deal_fields', 'status_list'],
    );
    const entry = catalog.streams[0]!;
    assert.equal(entry.stream, 'deals');
    assert.deepEqual(entry.key_properties, ['ID']);
    assert.equal(entry.replication_key, 'DATE_MODIFY');
    assert.equal(entry.replication_method, 'INCREMENTAL');
    const md = root(catalog, 'deals');
    assert.equal(md.inclusion, 'available');
    assert.deepEqual(md['table-key-properties'], ['ID']);
    assert.deepEqual(md['valid-replication-keys'], ['DATE_MODIFY', 'DATE_CREATE']);
    assert.equal(md['replication-key'], 'DATE_MODIFY');
    assert.equal(md['selected-by-default'], true);
    assert.equal(md['forced-replication-method'], undefined);
    const fieldsMd = root(catalog, 'deal_fields');
    assert.equal(fieldsMd['forced-replication-method'], 'FULL_TABLE');
    assert.equal(fieldsMd['selected-by-default'], false);
    assert.equal(root(catalog, 'status_list')['selected-by-default'], true);
    assert.equal(catalog.streams[1]!.replication_key, undefined);
  });

  it('marks key and replication key automatic and other properties available', () => {
    const entry = discovered().streams[0]!;
    const inclusion = Object.fromEntries(
      entry.metadata
        .filter((m) => m.breadcrumb.length === 2)
        .map((m) => [m.breadcrumb[1], m.metadata.inclusion]),
    );
    assert.deepEqual(inclusion, {
      ID: 'automatic',
      TITLE: 'available',
      DATE_MODIFY: 'automatic',
      DATE_CREATE: 'available',
      UF_CRM_1: 'available',
    });
  });

  it('round-trips: the discovered catalog selects the default streams with every field', () => {
    const { selections, warnings } = selectionsFromCatalog(discovered(), discovery, 'catalog.json');
    assert.deepEqual(warnings, []);
    assert.deepEqual(
      selections.map((s) => [s.stream.name, s.replicationMethod, s.replicationKey, s.selectedProperties]),
      [
        ['deals', 'INCREMENTAL', 'DATE_MODIFY', undefined],
        ['status_list', 'FULL_TABLE', undefined, undefined],
      ],
    );
    assert.deepEqual(
      planStreams(discovery, { streams: {} }).streams.map((s) => s.stream.name),
      selections.map((s) => s.stream.name),
    );
  });
});

describe('catalog selection', () => {
  it('honours field deselection but always keeps key and replication key', () => {
    const catalog = discovered();
    for (const m of catalog.streams[0]!.metadata) {
      if (m.breadcrumb.length === 2) m.metadata.selected = m.breadcrumb[1] === 'TITLE';
    }
    const [deal] = selectionsFromCatalog(catalog, discovery, 'c.json').selections;
    assert.deepEqual([...deal!.selectedProperties!].sort(), ['DATE_MODIFY', 'ID', 'TITLE']);
    const projected = projectSchema(deals.schema, deal!.selectedProperties) as { properties: object };
    assert.deepEqual(Object.keys(projected.properties).sort(), ['DATE_MODIFY', 'ID', 'TITLE']);
  });

  it('drops fields marked unsupported and streams deselected at the root', () => {
    const catalog = discovered();
    catalog.streams[0]!.metadata.find((m) => m.breadcrumb[1] === 'UF_CRM_1')!.metadata.inclusion =
      'unsupported';
    root(catalog, 'status_list').selected = false;
    root(catalog, 'deal_fields').selected = true;
    const { selections } = selectionsFromCatalog(catalog, discovery, 'c.json');
    assert.deepEqual(
      selections.map((s) => s.stream.name),
      ['deals', 'deal_fields'],
    );
    assert.equal(selections[0]!.selectedProperties!.has('UF_CRM_1'), false);
    assert.equal(selections[0]!.selectedProperties!.size, 4);
  });

  it('takes the replication method and key from root metadata, else from the entry', () => {
    const catalog = discovered();
    root(catalog, 'deals')['replication-key'] = 'DATE_CREATE';
    assert.equal(selectionsFromCatalog(catalog, discovery, 'c').selections[0]!.replicationKey, 'DATE_CREATE');
    delete root(catalog, 'deals')['replication-key'];
    catalog.streams[0]!.replication_key = 'DATE_CREATE';
    assert.equal(selectionsFromCatalog(catalog, discovery, 'c').selections[0]!.replicationKey, 'DATE_CREATE');
    delete root(catalog, 'deals')['replication-method'];
    catalog.streams[0]!.replication_method = 'FULL_TABLE';
    const [deal] = selectionsFromCatalog(catalog, discovery, 'c').selections;
    assert.equal(deal!.replicationMethod, 'FULL_TABLE');
    assert.equal(deal!.replicationKey, undefined);
  });

  it('keeps a forced replication method, with a warning', () => {
    const catalog = discovered();
    root(catalog, 'status_list')['replication-method'] = 'INCREMENTAL';
    const { selections, warnings } = selectionsFromCatalog(catalog, discovery, 'c');
    assert.equal(selections.find((s) => s.stream.name === 'status_list')!.replicationMethod, 'FULL_TABLE');
    assert.match(warnings[0]!, /status_list.*FULL_TABLE/);
  });

  it('warns about and skips a selected stream discovery no longer offers', () => {
    const catalog = discovered();
    catalog.streams.push({ ...catalog.streams[0]!, tap_stream_id: 'calls', stream: 'calls' });
    const { selections, warnings } = selectionsFromCatalog(catalog, discovery, 'c');
    assert.deepEqual(
      selections.map((s) => s.stream.name),
      ['deals', 'status_list'],
    );
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /'calls'.*scope telephony not granted/);
  });

  it('treats a stream with no selected flag as selected-by-default, and legacy entry-level selected', () => {
    const catalog = discovered();
    delete root(catalog, 'deals').selected;
    delete root(catalog, 'deal_fields').selected;
    catalog.streams[1]!.selected = true;
    assert.deepEqual(
      selectionsFromCatalog(catalog, discovery, 'c').selections.map((s) => s.stream.name),
      ['deals', 'deal_fields', 'status_list'],
    );
  });
});

describe('bad catalogs', () => {
  const attempt = (text: string) => () => parseCatalog(text, 'cat.json');
  it('names the path and the fix', () => {
    assert.throws(
      attempt('{"streams": [{"tap_stream_id": "deals", "metadata": [{"breadcrumb": "x", "metadata": {}}]}]}'),
      (e) => {
        assert.ok(e instanceof CatalogError);
        assert.equal(e.path, 'streams[0].metadata[0].breadcrumb');
        assert.match(e.message, /cat\.json.*streams\[0\]\.metadata\[0\]\.breadcrumb.*--discover/);
        return true;
      },
    );
    assert.throws(attempt('{"stream": []}'), /at streams: must be an array/);
    assert.throws(attempt('not json'), /cat\.json: is not valid JSON/);
    assert.throws(attempt('{"streams": [{"metadata": []}]}'), /streams\[0\]\.tap_stream_id/);
  });

  it('rejects an unknown replication method or key, naming where it is', () => {
    const catalog = discovered();
    root(catalog, 'deals')['replication-key'] = 'TITLE';
    assert.throws(
      () => selectionsFromCatalog(catalog, discovery, 'c.json'),
      /streams\[0\]\.metadata\[0\]\.metadata\.replication-key: "TITLE" is not a replication key of 'deals'\. Use one of: DATE_MODIFY, DATE_CREATE/,
    );
    root(catalog, 'deals')['replication-method'] = 'LOG_BASED';
    assert.throws(
      () => selectionsFromCatalog(catalog, discovery, 'c.json'),
      /replication-method.*"LOG_BASED"/,
    );
    root(catalog, 'deals')['replication-method'] = 'INCREMENTAL';
    root(catalog, 'deals').selected = 'yes';
    assert.throws(
      () => selectionsFromCatalog(catalog, discovery, 'c.json'),
      /selected: must be true or false/,
    );
  });
});

describe('without a catalog', () => {
  it('the config streams decide: selected and sync_type', () => {
    const { streams: selections } = planStreams(discovery, {
      streams: {
        deals: { sync_type: 'FULL_TABLE' },
        deal_fields: { selected: true },
        status_list: { selected: false },
      },
    });
    assert.deepEqual(
      selections.map((s) => [s.stream.name, s.replicationMethod, s.replicationKey]),
      [
        ['deals', 'FULL_TABLE', undefined],
        ['deal_fields', 'FULL_TABLE', undefined],
      ],
    );
  });
});
