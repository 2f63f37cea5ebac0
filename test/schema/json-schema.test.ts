import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  DEPARTMENT_FIELD_HINTS,
  type FieldDescriptor,
  type FieldMap,
  flatFieldMap,
  type JsonSchema,
  jsonSchemaForField,
  recordShape,
  USER_FIELD_HINTS,
  validatorFor,
} from '../../src/schema/index.js';

const FIXTURES = new URL('../fixtures/bitrix24-docs/', import.meta.url);
const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8'));

/** `*.fields` answers: the map is `result` (legacy) or `result.fields` (crm.item family), or the file itself (fragments). */
function fieldMapOf(name: string): FieldMap {
  const body = fixture(name) as { result?: unknown };
  const result = (body.result ?? body) as Record<string, unknown>;
  return (result.fields ?? result) as FieldMap;
}

/** The JSON type each documented Bitrix `*.fields` type (standard and user-field types) must get. */
const EXPECTED: Record<string, { type: string; format?: string }> = {
  integer: { type: 'integer' },
  int: { type: 'integer' },
  double: { type: 'number' },
  string: { type: 'string' },
  text: { type: 'string' },
  char: { type: 'boolean' },
  boolean: { type: 'boolean' },
  date: { type: 'string', format: 'date' },
  datetime: { type: 'string', format: 'date-time' },
  object: { type: 'object' },
  file: { type: 'object' },
  diskfile: { type: 'object' },
  attached_diskfile: { type: 'object' },
  product_file: { type: 'object' },
  user: { type: 'integer' },
  employee: { type: 'integer' },
  location: { type: 'string' },
  crm_status: { type: 'string' },
  crm_status_extra: { type: 'object' },
  crm_currency: { type: 'string' },
  crm_company: { type: 'integer' },
  crm_contact: { type: 'integer' },
  crm_lead: { type: 'integer' },
  crm_deal: { type: 'integer' },
  crm_quote: { type: 'integer' },
  crm_category: { type: 'integer' },
  crm_entity: { type: 'integer' },
  crm_multifield: { type: 'object' },
  crm_enum_ownertype: { type: 'integer' },
  crm_enum_activitytype: { type: 'integer' },
  crm_activity_binding: { type: 'object' },
  crm_activity_communication: { type: 'object' },
  crm_dynamic_type: { type: 'integer' },
  recurring_params: { type: 'object' },
  uf_enum_element: { type: 'object' },
  enumeration: { type: 'integer' },
  money: { type: 'object' },
  url: { type: 'string' },
  address: { type: 'object' },
  iblock_section: { type: 'integer' },
  iblock_element: { type: 'integer' },
  crm: { type: 'string' },
  rest_12_rating: { type: 'string' },
};

function mainTypeOf(schema: JsonSchema): { type: string; format?: string } {
  const one =
    schema.type === 'array' || (Array.isArray(schema.type) && schema.type[0] === 'array')
      ? schema.items!
      : schema;
  const types = one.type as string[];
  assert.ok(Array.isArray(types) && types.includes('null'), `nullable: ${JSON.stringify(one)}`);
  const type = types.find((t) => t !== 'null')!;
  return one.format ? { type, format: one.format } : { type };
}

function expectedFor(code: string, field: FieldDescriptor): { type: string; format?: string } {
  if (code === 'SEMANTICS') return { type: 'string' }; // crm.status: "S"/"F" codes, not Y/N
  if (field.type.startsWith('crm_enum_')) return { type: 'integer' };
  return EXPECTED[field.type] ?? { type: 'string' };
}

const descriptorFixtures = readdirSync(FIXTURES).filter(
  (f) =>
    /fields.*\.json$/.test(f) &&
    !f.includes('error') &&
    !f.startsWith('user.') &&
    !f.startsWith('department.'),
);

