/**
 * The generated portal reads like a real CRM: every row of a scale-300 portal, read over the
 * emulator's REST API, keeps the rules a real portal's data keeps (amounts and taxes, dates,
 * stage histories, addresses, file links, multi-selects, one language per funnel).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { STAGE_NAMES } from '../../src/emulator/portal/funnels.js';
import { PLACES } from '../../src/emulator/portal/places.js';
import { type Json, startPortal } from './portal-http.js';
import { getAll, groupBy, listAll, ms, type Obj, resultOf } from './portal-reader.js';

const LEGACY = ['deal', 'contact', 'company', 'lead'] as const;
const near = (a: number, b: number, tolerance: number) => Math.abs(a - b) <= tolerance + 1e-9;

describe('a generated portal keeps the rules of real CRM data', () => {
  let portal: Awaited<ReturnType<typeof startPortal>>;
  const rows: Record<string, Obj[]> = {};
  const fields: Record<string, Obj> = {};
  before(async () => {
    portal = await startPortal(300);
    for (const entity of LEGACY) {
      // The list gives the ids; get gives every field (a list leaves multiple UF fields out).
      const ids = (await listAll(portal, `crm.${entity}.list`, { select: ['ID'] })).map((r) => r.ID);
      rows[entity] = await getAll(portal, `crm.${entity}.get`, ids);
      fields[entity] = (await resultOf(portal, `crm.${entity}.fields`)) as Obj;
    }
    rows.item = await listAll(portal, 'crm.item.list', { entityTypeId: 128 });
    fields.item = ((await resultOf(portal, 'crm.item.fields', { entityTypeId: 128 })) as Obj).fields as Obj;
  });
  after(() => portal.emu.close());

  it('deal tax never exceeds the amount; product rows agree with their price, tax and deal', async () => {
    assert.equal(rows.deal.length, 300);
    let withProducts = 0;
    for (const deal of rows.deal) {
      const amount = Number(deal.OPPORTUNITY);
      const tax = Number(deal.TAX_VALUE);
      assert.ok(tax >= 0 && tax <= amount, `deal ${deal.ID}: tax ${tax} > amount ${amount}`);
      const products = (await resultOf(portal, 'crm.deal.productrows.get', { id: deal.ID })) as Obj[];
      let sum = 0;
      let taxSum = 0;
      for (const p of products) {
        const [price, exclusive, netto, brutto] = [p.PRICE, p.PRICE_EXCLUSIVE, p.PRICE_NETTO, p.PRICE_BRUTTO];
        const factor = 1 + Number(p.TAX_RATE ?? 0) / 100;
        const where = `deal ${deal.ID} product row ${p.ID}`;
        assert.ok(near(Number(price), Number(exclusive) * factor, 0.01), `${where}: price vs tax rate`);
        assert.ok(near(Number(brutto), Number(netto) * factor, 0.01), `${where}: brutto vs netto`);
        assert.ok(Number(exclusive) <= Number(price) && Number(price) <= Number(brutto), where);
        assert.ok(near(Number(p.DISCOUNT_SUM), Number(netto) - Number(exclusive), 0.01), where);
        assert.equal(p.PRICE_ACCOUNT, Number(price).toFixed(2), where);
        sum += Number(price) * Number(p.QUANTITY);
        taxSum += (Number(price) - Number(exclusive)) * Number(p.QUANTITY);
      }
      if (!products.length) continue;
      withProducts++;
      assert.equal(deal.IS_MANUAL_OPPORTUNITY, 'N', `deal ${deal.ID} sums its products`);
      assert.ok(near(amount, sum, 0.01), `deal ${deal.ID}: OPPORTUNITY ${amount} ≠ products ${sum}`);
      assert.ok(near(tax, taxSum, 0.01 * products.length), `deal ${deal.ID}: TAX_VALUE ${tax} ≠ ${taxSum}`);
    }
    assert.ok(withProducts > 100 && withProducts < 300, `deals with products: ${withProducts}`);
    for (const item of rows.item) assert.ok(Number(item.taxValue) <= Number(item.opportunity));
  });

  it('close dates are on or after begin dates', () => {
    for (const deal of rows.deal) {
      assert.ok(deal.BEGINDATE && deal.CLOSEDATE, `deal ${deal.ID} has both dates`);
      assert.ok(
        ms(deal.CLOSEDATE) >= ms(deal.BEGINDATE),
        `deal ${deal.ID}: ${deal.BEGINDATE}..${deal.CLOSEDATE}`,
      );
      assert.ok(ms(deal.BEGINDATE) <= ms(deal.DATE_CREATE), `deal ${deal.ID} begins on its creation day`);
    }
    for (const item of rows.item) assert.ok(ms(item.closedate) >= ms(item.begindate), `item ${item.id}`);
    for (const lead of rows.lead)
      if (lead.DATE_CLOSED) assert.ok(ms(lead.DATE_CLOSED) >= ms(lead.DATE_CREATE), `lead ${lead.ID}`);
    for (const person of [...rows.contact, ...rows.lead])
      if (person.BIRTHDATE) {
        const age = (ms(person.DATE_CREATE) - ms(person.BIRTHDATE)) / (365.25 * 86400000);
        assert.ok(age >= 19 && age <= 66, `${person.ID}: aged ${age}`);
      }
  });

  it('a multiple field never holds the same value twice', () => {
    let checked = 0;
    for (const [entity, list] of Object.entries(rows)) {
      const multiple = Object.entries(fields[entity]).filter(
        ([, d]) => (d as Obj).isMultiple && (d as Obj).isDynamic,
      );
      assert.ok(
        multiple.some(([, d]) => (d as Obj).type === 'enumeration'),
        `${entity} has a multi-enum`,
      );
      for (const row of list)
        for (const [code, d] of multiple) {
          const values = (row[code] ?? []) as Json[];
          const seen = values.map((v) => ((d as Obj).type === 'file' ? (v as Obj).id : v));
          assert.equal(new Set(seen).size, seen.length, `${entity} ${row.ID ?? row.id} ${code}: ${seen}`);
          checked += values.length;
        }
    }
    assert.ok(checked > 1000, `values checked: ${checked}`);
  });

  it("each funnel's stages are named in one language", async () => {
    const statuses = await listAll(portal, 'crm.status.list');
    const stageSets = [...groupBy(statuses, 'ENTITY_ID')].filter(
      ([id]) => id === 'STATUS' || id.startsWith('DEAL_STAGE') || id.startsWith('DYNAMIC_'),
    );
    assert.ok(stageSets.length >= 9, `stage sets: ${stageSets.length}`);
    const script = (name: string) =>
      /[\u0400-\u04ff]/.test(name) ? 'cyrillic' : /[\u3040-\u30ff\u4e00-\u9fff]/.test(name) ? 'cjk' : 'latin';
    const languages = new Set<string>();
    for (const [entityId, stages] of stageSets) {
      const names = stages.map((s) => String(s.NAME));
      assert.equal(new Set(names.map(script)).size, 1, `${entityId}: ${names.join(', ')}`);
      if (entityId === 'STATUS') continue;
      const language = Object.entries(STAGE_NAMES).find(([, all]) => names.every((n) => all.includes(n)));
      assert.ok(language, `${entityId}: ${names.join(', ')} come from one language's stage names`);
      languages.add(language[0]);
    }
    assert.ok(languages.size >= 2, 'the portal still has funnels in more than one language');
  });

  it('address parts come from one place', () => {
    let addresses = 0;
    const checkPlace = (where: string, city: Json, parts: Record<string, Json>) => {
      const place = PLACES.find((p) => p.city === city);
      assert.ok(place, `${where}: unknown city ${city}`);
      for (const [part, value] of Object.entries(parts))
        if (value !== undefined) assert.equal(value, (place as unknown as Obj)[part], `${where}: ${part}`);
      addresses++;
      return place;
    };
    for (const entity of ['contact', 'company', 'lead'])
      for (const row of rows[entity])
        for (const prefix of ['ADDRESS', 'REG_ADDRESS']) {
          if (!(`${prefix}_CITY` in row) || row[`${prefix}_CITY`] === null) continue;
          const place = checkPlace(`${entity} ${row.ID} ${prefix}`, row[`${prefix}_CITY`], {
            region: row[`${prefix}_REGION`],
            province: row[`${prefix}_PROVINCE`],
            country: row[`${prefix}_COUNTRY`],
            countryCode: row[`${prefix}_COUNTRY_CODE`],
          });
          assert.ok(place.postalCodes.includes(String(row[`${prefix}_POSTAL_CODE`])), `${entity} ${row.ID}`);
          assert.ok(
            place.streets.some((s) => String(row[prefix]).startsWith(`${s}, `)),
            `${entity} ${row.ID}`,
          );
        }
    for (const entity of LEGACY)
      for (const row of rows[entity])
        for (const value of [row.UF_CRM_ADDRESS, ...((row.UF_CRM_ADDRESSES ?? []) as Json[])]) {
          if (!value) continue;
          const [text, coordinates] = String(value).split('|');
          const parts = text.split(', ');
          const place = checkPlace(`${entity} ${row.ID} UF address`, parts[2], {
            province: parts[3],
            country: parts[4],
          });
          if (parts[5]) assert.ok(place.postalCodes.includes(parts[5]), text);
          const [lat, lng] = coordinates.split(';').map(Number);
          if (coordinates !== ';')
            assert.ok(near(lat, place.lat, 0.05) && near(lng, place.lng, 0.05), String(value));
        }
    assert.ok(addresses > 500, `addresses checked: ${addresses}`);
  });

  it('file links point to the record and field they are attached to', async () => {
    const ids = new Set<Json>();
    const checkFile = (file: Obj, path: string, owner: string, field: string) => {
      for (const url of [String(file.showUrl), String(file.downloadUrl)]) {
        assert.ok(url.includes(path), `${url} names ${path}`);
        assert.ok(url.includes(owner) && url.includes(`fieldName=${field}&`), `${url}: ${owner} ${field}`);
        assert.ok(url.endsWith(`fileId=${file.id}`), url);
      }
      assert.ok(!ids.has(file.id), `file id ${file.id} used once`);
      ids.add(file.id);
    };
    for (const entity of LEGACY)
      for (const row of rows[entity])
        for (const field of ['UF_CRM_FILE', 'UF_CRM_FILES'])
          for (const file of [row[field] ?? []].flat() as Obj[])
            checkFile(file, `/crm.${entity}.show/`, `ownerId=${row.ID}&`, field);
    for (const row of rows.item)
      for (const [key, field] of [
        ['ufCrm128_File', 'UF_CRM_128_FILE'],
        ['ufCrm128_Files', 'UF_CRM_128_FILES'],
      ])
        for (const file of [row[key] ?? []].flat() as Obj[])
          checkFile(file, 'crm.controller.item.getFile', `entityTypeId=128&id=${row.id}&`, field);
    assert.ok(ids.size > 500, `files checked: ${ids.size}`);
    const activities = await listAll(portal, 'crm.activity.list', { select: ['ID', 'FILES'] });
    for (const a of activities)
      for (const file of a.FILES as Obj[]) assert.match(String(file.url), new RegExp(`&ownerId=${a.ID}&`));
  });

  for (const [entityTypeId, entity, stageKey] of [
    [2, 'deal', 'STAGE_ID'],
    [1, 'lead', 'STATUS_ID'],
    [128, 'item', 'stageId'],
  ] as const)
    it(`${entity} stage moves are spread over days, in funnel order, ending at the current stage`, async () => {
      const history = groupBy(await listAll(portal, 'crm.stagehistory.list', { entityTypeId }), 'OWNER_ID');
      // Stage ids are unique across funnels (prefixed), but the lead and default deal funnels share NEW at sort 10.
      const stages = (await listAll(portal, 'crm.status.list')).filter((s) =>
        /^(STATUS|DEAL_STAGE|DYNAMIC_)/.test(String(s.ENTITY_ID)),
      );
      const sortOf = new Map(stages.map((s) => [s.STATUS_ID, Number(s.SORT)]));
      const historyKey = entityTypeId === 1 ? 'STATUS_ID' : 'STAGE_ID';
      let moves = 0;
      for (const row of rows[entity]) {
        const id = String(row.ID ?? row.id);
        const entries = history.get(id) ?? [];
        assert.ok(entries.length >= 1 && entries[0].TYPE_ID === 1, `${entity} ${id}: creation entry`);
        const created = ms(row.DATE_CREATE ?? row.createdTime);
        assert.equal(ms(entries[0].CREATED_TIME), created, `${entity} ${id}: created with the record`);
        for (let k = 1; k < entries.length; k++) {
          const gap = ms(entries[k].CREATED_TIME) - ms(entries[k - 1].CREATED_TIME);
          assert.ok(gap >= 3600000, `${entity} ${id}: moves ${gap / 1000} s apart`);
          const [from, to] = [entries[k - 1][historyKey], entries[k][historyKey]];
          assert.ok(Number(sortOf.get(to)) > Number(sortOf.get(from)), `${entity} ${id}: ${from} → ${to}`);
          moves++;
        }
        const last = entries[entries.length - 1];
        assert.equal(last[historyKey], row[stageKey], `${entity} ${id}: current stage is the last entry's`);
        const movedTime = row.MOVED_TIME ?? row.movedTime;
        assert.equal(ms(movedTime), ms(last.CREATED_TIME), `${entity} ${id}: moved when last moved`);
        assert.ok(ms(last.CREATED_TIME) <= ms(row.DATE_MODIFY ?? row.updatedTime), `${entity} ${id}`);
      }
      assert.ok(moves > rows[entity].length / 2, `${entity} moves: ${moves}`);
    });
});
