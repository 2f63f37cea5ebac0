/**
 * Normalising the official example rows yields records valid against the schema built from
 * the matching `*.fields` example, with nothing left as a mismatch, and with the values the
 * issue asks for (numbers, booleans, instants in UTC, local dates, arrays, objects).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  CRM_ITEM_MULTIFIELDS,
  DEPARTMENT_FIELD_HINTS,
  type FieldMap,
  fieldMapByUpperName,
  flatFieldMap,
  type RecordShape,
  recordShape,
  USER_FIELD_HINTS,
  validatorFor,
} from '../../src/schema/index.js';

const FIXTURES = new URL('../fixtures/bitrix24-docs/', import.meta.url);
const fixture = (name: string): { result: unknown } =>
  JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8'));

function fieldMapOf(name: string): FieldMap {
  const result = fixture(name).result as Record<string, unknown>;
  return (result.fields ?? result) as FieldMap;
}

type Row = Record<string, unknown>;

function rowsOf(name: string): Row[] {
  const result = fixture(name).result as Row | Row[];
  if (Array.isArray(result)) return result;
  for (const wrapper of ['items', 'item', 'types', 'categories', 'productRows']) {
    const inner = result[wrapper];
    if (Array.isArray(inner)) return inner as Row[];
    if (inner && typeof inner === 'object') return [inner as Row];
  }
  return [result];
}

/** Normalises every row, checks each against the schema and that nothing was a mismatch. */
function normaliseAll(shape: RecordShape, rows: Row[]): Row[] {
  const validator = validatorFor(shape.schema);
  const out = rows.map((row) => shape.normalize(row));
  for (const record of out) assert.deepEqual(validator.problems(record), [], JSON.stringify(record));
  assert.deepEqual([...shape.mismatches], []);
  assert.ok(out.length > 0);
  return out;
}

/** Descriptors of user fields that appear in example rows but not in the example `*.fields`. */
const uf = (type: string, isMultiple = false) => ({ type, isMultiple, isDynamic: true });

