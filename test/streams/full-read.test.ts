import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { portalSummary } from '../../src/emulator/methods/index.js';
import { validatorFor } from '../../src/schema/index.js';
import { keyOf, openPortal, type PortalUnderTest, readStream } from './stream-harness.js';

describe('every stream reads the whole portal, typed', () => {
  let portal: PortalUnderTest;
  let summary: Record<string, number>;
  before(async () => {
    portal = await openPortal({
      scale: 120,
      options: { enable_deal_comments: true, enable_deal_products: true, extract_deal_contacts: true },
    });
    assert.ok(portal.emulator.portal);
    summary = portalSummary(portal.emulator.portal);
  });
  after(() => portal.close());

  it('yields exactly the records the portal holds, each valid against its schema', async () => {
    const checked: string[] = [];
    for (const stream of portal.discovery.streams) {
      const { records, finalState } = await readStream(portal, stream);
      const keys = new Set(records.map((r) => keyOf(stream, r)));
      assert.equal(keys.size, records.length, `${stream.name}: duplicate keys`);
      const expected = summary[stream.name];
      if (expected !== undefined) {
        assert.equal(
          records.length,
          expected,
          `${stream.name}: read ${records.length}, the portal holds ${expected}`,
        );
        checked.push(stream.name);
      } else {
        assert.ok(records.length > 0, `${stream.name}: no rows read and no count from the portal`);
      }
      const validator = validatorFor(stream.schema);
      const bad = records.filter((r) => !validator.isValid(r));
      assert.equal(bad.length, 0, `${stream.name}: ${validator.problems(bad[0]).slice(0, 5).join('; ')}`);
      assert.equal(finalState.resume, undefined, `${stream.name}: final state still has resume`);
      if (stream.replicationKey && stream.forcedReplicationMethod !== 'FULL_TABLE') {
        assert.equal(finalState.replication_key, stream.replicationKey, stream.name);
        assert.equal(typeof finalState.replication_key_value, 'string', stream.name);
      }
    }
    for (const name of [
      'deals',
      'contacts',
      'companies',
      'leads',
      'activities',
      'deal_products',
      'deal_comments',
      'users',
      'calls',
    ]) {
      assert.ok(checked.includes(name), `${name} was compared with the portal's count`);
    }
    assert.deepEqual(
      portal.logger.warnings.map((w) => w.msg),
      [],
      'no value failed its declared type',
    );
  });

  it('reads the fields a portal returns only when named: multiple UF_* fields and multifields', async () => {
    for (const [name, fieldsMethod] of [
      ['contacts', 'crm.contact.fields'],
      ['deals', 'crm.deal.fields'],
    ]) {
      const stream = portal.discovery.streams.find((s) => s.name === name);
      assert.ok(stream);
      const fields = (await portal.client.call<Record<string, { isMultiple: boolean }>>(fieldsMethod)).result;
      const named = Object.keys(fields).filter(
        (f) => fields[f].isMultiple && (f.startsWith('UF_') || ['PHONE', 'EMAIL'].includes(f)),
      );
      assert.ok(named.length > 0, name);
      const { records } = await readStream(portal, stream);
      for (const f of named) {
        assert.ok(
          records.some((r) => Array.isArray(r[f]) && (r[f] as unknown[]).length > 0),
          `${name}.${f} never has a value`,
        );
      }
    }
  });

  it('asks the portal only for the selected properties (plus key and replication key)', async () => {
    const deals = portal.discovery.streams.find((s) => s.name === 'deals');
    assert.ok(deals);
    const { records } = await readStream(portal, deals, {
      selectedProperties: new Set(['TITLE', 'UF_CRM_STRINGS']),
    });
    assert.ok(records.length > 0);
    const present = new Set(
      records.flatMap((r) => Object.keys(r).filter((k) => r[k] !== null && r[k] !== undefined)),
    );
    for (const k of present)
      assert.ok(
        ['ID', 'DATE_MODIFY', 'TITLE', 'UF_CRM_STRINGS', 'CONTACT_IDS'].includes(k),
        `unexpected ${k}`,
      );
    assert.ok(present.has('TITLE') && present.has('DATE_MODIFY'));
  });

  it('asks crm.item.list only for the selected fields of a smart process', async () => {
    const items = portal.discovery.streams.find(
      (s) =>
        s.name.startsWith('spa_') &&
        s.parent === undefined &&
        s.keyProperties[0] === 'id' &&
        s.replicationKey === 'updatedTime',
    );
    assert.ok(items, 'a smart-process item stream');
    const definition = portal.emulator.methods.get('crm.item.list');
    assert.ok(definition);
    const selects: unknown[] = [];
    portal.emulator.methods.set('crm.item.list', {
      ...definition,
      handle: (params, ctx) => {
        selects.push(params.select);
        return definition.handle(params, ctx);
      },
    });
    try {
      const { records } = await readStream(portal, items, { selectedProperties: new Set(['title']) });
      assert.ok(records.length > 0);
      assert.ok(records.every((r) => typeof r.title === 'string'));
    } finally {
      portal.emulator.methods.set('crm.item.list', definition);
    }
    // The list engine's probe for the largest ID asks for `id` alone; every page for the four.
    const pages = selects.filter((select) => JSON.stringify(select) !== '["id"]');
    assert.ok(pages.length > 0);
    for (const select of pages)
      assert.deepEqual([...(select as string[])].sort(), ['createdTime', 'id', 'title', 'updatedTime']);
  });

  it('adds CONTACT_IDS to deals, matching crm.deal.contact.items.get', async () => {
    const deals = portal.discovery.streams.find((s) => s.name === 'deals');
    assert.ok(deals);
    const { records } = await readStream(portal, deals);
    const withContacts = records.filter(
      (r) => Array.isArray(r.CONTACT_IDS) && (r.CONTACT_IDS as unknown[]).length > 0,
    );
    assert.ok(withContacts.length > 0);
    const sample = withContacts[0];
    const direct = await portal.client.call<{ CONTACT_ID: number }[]>('crm.deal.contact.items.get', {
      id: sample.ID,
    });
    assert.deepEqual(
      [...(sample.CONTACT_IDS as number[])].sort(),
      direct.result.map((b) => Number(b.CONTACT_ID)).sort(),
    );
  });

  it('reads only deals of the chosen funnels with deal_category_ids', async () => {
    const deals = portal.discovery.streams.find((s) => s.name === 'deals');
    assert.ok(deals);
    const all = await readStream(portal, deals);
    const funnel = Number(all.records.find((r) => Number(r.CATEGORY_ID) !== 0)?.CATEGORY_ID ?? 0);
    const expected = all.records.filter((r) => Number(r.CATEGORY_ID) === funnel).length;
    const only = await readStream(portal, deals, {
      options: { ...portal.options, deal_category_ids: [funnel] },
    });
    assert.equal(only.records.length, expected);
    assert.ok(only.records.every((r) => Number(r.CATEGORY_ID) === funnel));
    const history = portal.discovery.streams.find((s) => s.name === 'deal_stage_history');
    assert.ok(history);
    const allMoves = await readStream(portal, history);
    const moves = await readStream(portal, history, {
      options: { ...portal.options, deal_category_ids: [funnel] },
    });
    assert.equal(
      moves.records.length,
      allMoves.records.filter((r) => Number(r.CATEGORY_ID) === funnel).length,
    );
    assert.ok(moves.records.length > 0 && moves.records.length < allMoves.records.length);
  });
});
