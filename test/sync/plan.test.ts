import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Discovery, Stream } from '../../src/streams/stream.js';
import { ConfigError, checkConfig } from '../../src/sync/config.js';
import { fullScanDue, LAST_FULL_SCAN_KEY } from '../../src/sync/full-sync-cadence.js';
import { PlanError, planSync } from '../../src/sync/plan.js';
import { fakeDeclaration } from '../fake-declaration.js';

function stream(name: string, extra: Partial<Stream> = {}): Stream {
  return {
    name,
    group: 'crm',
    description: name,
    keyProperties: ['ID'],
    validReplicationKeys: extra.replicationKey ? [extra.replicationKey] : [],
    scopes: ['crm'],
    declaration: fakeDeclaration(name),
    schema: { type: 'object', properties: { ID: { type: 'integer' } } },
    async *read() {},
    ...extra,
  } as Stream;
}

const STREAMS = [
  stream('deals', { replicationKey: 'DATE_MODIFY' }),
  stream('leads', { replicationKey: 'DATE_MODIFY' }),
  stream('status_list', { group: 'metadata', forcedReplicationMethod: 'FULL_TABLE' }),
  stream('departments', { group: 'users_and_structure' }),
];
const DISCOVERY: Discovery = {
  streams: STREAMS,
  unavailable: [
    {
      name: 'calls',
      declaration: fakeDeclaration('calls'),
      reason: 'no telephony scope',
      cause: 'not_granted',
    },
  ],
};
const WEBHOOK = 'https://example.bitrix24.com/rest/1/abcdef123/';

describe('planSync', () => {
  it('selects every stream by default with incremental where a replication key exists', () => {
    const plan = planSync(DISCOVERY, checkConfig({ webhook_url: WEBHOOK, history_days: 7 })).selections;
    assert.deepEqual(
      plan.map((s) => [
        s.stream.name,
        s.replicationMethod,
        s.replicationKey,
        s.table.layer,
        s.table.folder,
        s.table.table,
      ]),
      [
        ['deals', 'INCREMENTAL', 'DATE_MODIFY', 'raw', 'crm', 'deals'],
        ['leads', 'INCREMENTAL', 'DATE_MODIFY', 'raw', 'crm', 'leads'],
        ['status_list', 'FULL_TABLE', undefined, 'raw', 'metadata', 'status_list'],
        ['departments', 'FULL_TABLE', undefined, 'raw', 'users_and_structure', 'departments'],
      ],
    );
    assert.equal(plan[0]!.table.historyDays, 7);
    assert.deepEqual(plan[0]!.table.keyProperties, ['ID']);
    assert.equal(plan[0]!.table.replicationMethod, 'INCREMENTAL');
  });

  it('applies selected, sync_type, layer, folder, table and table_prefix', () => {
    const config = checkConfig({
      webhook_url: WEBHOOK,
      table_prefix: 'b24_',
      streams: {
        leads: { selected: false },
        deals: { sync_type: 'FULL_TABLE', layer: 'raw', folder: 'sales', table: 'crm_deals' },
        status_list: { sync_type: 'FULL_TABLE' }, // its only method: allowed
        calls: { selected: true }, // scope not granted: not read, and not a failure of the run
      },
    });
    const { selections: plan, unavailable } = planSync(DISCOVERY, config);
    assert.deepEqual(unavailable, []);
    assert.deepEqual(
      plan.map((s) => [s.stream.name, s.replicationMethod, s.table.layer, s.table.folder, s.table.table]),
      [
        ['deals', 'FULL_TABLE', 'raw', 'sales', 'b24_crm_deals'],
        ['status_list', 'FULL_TABLE', 'raw', 'metadata', 'b24_status_list'],
        ['departments', 'FULL_TABLE', 'raw', 'users_and_structure', 'b24_departments'],
      ],
    );
  });

  it('refuses INCREMENTAL for a stream that can only be FULL_TABLE, naming the key and the fix', () => {
    for (const name of ['departments', 'status_list']) {
      const config = checkConfig({ webhook_url: WEBHOOK, streams: { [name]: { sync_type: 'INCREMENTAL' } } });
      assert.throws(
        () => planSync(DISCOVERY, config),
        (e: unknown) =>
          e instanceof ConfigError &&
          e.key === `streams.${name}.sync_type` &&
          e.message.includes(`${name} can only be read FULL_TABLE`) &&
          e.message.includes('set sync_type to FULL_TABLE or remove it'),
      );
    }
  });

  it('--streams picks only those (even if deselected) and rejects unknown names', () => {
    const config = checkConfig({ webhook_url: WEBHOOK, streams: { leads: { selected: false } } });
    assert.deepEqual(
      planSync(DISCOVERY, config, { only: ['leads', 'deals'] }).selections.map((s) => s.stream.name),
      ['deals', 'leads'],
    );
    assert.throws(
      () => planSync(DISCOVERY, config, { only: ['deal'] }),
      (e: unknown) => e instanceof PlanError && /deal\b.*available: deals/.test(e.message),
    );
  });

  it('a stream left undescribed is a valid config name; an unknown one is not, and --streams names both', () => {
    const narrowed: Discovery = {
      ...DISCOVERY,
      undescribed: [fakeDeclaration('activities'), fakeDeclaration('spa_{entityTypeId}')],
    };
    const config = checkConfig({
      webhook_url: WEBHOOK,
      streams: { activities: { selected: false }, spa_128: { selected: false } },
    });
    assert.deepEqual(
      planSync(narrowed, config, { only: ['deals'] }).selections.map((s) => s.stream.name),
      ['deals'],
    );
    assert.throws(
      () => planSync(narrowed, checkConfig({ webhook_url: WEBHOOK, streams: { activites: {} } })),
      (e: unknown) =>
        e instanceof ConfigError && /config\.streams\.activites: unknown stream/.test(e.message),
    );
    // The templated name is no stream of its own: only the named ones are listed.
    assert.throws(
      () => planSync(narrowed, config, { only: ['spa_999'] }),
      (e: unknown) =>
        e instanceof PlanError &&
        /available: deals, leads, status_list, departments, activities$/.test(e.message),
    );
  });

  it('--full marks every selection for replace but keeps its method', () => {
    const plan = planSync(DISCOVERY, checkConfig({ webhook_url: WEBHOOK }), { full: true }).selections;
    assert.ok(plan.every((s) => s.replace === true));
    assert.equal(plan[0]!.replicationMethod, 'INCREMENTAL');
  });
});

describe('fullScanDue', () => {
  const now = '2025-03-10T00:00:00Z';
  it('is never due with cadence 0 or on a first run', () => {
    assert.equal(fullScanDue({ replication_key_value: '2025-01-01T00:00:00Z' }, 0, now), false);
    assert.equal(fullScanDue(undefined, 7, now), false);
    assert.equal(fullScanDue({}, 7, now), false);
  });
  it('is due when the last whole read is older than the cadence, or unknown', () => {
    const bookmark = { replication_key_value: '2025-03-09T00:00:00Z' };
    assert.equal(fullScanDue(bookmark, 7, now), true);
    assert.equal(fullScanDue({ ...bookmark, [LAST_FULL_SCAN_KEY]: '2025-03-02T00:00:00Z' }, 7, now), true);
    assert.equal(fullScanDue({ ...bookmark, [LAST_FULL_SCAN_KEY]: '2025-03-04T00:00:00Z' }, 7, now), false);
    assert.equal(
      fullScanDue({ ...bookmark, [LAST_FULL_SCAN_KEY]: '2025-03-09T23:00:00Z' }, 1 / 48, now),
      true,
    );
  });
});