describe('schema from every *.fields fixture', () => {
  it('finds the descriptor fixtures', () => {
    assert.ok(descriptorFixtures.length >= 14, descriptorFixtures.join(','));
  });
  for (const name of descriptorFixtures) {
    it(`${name}: a nullable property of the right type per field`, () => {
      const fields = fieldMapOf(name);
      const { schema } = recordShape(fields);
      assert.equal(schema.type, 'object');
      assert.equal(schema.additionalProperties, true);
      // Plus <CODE>_AMOUNT / <CODE>_CURRENCY for each single money field.
      const splits = Object.entries(fields)
        .filter(([, field]) => field.type === 'money' && !field.isMultiple)
        .flatMap(([code]) => [`${code}_AMOUNT`, `${code}_CURRENCY`]);
      assert.deepEqual(Object.keys(schema.properties!).sort(), [...Object.keys(fields), ...splits].sort());
      for (const [code, field] of Object.entries(fields)) {
        const property = schema.properties![code];
        assert.deepEqual(mainTypeOf(property), expectedFor(code, field), `${name} ${code} (${field.type})`);
        if (field.isMultiple) assert.deepEqual(property.type, ['array', 'null'], `${code} multiple → array`);
      }
      // The schema itself must compile.
      validatorFor(schema);
    });
  }

  it('user.fields and department.fields (flat title maps) with the hint tables', () => {
    const user = flatFieldMap(
      fieldMapOf('user.fields.json') as unknown as Record<string, string>,
      USER_FIELD_HINTS,
    );
    const u = recordShape(user).schema.properties!;
    assert.equal(Object.keys(u).length, 62);
    assert.deepEqual(u.ID.type, ['integer', 'null']);
    assert.deepEqual(u.ACTIVE.type, ['boolean', 'null']);
    assert.deepEqual(u.UF_DEPARTMENT, {
      type: ['array', 'null'],
      items: { type: ['integer', 'null'] },
      title: 'Units',
      description: 'Bitrix24 user field of type integer multiple',
    });
    assert.equal(u.TIMESTAMP_X.format, 'date-time');
    assert.equal(u.PERSONAL_BIRTHDAY.format, 'date');
    assert.equal(u.NAME.title, 'First Name');
    assert.deepEqual(u.NAME.type, ['string', 'null']);
    const dep = flatFieldMap(
      fieldMapOf('department.fields.json') as unknown as Record<string, string>,
      DEPARTMENT_FIELD_HINTS,
    );
    const d = recordShape(dep).schema.properties!;
    assert.deepEqual(Object.keys(d), ['ID', 'NAME', 'SORT', 'PARENT', 'UF_HEAD']);
    assert.deepEqual(d.PARENT.type, ['integer', 'null']);
    assert.deepEqual(d.UF_HEAD.type, ['integer', 'null']);
  });
});

describe('jsonSchemaForField', () => {
  it('maps every documented type, std and user-field, as the issue lists', () => {
    for (const [type, expected] of Object.entries(EXPECTED)) {
      assert.deepEqual(mainTypeOf(jsonSchemaForField({ type })), expected, type);
    }
  });

  it('labels user fields with their human label and says the Bitrix type', () => {
    const fields = fieldMapOf('crm.company.fields.json');
    const uf = jsonSchemaForField(fields.UF_CRM_1687188367);
    assert.equal(uf.title, fields.UF_CRM_1687188367.listLabel);
    assert.match(uf.description!, /user field of type crm/);
    const stage = jsonSchemaForField(fieldMapOf('crm.deal.fields.json').STAGE_ID);
    assert.match(stage.description!, /DEAL_STAGE/);
  });

  it('money and address are objects with fixed members; files and multifields declare their ids', () => {
    assert.deepEqual(jsonSchemaForField({ type: 'money' }).properties, {
      amount: { type: ['number', 'null'] },
      currency: { type: ['string', 'null'] },
    });
    assert.deepEqual(Object.keys(jsonSchemaForField({ type: 'address' }).properties!), [
      'text',
      'lat',
      'lng',
      'location_id',
    ]);
    assert.deepEqual(jsonSchemaForField({ type: 'file' }).properties!.id, { type: ['integer', 'null'] });
    const phones = jsonSchemaForField({ type: 'crm_multifield', isMultiple: true });
    assert.deepEqual(Object.keys(phones.items!.properties!), ['ID', 'VALUE_TYPE', 'VALUE', 'TYPE_ID']);
  });

  it('unknown types are permissive text with a description, never anyOf', () => {
    const s = jsonSchemaForField({ type: 'some_future_type' });
    assert.deepEqual(s.type, ['string', 'null']);
    assert.match(s.description!, /some_future_type/);
    assert.equal(JSON.stringify(s).includes('anyOf'), false);
  });
});
