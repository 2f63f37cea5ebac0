/**
 * What the models must show, on DuckDB and Postgres alike: each view's figures equal the same
 * figures computed here from the raw rows (raw-figures.ts), after a real sync of an emulated portal.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { CRM_MODELS } from '../../src/models/index.js';
import {
  epoch,
  leftOutAndRebuilt,
  liveRows,
  type ModelsBackend,
  near,
  type SyncedPortal,
  syncPortalWithModels,
} from './models-harness.js';
import {
  dealStages,
  deals,
  funnelFigures,
  id,
  json,
  leadFigures,
  managerFigures,
  num,
  type Row,
  stageStays,
  statusSemantic,
  str,
} from './raw-figures.js';

const personName = (row: Row | undefined): string | null =>
  row
    ? [row.NAME, row.LAST_NAME]
        .filter((p) => p !== null && p !== undefined)
        .join(' ')
        .trim() || null
    : null;

export function modelsBehaviour(backend: () => Promise<ModelsBackend & { cleanup(): Promise<void> }>): void {
  let db: ModelsBackend & { cleanup(): Promise<void> };
  let portal: SyncedPortal;
  let status: Row[];
  let rawDeals: Row[];
  let history: Row[];

  before(async () => {
    db = await backend();
    portal = await syncPortalWithModels(db);
    status = await liveRows(portal, 'status_list');
    rawDeals = await liveRows(
      portal,
      'deals',
      `*, ${['DATE_CREATE', 'DATE_MODIFY', 'MOVED_TIME'].map((c) => epoch(c, `${c}_S`)).join(', ')}`,
    );
    for (const d of rawDeals)
      for (const c of ['DATE_CREATE', 'DATE_MODIFY', 'MOVED_TIME']) d[c] = d[`${c}_S`];
    history = await liveRows(
      portal,
      'deal_stage_history',
      `"ID", "OWNER_ID", "CATEGORY_ID", "STAGE_ID", "STAGE_SEMANTIC_ID", ${epoch('CREATED_TIME')}`,
    );
  });
  after(async () => {
    await portal?.close();
    await db?.cleanup();
  });

  it('builds every model, reading the tables the configuration named (layer, prefix, table)', () => {
    const built = portal.result.models?.built.map((m) => m.name) ?? [];
    const spa = portal.spaStreams.map((s) => `${s}_enriched`);
    assert.ok(spa.length >= 1, 'the portal has smart processes');
    assert.deepEqual(built, [...CRM_MODELS.map((m) => m.name), ...spa]);
    assert.deepEqual(portal.result.models?.leftOut, []);
    const enriched = portal.result.models?.built.find((m) => m.name === 'deals_enriched');
    assert.ok(enriched?.streams.includes('deals'), JSON.stringify(enriched));
    assert.ok(rawDeals.length > 20 && history.length > rawDeals.length, 'enough data to compare');
  });

  it('deals_enriched: each deal with its stage, outcome, company, contact, responsible, department and custom fields', async () => {
    const stages = dealStages(status);
    const byId = (rows: Row[]) => new Map(rows.map((r) => [Number(r.ID), r]));
    const companies = byId(await liveRows(portal, 'companies', '"ID", "TITLE"'));
    const contacts = byId(await liveRows(portal, 'contacts', '"ID", "NAME", "LAST_NAME"'));
    const users = byId(await liveRows(portal, 'users', '"ID", "NAME", "LAST_NAME", "UF_DEPARTMENT"'));
    const departments = byId(await liveRows(portal, 'departments', '"ID", "NAME"'));
    const funnels = new Map(
      (await liveRows(portal, 'deal_categories', '"id", "name"')).map((f) => [Number(f.id), f.name]),
    );
    assert.ok(funnels.size >= 2, 'the portal has funnels');
    const fields = await liveRows(
      portal,
      'deal_fields',
      '"id", "type", "title", "listLabel", "formLabel", "isMultiple"',
    );
    const custom = fields
      .filter((f) => String(f.id).startsWith('UF_') && String(f.id) in rawDeals[0]!)
      .map((f) => ({
        column: String(f.id),
        type: String(f.type),
        multiple: f.isMultiple === true,
        title: [f.listLabel, f.formLabel, f.title].find(
          (t) => typeof t === 'string' && t.trim() !== '',
        ) as string,
      }));
    assert.ok(custom.length >= 5, 'the portal has custom deal fields');
    const view = new Map(
      (
        await portal.query(
          `SELECT *, ${epoch('closed_at', 'closed_s')} FROM ${portal.view('deals_enriched')}`,
        )
      ).map((r) => [Number(r.deal_id), r]),
    );
    assert.equal(view.size, rawDeals.length);
    const expected = deals(rawDeals, stages);
    for (const [i, d] of rawDeals.entries()) {
      const v = view.get(Number(d.ID))!;
      const e = expected[i]!;
      const label = `deal ${d.ID}`;
      const stage = stages.get(`${e.funnel}|${e.stage}`);
      assert.equal(num(v.funnel_id), e.funnel, label);
      assert.equal(v.funnel_name, funnels.get(e.funnel) ?? null, label);
      assert.equal(v.stage_name, stage?.name ?? null, label);
      assert.equal(v.stage_semantic, e.semantic, label);
      assert.equal(num(v.amount), num(d.OPPORTUNITY), label);
      assert.equal(v.currency_id, str(d.CURRENCY_ID) || null, label);
      assert.equal(v.company_name, str(companies.get(id(d.COMPANY_ID) ?? -1)?.TITLE), label);
      assert.equal(v.contact_name, personName(contacts.get(id(d.CONTACT_ID) ?? -1)), label);
      const user = users.get(id(d.ASSIGNED_BY_ID) ?? -1);
      assert.equal(v.assigned_by_name, personName(user), label);
      const department = user ? (json(user.UF_DEPARTMENT) as number[] | null)?.[0] : undefined;
      assert.equal(v.department_name, str(departments.get(Number(department))?.NAME), label);
      assert.equal(num(v.lead_id), id(d.LEAD_ID), label);
      assert.equal(num(v.closed_s), e.closed, label);
      const values = json(v.custom_fields) as Record<string, unknown>;
      assert.deepEqual(Object.keys(values).sort(), custom.map((f) => f.title).sort(), label);
      for (const f of custom) {
        const raw = d[f.column];
        if (f.multiple || raw === null) continue;
        if (f.type === 'string' || f.type === 'url')
          assert.equal(values[f.title], raw, `${label} ${f.column}`);
        if (['integer', 'double', 'enumeration'].includes(f.type))
          assert.equal(Number(values[f.title]), Number(raw), `${label} ${f.column}`);
        if (f.type === 'boolean') assert.equal(values[f.title], raw, `${label} ${f.column}`);
      }
    }
  });

  it('deal_stage_durations: each stay from the stage history; an open deal’s current stage up to now', async () => {
    const stays = stageStays(history, dealStages(status));
    const before = Date.now() / 1000;
    const rows = await portal.query(
      `SELECT deal_id, step, stage_id, stage_semantic, is_current, duration_seconds, ${epoch('entered_at', 'entered')}, ${epoch('left_at', 'left_s')} FROM ${portal.view('deal_stage_durations')}`,
    );
    const afterQuery = Date.now() / 1000;
    assert.equal(rows.length, history.length);
    let current = 0;
    for (const r of rows) {
      const e = stays.get(`${r.deal_id}|${r.step}`);
      const label = `deal ${r.deal_id} step ${r.step}`;
      assert.ok(e, label);
      assert.equal(r.stage_id, e.stage, label);
      assert.equal(r.stage_semantic, e.semantic, label);
      assert.equal(num(r.entered), e.entered, label);
      assert.equal(num(r.left_s), e.left, label);
      assert.equal(r.is_current, e.left === null, label);
      if (e.left !== null) near(r.duration_seconds, e.left - e.entered, label);
      else if (e.semantic !== 'open') assert.equal(r.duration_seconds, null, label);
      else {
        current++;
        const seconds = Number(r.duration_seconds);
        assert.ok(
          seconds >= before - e.entered - 2 && seconds <= afterQuery - e.entered + 2,
          `${label}: ${seconds}`,
        );
      }
    }
    assert.ok(current > 0, 'some deals are open in their current stage');
  });

  it('funnel_conversion: per funnel and month, deals entered, reached each stage, won, lost and won amount', async () => {
    const stages = dealStages(status);
    const figures = funnelFigures(deals(rawDeals, stages), history);
    const rows = await portal.query(
      `SELECT *, CAST(month AS TEXT) AS month_text FROM ${portal.view('funnel_conversion')}`,
    );
    const funnels = new Map(
      (await liveRows(portal, 'deal_categories', '"id", "name"')).map((f) => [Number(f.id), f.name]),
    );
    let expectedRows = 0;
    for (const [key] of figures) {
      const funnel = Number(key.split('|')[0]);
      expectedRows += [...stages.values()].filter((s) => s.funnel === funnel).length;
    }
    assert.equal(rows.length, expectedRows);
    for (const r of rows) {
      const label = `${r.funnel_id} ${r.month_text} ${r.stage_id}`;
      const e = figures.get(`${r.funnel_id}|${r.month_text}`);
      assert.ok(e, label);
      assert.equal(num(r.deals_entered), e.entered, label);
      assert.equal(r.funnel_name, funnels.get(Number(r.funnel_id)), label);
      assert.equal(num(r.deals_won), e.won, label);
      assert.equal(num(r.deals_lost), e.lost, label);
      near(r.won_amount, e.wonAmount, label);
      const reached = e.reached.get(String(r.stage_id)) ?? 0;
      assert.equal(num(r.deals_reached), reached, label);
      near(r.reached_rate, reached / e.entered, label);
      near(r.win_rate, e.won / e.entered, label);
    }
  });

  it('lead_conversion: leads by source and month, converted to deals, and the days it took', async () => {
    const leads = await liveRows(
      portal,
      'leads',
      `"ID", "SOURCE_ID", "STATUS_SEMANTIC_ID", ${epoch('DATE_CREATE')}`,
    );
    const groups = leadFigures(leads, rawDeals);
    const rows = await portal.query(
      `SELECT *, CAST(month AS TEXT) AS month_text FROM ${portal.view('lead_conversion')}`,
    );
    assert.equal(rows.length, groups.size);
    let converted = 0;
    for (const r of rows) {
      const key = `${r.source_id ?? ''}|${r.month_text ?? ''}`;
      const g = groups.get(key);
      assert.ok(g, key);
      assert.equal(num(r.leads), g.leads, key);
      assert.equal(num(r.converted_leads), g.converted, key);
      assert.equal(num(r.deals_created), g.deals, key);
      assert.equal(num(r.leads_in_success_status), g.success, key);
      if (g.days.length === 0) assert.equal(r.avg_days_to_convert, null, key);
      else near(r.avg_days_to_convert, g.days.reduce((a, b) => a + b, 0) / g.days.length, key);
      converted += g.converted;
    }
    assert.ok(converted > 0, 'some leads became deals');
  });

  it('manager_performance: per user and month, new and open deals, won and lost, activities done', async () => {
    const list = deals(rawDeals, dealStages(status));
    const activities = await liveRows(
      portal,
      'activities',
      `"RESPONSIBLE_ID", "COMPLETED", ${epoch('END_TIME')}, ${epoch('CREATED')}`,
    );
    const figures = managerFigures(list, activities);
    const rows = await portal.query(
      `SELECT *, CAST(month AS TEXT) AS month_text FROM ${portal.view('manager_performance')}`,
    );
    assert.equal(rows.length, figures.size);
    for (const r of rows) {
      const key = `${r.user_id ?? ''}|${r.month_text ?? ''}`;
      const e = figures.get(key);
      assert.ok(e, key);
      for (const column of ['deals_created', 'open_deals', 'deals_won', 'deals_lost', 'activities_done'])
        assert.equal(num(r[column]), e.get(column) ?? 0, `${key} ${column}`);
      near(r.open_amount, e.get('open_amount') ?? 0, `${key} open_amount`);
      near(r.won_amount, e.get('won_amount') ?? 0, `${key} won_amount`);
    }
  });

  it('spa_{entityTypeId}_enriched: each smart-process item with its type title and stage', async () => {
    const types = await liveRows(portal, 'spa_types', '"entityTypeId", "title"');
    for (const stream of portal.spaStreams) {
      const typeId = Number(stream.slice(4));
      const items = await liveRows(portal, stream, '"id", "categoryId", "stageId", "opportunity"');
      const rows = new Map(
        (await portal.query(`SELECT * FROM ${portal.view(`${stream}_enriched`)}`)).map((r) => [
          Number(r.item_id),
          r,
        ]),
      );
      assert.equal(rows.size, items.length, stream);
      const title = types.find((t) => Number(t.entityTypeId) === typeId)?.title;
      for (const item of items) {
        const r = rows.get(Number(item.id))!;
        const stage = status.find(
          (s) => s.ENTITY_ID === `DYNAMIC_${typeId}_STAGE_${item.categoryId}` && s.STATUS_ID === item.stageId,
        );
        assert.equal(r.type_title, title, `${stream} ${item.id}`);
        assert.equal(r.stage_name, stage?.NAME ?? null, `${stream} ${item.id}`);
        assert.equal(r.stage_semantic, stage ? statusSemantic(stage) : null, `${stream} ${item.id}`);
        assert.equal(num(r.amount), num(item.opportunity), `${stream} ${item.id}`);
      }
    }
  });

  it('leaves out, and drops, the models of a stream that was not synced, then builds them again', () =>
    leftOutAndRebuilt(portal, db));
}
