/** Unit cases of value normalisation, through the public API (a one-field record shape). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type FieldDescriptor,
  recordShape,
  toDate,
  toDateTime,
  validatorFor,
} from '../../src/schema/index.js';

/** Normalises one value of a field and checks the result against the field's schema. */
function one(field: FieldDescriptor, value: unknown, portalOffset?: string): unknown {
  const shape = recordShape({ F: field }, { portalOffset });
  const record = shape.normalize({ F: value });
  assert.equal(shape.mismatches.get('F'), undefined, `${JSON.stringify(value)} should fit ${field.type}`);
  assert.deepEqual(validatorFor(shape.schema).problems(record), []);
  return record.F;
}

describe('numbers', () => {
  it('numeric strings become numbers; "" and null become null', () => {
    assert.equal(one({ type: 'double' }, '19999.99'), 19999.99);
    assert.equal(one({ type: 'double' }, '0.0000'), 0);
    assert.equal(one({ type: 'double' }, ' -12.5 '), -12.5);
    assert.equal(one({ type: 'double' }, 999.9), 999.9);
    assert.equal(one({ type: 'double' }, ''), null);
    assert.equal(one({ type: 'integer' }, '37'), 37);
    assert.equal(one({ type: 'integer' }, 253), 253);
    assert.equal(one({ type: 'integer' }, null), null);
    assert.equal(one({ type: 'user' }, '6'), 6);
    assert.equal(one({ type: 'crm_company' }, '12'), 12);
  });
});

describe('empty is NULL', () => {
  it('"" in a text field is null; structured values keep their empties', () => {
    assert.equal(one({ type: 'string' }, ''), null);
    assert.equal(one({ type: 'text' }, ''), null);
    assert.equal(one({ type: 'crm_status' }, ''), null);
    assert.equal(one({ type: 'a_type_we_never_saw' }, ''), null);
    assert.equal(one({ type: 'string' }, ' '), ' ');
    assert.deepEqual(one({ type: 'string', isMultiple: true }, ['a', '']), ['a', '']);
    assert.deepEqual(one({ type: 'object' }, {}), {});
  });

  it('a reference that is 0 is null: reference types and integer *_ID / *Id codes', () => {
    const shape = recordShape({
      COMPANY_ID: { type: 'crm_company' },
      ASSIGNED_BY_ID: { type: 'user' },
      UF_CRM_EMPLOYEE: { type: 'employee', isDynamic: true },
      ASSOCIATED_ENTITY_ID: { type: 'integer' },
      PARENT_ID_1224: { type: 'crm_entity' },
      companyId: { type: 'crm_company' },
      webformId: { type: 'integer' },
      ID: { type: 'integer' },
      OPPORTUNITY_COUNT: { type: 'integer' },
      CATEGORY_ID: { type: 'crm_category' },
      categoryId: { type: 'integer' },
      OWNER_TYPE_ID: { type: 'crm_enum_ownertype' },
    });
    const raw = Object.fromEntries(Object.keys(shape.schema.properties!).map((code) => [code, '0']));
    const record = shape.normalize(raw);
    for (const code of ['COMPANY_ID', 'ASSIGNED_BY_ID', 'UF_CRM_EMPLOYEE', 'ASSOCIATED_ENTITY_ID']) {
      assert.equal(record[code], null, code);
    }
    assert.equal(record.PARENT_ID_1224, null);
    assert.equal(shape.normalize({ companyId: 0, webformId: 0 }).companyId, null);
    assert.equal(shape.normalize({ companyId: 0, webformId: 0 }).webformId, null);
    // Not references, or 0 is a real one (the default pipeline is category 0).
    for (const code of ['ID', 'OPPORTUNITY_COUNT', 'CATEGORY_ID', 'categoryId', 'OWNER_TYPE_ID']) {
      assert.equal(record[code], 0, code);
    }
    assert.equal(shape.normalize({ COMPANY_ID: '7' }).COMPANY_ID, 7);
    assert.deepEqual(shape.normalize(record), record, 'idempotent');
  });

  it('computed text properties follow the same rule', () => {
    const shape = recordShape({}, { extra: { NOTE: { type: ['string', 'null'] } } });
    assert.equal(shape.normalize({ NOTE: '' }).NOTE, null);
  });
});

