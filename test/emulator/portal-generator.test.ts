/** The generated portal: deterministic by seed, realistic proportions and timestamps, every dictionary. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildMethodTable, generatePortal, portalSummary } from '../../src/emulator/methods/index.js';
import { NOW, startPortal } from './portal-http.js';

describe('generated portal', () => {
  it('is deterministic by seed', () => {
    const rows = (seed: number) => {
      const p = generatePortal({ seed, scale: 120, now: NOW });
      return JSON.stringify([
        p.crm.contact.row(51),
        p.spa[0].items.row(7),
        p.dealHistory.row(9),
        p.activities.row(100),
        p.users.row(3),
      ]);
    };
    assert.equal(rows(3), rows(3));
    assert.notEqual(rows(3), rows(4));
  });

  it('serves the same records for the same seed over HTTP', async () => {
    // The emulator's clock moves between starts, so compare what does not depend on it.
    const pages: string[] = [];
    for (const seed of [3, 3, 4]) {
      const p = await startPortal(120, seed);
      try {
        pages.push(
          JSON.stringify(
            (
              await p.call('crm.contact.list', {
                select: ['ID', 'NAME', 'LAST_NAME', 'PHONE', 'UF_CRM_ENUM'],
                start: 50,
              })
            ).body.result,
          ),
        );
      } finally {
        await p.emu.close();
      }
    }
    assert.equal(pages[0], pages[1]);
    assert.notEqual(pages[0], pages[2]);
  });

  it('has the documented proportions at scale 1000', () => {
    const s = portalSummary(generatePortal({ seed: 1, scale: 1000, now: NOW }));
    assert.equal(s.deals, 1000);
    assert.equal(s.contacts, 1000);
    assert.ok(Math.abs(s.companies - 333) <= 1);
    assert.equal(s.leads, 1000);
    assert.equal(s.activities, 3000);
    assert.ok(s.deal_products > 1600 && s.deal_products < 2400, `deal_products ${s.deal_products}`);
    assert.ok(s.deal_comments > 350 && s.deal_comments < 650, `deal_comments ${s.deal_comments}`);
    // One creation entry per deal, then up to 3 moves for the deals edited after creation (about 60 %).
    assert.ok(
      s.deal_stage_history >= 1.5 * 1000 && s.deal_stage_history <= 4 * 1000,
      `deal_stage_history ${s.deal_stage_history}`,
    );
    assert.equal(s.product, 100);
    assert.equal(s.calls, 500);
    assert.equal(s.users, 20);
    assert.ok(s.departments >= 5);
    assert.ok(s.open_lines >= 3 && s.open_lines <= 5);
    assert.ok(s.spa_types >= 2 && s.spa_128 === 200 && s.spa_130 === 200 && s.spa_stage_history_128 >= 200);
    for (const k of [
      'deal_fields',
      'contact_fields',
      'company_fields',
      'lead_fields',
      'activity_fields',
      'product_fields',
      'spa_fields_128',
    ])
      assert.ok(s[k] > 10, k);
  });

  it('keeps timestamps in the past, DATE_MODIFY ≥ DATE_CREATE, import bursts sharing one second', () => {
    const portal = generatePortal({ seed: 5, scale: 2000, now: NOW });
    const seconds = new Map<string, number>();
    let nonLatin = 0;
    for (let id = 1; id <= 2000; id++) {
      const row = portal.crm.deal.row(id)!;
      const created = Date.parse(String(row.DATE_CREATE));
      const modified = Date.parse(String(row.DATE_MODIFY));
      assert.ok(created <= modified && modified < NOW, `deal ${id}`);
      seconds.set(String(row.DATE_MODIFY), (seconds.get(String(row.DATE_MODIFY)) ?? 0) + 1);
      if (/[^ -~]/.test(String(row.TITLE))) nonLatin++;
    }
    assert.ok(Math.max(...seconds.values()) >= 100, 'a burst of rows shares one DATE_MODIFY second');
    assert.ok(nonLatin > 200);
  });

  it('has statuses for every dictionary it declares, funnels and smart processes', () => {
    const portal = generatePortal({ seed: 1, scale: 50, now: NOW });
    const entityIds = new Set(portal.statuses.map((s) => s.ENTITY_ID));
    for (const t of portal.statusEntityTypes) assert.ok(entityIds.has(t.ID), `statuses of ${t.ID}`);
    assert.ok(portal.dealFunnels.length >= 3);
    assert.ok([...entityIds].some((e) => /^DYNAMIC_128_STAGE_\d+$/.test(String(e))));
    assert.equal(portal.timezoneOffset, '+03:00');
    const table = buildMethodTable(portal);
    for (const name of table.keys()) assert.equal(name, name.toLowerCase());
    for (const m of [
      'crm.deal.list',
      'crm.item.list',
      'user.get',
      'voximplant.statistic.get',
      'imopenlines.config.list.get',
    ])
      assert.ok(table.has(m), m);
    assert.ok(table.get('crm.deal.add')?.write && !table.get('crm.deal.list')?.write);
  });
});