describe('official example rows → valid typed records', () => {
  it('crm.deal.list: numbers from strings, Y/N to booleans, datetimes to UTC', () => {
    const [deal] = normaliseAll(
      recordShape(fieldMapOf('crm.deal.fields.json')),
      rowsOf('crm.deal.list.json'),
    );
    assert.equal(deal.ID, 37);
    assert.equal(deal.OPPORTUNITY, 19999.99);
    assert.equal(deal.CATEGORY_ID, 1);
    assert.equal(deal.STAGE_ID, 'C1:NEW');
    assert.equal(deal.IS_MANUAL_OPPORTUNITY, true);
    assert.equal(deal.DATE_CREATE, '2024-09-02T16:37:18Z');
  });

  it('crm.deal.get: date fields keep their local date, texts stay', () => {
    const shape = recordShape(fieldMapOf('crm.deal.fields.json'));
    const [deal] = normaliseAll(shape, rowsOf('crm.deal.get.json'));
    const raw = rowsOf('crm.deal.get.json')[0];
    assert.match(String(raw.BEGINDATE), /^\d{4}-\d{2}-\d{2}T00:00:00\+0\d:00$|T02:00:00\+02:00$/);
    assert.equal(deal.BEGINDATE, String(raw.BEGINDATE).slice(0, 10));
    assert.equal(deal.COMMENTS, raw.COMMENTS);
  });

  it('crm.lead.list (strict copy): "" dates → null, UF booleans, money strings', () => {
    const fields = { ...fieldMapOf('crm.lead.fields.json'), UF_CRM_1708952993785: uf('boolean') };
    const leads = normaliseAll(recordShape(fields), rowsOf('derived/crm.lead.list.strict.json'));
    assert.equal(leads[0].BIRTHDATE, null);
    assert.equal(leads[0].OPPORTUNITY, 15000);
    assert.equal(leads[0].UF_CRM_1708952993785, false);
    // COMPANY_ID "0" is Bitrix24's "no company": empty is NULL.
    assert.equal(leads[0].COMPANY_ID, null);
    assert.equal(leads[0].DATE_CLOSED, '2021-07-16T14:43:44Z');
  });

  it('crm.contact.get: multifields as {ID,VALUE_TYPE,VALUE,TYPE_ID} with integer ids, birthdate as date', () => {
    const [contact] = normaliseAll(
      recordShape(fieldMapOf('crm.contact.fields.json')),
      rowsOf('crm.contact.get.json'),
    );
    assert.deepEqual(contact.PHONE, [
      { ID: 156, VALUE_TYPE: 'WORK', VALUE: '+13333333555', TYPE_ID: 'PHONE' },
      { ID: 157, VALUE_TYPE: 'HOME', VALUE: '+15599888666', TYPE_ID: 'PHONE' },
    ]);
    assert.equal(contact.BIRTHDATE, '2001-11-11');
    assert.equal(contact.COMPANY_ID, 12);
    assert.equal(contact.PHOTO, null);
    // Not listed by crm.contact.fields: passes through untouched.
    assert.equal(contact.PARENT_ID_1224, '12');
  });

  it('crm.company.get / crm.company.list', () => {
    const shape = recordShape(fieldMapOf('crm.company.fields.json'));
    const [company] = normaliseAll(shape, rowsOf('crm.company.get.json'));
    assert.equal(company.REVENUE, 0);
    assert.equal(company.DATE_CREATE, '2024-03-11T15:36:46Z');
    assert.equal(company.UF_CRM_1687188367, null, '"" in a text field is NULL');
    normaliseAll(shape, rowsOf('crm.company.list.json'));
  });

  it('crm.contact.list and crm.lead.get', () => {
    normaliseAll(recordShape(fieldMapOf('crm.contact.fields.json')), rowsOf('crm.contact.list.json'));
    const lead = rowsOf('crm.lead.get.json')[0];
    const extra = Object.fromEntries(
      Object.keys(lead)
        .filter((k) => k.startsWith('UF_'))
        .map((k) => [k, uf('string')]),
    );
    normaliseAll(recordShape({ ...fieldMapOf('crm.lead.fields.json'), ...extra }), [lead]);
  });

  it('crm.item.list / crm.item.get: JSON numbers stay, "Y" booleans, camelCase fm', () => {
    // The crm.item.get example is a lead while the crm.item.fields example is a SPA: add the
    // lead's birthdate descriptor (type date, as in crm.lead.fields).
    const fields = {
      ...fieldMapOf('crm.item.fields.json'),
      birthdate: { type: 'date' },
      fm: CRM_ITEM_MULTIFIELDS,
    };
    const shape = recordShape(fields);
    const items = normaliseAll(shape, rowsOf('crm.item.list.json'));
    assert.equal(items[0].id, 253);
    assert.equal(items[0].opportunity, 19000);
    assert.equal(items[0].isManualOpportunity, true);
    const [item] = normaliseAll(shape, rowsOf('crm.item.get.json'));
    assert.equal(item.opened, true);
    assert.equal(item.birthdate, '2000-01-01');
    assert.equal(item.createdTime, '2024-07-22T16:00:08Z');
    assert.deepEqual(item.fm, [
      { ID: 101, VALUE_TYPE: 'WORK', VALUE: '+6111111111', TYPE_ID: 'PHONE' },
      { ID: 102, VALUE_TYPE: 'WORK', VALUE: 'admin@example.com', TYPE_ID: 'EMAIL' },
    ]);
    assert.deepEqual(item.observers, []);
  });

  it('crm.contact.get with address user fields (single and multiple)', () => {
    const fields = {
      ID: { type: 'integer' },
      UF_CRM_1724412832: uf('address'),
      UF_CRM_1724412960: uf('address', true),
    };
    const [contact] = normaliseAll(recordShape(fields), rowsOf('crm.contact.get.example-uf-address.json'));
    assert.deepEqual(contact.UF_CRM_1724412832, {
      text: 'Granatny Lane, 10, Berlin, Berlin, Germany, 123001',
      lat: 55.761234,
      lng: 37.591234,
      location_id: 571,
    });
    assert.deepEqual(contact.UF_CRM_1724412960, [
      { text: 'Tverskaya Street, 7, , Berlin, Berlin, Germany', lat: null, lng: null, location_id: 575 },
      { text: ', , Berlin, Berlin, Germany', lat: null, lng: null, location_id: 577 },
    ]);
  });

  it('crm.lead.get with file user fields (single and multiple)', () => {
    const fields = {
      ...fieldMapOf('crm.lead.fields.json'),
      UF_CRM_LEAD_FILE: uf('file'),
      UF_CRM_LEAD_FILES: uf('file', true),
    };
    const [lead] = normaliseAll(recordShape(fields), rowsOf('crm.lead.get.example-uf-files.json'));
    const file = lead.UF_CRM_LEAD_FILE as Row;
    assert.equal(file.id, 37375);
    assert.match(String(file.downloadUrl), /fileId=37375/);
    assert.equal((lead.UF_CRM_LEAD_FILES as Row[])[0].id, 37377);
  });

  it('user.get with user.fields and the user hints', () => {
    const flat = fixture('user.fields.json').result as Record<string, string>;
    const users = normaliseAll(recordShape(flatFieldMap(flat, USER_FIELD_HINTS)), rowsOf('user.get.json'));
    assert.equal(users[0].ID, 1);
    assert.equal(users[0].ACTIVE, true);
    assert.equal(users[0].IS_ONLINE, true);
    assert.deepEqual(users[0].UF_DEPARTMENT, [1]);
    assert.equal(users[0].PERSONAL_BIRTHDAY, '2018-07-14');
    assert.equal(users[0].LAST_LOGIN, '2024-07-25T13:06:54Z');
    // An empty PHP DateTime serialises as {}: no value.
    assert.equal(users[0].TIMESTAMP_X, null);
    assert.equal(users[1].PERSONAL_BIRTHDAY, null);
  });

  it('department.get with department.fields and the department hints', () => {
    const flat = fixture('department.fields.json').result as Record<string, string>;
    const deps = normaliseAll(
      recordShape(flatFieldMap(flat, DEPARTMENT_FIELD_HINTS)),
      rowsOf('department.get.json'),
    );
    assert.deepEqual(deps[0], { ID: 15, NAME: 'R&D', SORT: 500, PARENT: 1 });
  });

  it('crm.deal.productrows.get (mixed typing) with crm.item.productrow.fields re-keyed to UPPER_SNAKE', () => {
    const fields = fieldMapByUpperName(fieldMapOf('crm.item.productrow.fields.json'));
    assert.ok('PRICE_EXCLUSIVE' in fields && 'TAX_INCLUDED' in fields && 'OWNER_ID' in fields);
    const rows = normaliseAll(recordShape(fields), rowsOf('crm.deal.productrows.get.json'));
    assert.equal(rows[0].ID, 5);
    assert.equal(rows[0].PRICE, 899.1);
    assert.equal(rows[0].TAX_INCLUDED, true);
    assert.equal(rows[0].TAX_RATE, null);
    normaliseAll(
      recordShape(fieldMapOf('crm.item.productrow.fields.json')),
      rowsOf('crm.item.productrow.list.json'),
    );
  });

  it('crm.activity.list: enums as integers, [] settings as {}, files and communications', () => {
    const shape = recordShape(fieldMapOf('crm.activity.fields.json'));
    const [activity] = normaliseAll(shape, rowsOf('derived/crm.activity.list.strict.json'));
    assert.equal(activity.TYPE_ID, 2);
    assert.equal(activity.OWNER_TYPE_ID, 3);
    assert.equal(activity.COMPLETED, true);
    assert.deepEqual(activity.SETTINGS, {});
    const [withFiles] = normaliseAll(shape, rowsOf('crm.activity.list.example-retrieving-attachments.json'));
    assert.equal((withFiles.FILES as Row[])[0].id, 3101820);
    normaliseAll(shape, rowsOf('crm.activity.list.example-retrieving-communications.json'));
    normaliseAll(shape, rowsOf('crm.activity.get.json'));
  });

  it('crm.timeline.comment.list: FILES keyed by attachment id become an array', () => {
    const shape = recordShape(fieldMapOf('crm.timeline.comment.fields.json'));
    const [comment] = normaliseAll(shape, rowsOf('crm.timeline.comment.list.json'));
    assert.deepEqual(
      (comment.FILES as Row[]).map((f) => f.id),
      [1, 2],
    );
    assert.equal(comment.CREATED, '2020-03-02T09:00:00Z');
  });

  it('crm.status.list, crm.type.list, crm.category.list', () => {
    const statuses = normaliseAll(
      recordShape(fieldMapOf('crm.status.fields.json')),
      rowsOf('crm.status.list.json'),
    );
    assert.ok(statuses.some((s) => s.SEMANTICS === 'F' || s.SEMANTICS === 'S'));
    assert.ok(statuses.every((s) => typeof s.SYSTEM === 'boolean'));
    const types = normaliseAll(recordShape(fieldMapOf('crm.type.fields.json')), rowsOf('crm.type.list.json'));
    assert.equal(typeof types[0].isCategoriesEnabled, 'boolean');
    normaliseAll(recordShape(fieldMapOf('crm.category.fields.json')), rowsOf('crm.category.list.json'));
  });

  it('crm.stagehistory.list with the documented item fields', () => {
    const fields: FieldMap = {
      ID: { type: 'integer' },
      TYPE_ID: { type: 'integer' },
      OWNER_ID: { type: 'integer' },
      CREATED_TIME: { type: 'datetime' },
      CATEGORY_ID: { type: 'crm_category' },
      STAGE_SEMANTIC_ID: { type: 'string' },
      STAGE_ID: { type: 'crm_status' },
    };
    const [entry] = normaliseAll(recordShape(fields), rowsOf('crm.stagehistory.list.json'));
    assert.equal(entry.CREATED_TIME, '2024-04-25T14:59:11Z');
    assert.equal(entry.CATEGORY_ID, 0);
  });
});