describe('money fields as amount and currency', () => {
  it('adds <CODE>_AMOUNT and <CODE>_CURRENCY beside the money object, titled after it', () => {
    const shape = recordShape({
      UF_CRM_MONEY: { type: 'money', isDynamic: true, title: 'UF_CRM_MONEY', listLabel: 'Budget' },
      UF_CRM_MONIES: { type: 'money', isDynamic: true, isMultiple: true },
    });
    assert.equal(shape.schema.properties!.UF_CRM_MONEY_AMOUNT.title, 'Budget (amount)');
    assert.equal(shape.schema.properties!.UF_CRM_MONEY_CURRENCY.title, 'Budget (currency)');
    assert.equal(shape.schema.properties!.UF_CRM_MONIES_AMOUNT, undefined, 'multiple money stays an array');
    const record = shape.normalize({ UF_CRM_MONEY: '100.50|RUB', UF_CRM_MONIES: ['1|EUR'] });
    assert.deepEqual(record.UF_CRM_MONEY, { amount: 100.5, currency: 'RUB' });
    assert.equal(record.UF_CRM_MONEY_AMOUNT, 100.5);
    assert.equal(record.UF_CRM_MONEY_CURRENCY, 'RUB');
    assert.deepEqual(validatorFor(shape.schema).problems(record), []);
    assert.deepEqual(shape.normalize(record), record, 'idempotent');
    const empty = shape.normalize({ UF_CRM_MONEY: '' });
    assert.equal(empty.UF_CRM_MONEY_AMOUNT, null);
    assert.equal(empty.UF_CRM_MONEY_CURRENCY, null);
    assert.equal('UF_CRM_MONEY_AMOUNT' in shape.normalize({ ID: 1 }), false, 'absent stays absent');
  });
});

describe('booleans', () => {
  it('Y/N, "1"/"0", 1/0 and JSON booleans', () => {
    for (const [raw, typed] of [
      ['Y', true],
      ['N', false],
      ['1', true],
      ['0', false],
      [1, true],
      [0, false],
      [true, true],
      [false, false],
      ['', null],
    ] as const) {
      assert.equal(one({ type: 'char' }, raw), typed, `char ${raw}`);
      assert.equal(one({ type: 'boolean', isDynamic: true }, raw), typed, `boolean ${raw}`);
    }
  });
});

describe('datetimes: the same instant, in UTC', () => {
  it('ISO with offset → …Z', () => {
    assert.equal(one({ type: 'datetime' }, '2024-09-02T18:37:18+02:00'), '2024-09-02T16:37:18Z');
    assert.equal(one({ type: 'datetime' }, '2024-04-25T14:59:11+00:00'), '2024-04-25T14:59:11Z');
    assert.equal(one({ type: 'datetime' }, '2020-03-02T01:00:00+03:00'), '2020-03-01T22:00:00Z');
    assert.equal(one({ type: 'datetime' }, '2024-01-01T00:30:00-05:30'), '2024-01-01T06:00:00Z');
    assert.equal(one({ type: 'datetime' }, '2024-07-22T18:00:08.250+02:00'), '2024-07-22T16:00:08.250Z');
  });

  it('instants are preserved exactly (compared as epoch milliseconds)', () => {
    for (const raw of [
      '2024-09-02T18:37:18+02:00',
      '1999-12-31T23:59:59-11:00',
      '2024-02-29T00:00:00+14:00',
    ]) {
      assert.equal(Date.parse(String(toDateTime(raw))), Date.parse(raw));
    }
  });

  it('portal display formats without offset are read in the portal offset', () => {
    assert.equal(one({ type: 'datetime' }, '24.08.2023 13:19:39'), '2023-08-24T13:19:39Z');
    assert.equal(one({ type: 'datetime' }, '2024-08-29 10:30:11'), '2024-08-29T10:30:11Z');
    assert.equal(one({ type: 'datetime' }, '2024-08-29 10:30:11', '+03:00'), '2024-08-29T07:30:11Z');
    assert.equal(one({ type: 'datetime' }, '08/29/2024 01:30:11 pm', '-02:00'), '2024-08-29T15:30:11Z');
  });

  it('empties: "", null, {} (empty PHP DateTime), MySQL zero date', () => {
    assert.equal(one({ type: 'datetime' }, ''), null);
    assert.equal(one({ type: 'datetime' }, {}), null);
    assert.equal(one({ type: 'datetime' }, '0000-00-00 00:00:00'), null);
  });
});

describe('dates: the local date, never the UTC one', () => {
  it('local midnight datetimes keep the date written, even east of UTC', () => {
    // 2024-08-30T02:00:00+02:00 is 2024-08-30T00:00:00Z; 00:00+03:00 is the previous day in UTC.
    assert.equal(one({ type: 'date' }, '2024-08-30T02:00:00+02:00'), '2024-08-30');
    assert.equal(one({ type: 'date' }, '2024-08-30T00:00:00+03:00'), '2024-08-30');
    assert.equal(one({ type: 'date' }, '2024-08-30T00:00:00-07:00'), '2024-08-30');
    assert.equal(String(toDate('2001-11-11T00:00:00+05:00')), '2001-11-11');
  });

  it('plain and portal-format dates', () => {
    assert.equal(one({ type: 'date' }, '2024-12-26'), '2024-12-26');
    assert.equal(one({ type: 'date' }, '30.08.2024'), '2024-08-30');
    assert.equal(one({ type: 'date' }, ''), null);
  });
});

describe('user-field structures', () => {
  it('money "300|RUB" → {amount, currency}', () => {
    assert.deepEqual(one({ type: 'money' }, '300|RUB'), { amount: 300, currency: 'RUB' });
    assert.deepEqual(one({ type: 'money' }, '19999.99|USD'), { amount: 19999.99, currency: 'USD' });
    assert.deepEqual(one({ type: 'money' }, '|EUR'), { amount: null, currency: 'EUR' });
    assert.deepEqual(one({ type: 'money' }, '150'), { amount: 150, currency: null });
    assert.equal(one({ type: 'money' }, ''), null);
    assert.deepEqual(one({ type: 'money', isMultiple: true }, ['1|USD', '2.5|EUR']), [
      { amount: 1, currency: 'USD' },
      { amount: 2.5, currency: 'EUR' },
    ]);
  });

  it('address "text|lat;lng|locId" → {text, lat, lng, location_id}', () => {
    assert.deepEqual(one({ type: 'address' }, 'Main St 1, Berlin|52.52;13.405|12'), {
      text: 'Main St 1, Berlin',
      lat: 52.52,
      lng: 13.405,
      location_id: 12,
    });
    assert.deepEqual(one({ type: 'address' }, 'Only text'), {
      text: 'Only text',
      lat: null,
      lng: null,
      location_id: null,
    });
    assert.deepEqual(one({ type: 'address' }, 'A|B|;|7'), {
      text: 'A|B',
      lat: null,
      lng: null,
      location_id: 7,
    });
  });

  it('enumerations → the item id as an integer', () => {
    const items = [
      { ID: '79', VALUE: 'List item #1' },
      { ID: '81', VALUE: 'List item #3' },
    ];
    assert.equal(one({ type: 'enumeration', items }, '81'), 81);
    assert.deepEqual(one({ type: 'enumeration', items, isMultiple: true }, ['79', 81]), [79, 81]);
  });

  it('crm bindings stay document ids; rest_ app types are text', () => {
    assert.equal(one({ type: 'crm' }, 'C_12'), 'C_12');
    assert.deepEqual(one({ type: 'crm', isMultiple: true }, ['CO_456', 'T80_6']), ['CO_456', 'T80_6']);
    assert.equal(one({ type: 'crm' }, 12), '12');
    assert.equal(one({ type: 'rest_12_rating' }, 'five'), 'five');
  });

  it('files: objects with an integer id; a bare id becomes {id}', () => {
    assert.deepEqual(one({ type: 'file' }, { id: '37375', showUrl: '/s', downloadUrl: '/d' }), {
      id: 37375,
      showUrl: '/s',
      downloadUrl: '/d',
    });
    assert.deepEqual(one({ type: 'file' }, 42), { id: 42 });
  });

  it('unknown types keep everything, structures as JSON text', () => {
    assert.equal(one({ type: 'mystery' }, 'x'), 'x');
    assert.equal(one({ type: 'mystery' }, 3), '3');
    assert.equal(one({ type: 'mystery' }, { a: [1] }), '{"a":[1]}');
  });
});

describe('multiple fields are arrays', () => {
  it('single values, false, null and "" ', () => {
    assert.deepEqual(one({ type: 'integer', isMultiple: true }, '5'), [5]);
    assert.deepEqual(one({ type: 'integer', isMultiple: true }, false), []);
    assert.deepEqual(one({ type: 'integer', isMultiple: true }, null), []);
    assert.deepEqual(one({ type: 'integer', isMultiple: true }, ''), []);
    assert.deepEqual(one({ type: 'crm_contact', isMultiple: true }, ['1', 2]), [1, 2]);
  });

  it('multifields, legacy and camelCase, to {ID, VALUE_TYPE, VALUE, TYPE_ID}', () => {
    const expected = [{ ID: 215, VALUE_TYPE: 'WORK', VALUE: 'x@example.com', TYPE_ID: 'EMAIL' }];
    assert.deepEqual(
      one({ type: 'crm_multifield', isMultiple: true }, [
        { ID: '215', VALUE_TYPE: 'WORK', VALUE: 'x@example.com', TYPE_ID: 'EMAIL' },
      ]),
      expected,
    );
    assert.deepEqual(
      one({ type: 'crm_multifield', isMultiple: true }, [
        { id: 215, valueType: 'WORK', value: 'x@example.com', typeId: 'EMAIL' },
      ]),
      expected,
    );
  });
});
