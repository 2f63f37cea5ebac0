import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type FieldMap, RecordShapeOptionError, recordShape, validatorFor } from '../../src/schema/index.js';

const FIELDS: FieldMap = {
  ID: { type: 'integer', isReadOnly: true },
  OPPORTUNITY: { type: 'double' },
  OPENED: { type: 'char' },
  CLOSEDATE: { type: 'date' },
  DATE_MODIFY: { type: 'datetime' },
  CONTACT_IDS: { type: 'crm_contact', isMultiple: true },
  UF_CRM_MONEY: { type: 'money', isDynamic: true },
};

describe('mismatches: kept as they came, counted by field', () => {
  it('values that do not fit are neither dropped nor nulled', () => {
    const shape = recordShape(FIELDS);
    const raw = {
      ID: '12',
      OPPORTUNITY: 'about a thousand',
      OPENED: 'maybe',
      CLOSEDATE: '2024-13-45',
      DATE_MODIFY: 'yesterday',
      CONTACT_IDS: ['1', 'x'],
      UF_CRM_MONEY: 'lots|USD',
    };
    const record = shape.normalize(raw);
    // A money value that did not fit has no amount or currency to show.
    assert.deepEqual(record, { ...raw, ID: 12, UF_CRM_MONEY_AMOUNT: null, UF_CRM_MONEY_CURRENCY: null });
    assert.deepEqual(
      Object.fromEntries(shape.mismatches),
      Object.fromEntries(
        Object.keys(raw)
          .filter((k) => k !== 'ID')
          .map((k) => [k, 1]),
      ),
    );
    // The schema says what the values should be, so such a record is reported invalid.
    assert.equal(validatorFor(shape.schema).isValid(record), false);
  });

  it('counts accumulate over rows, per field', () => {
    const shape = recordShape(FIELDS);
    for (const opportunity of ['1', 'x', '2', 'y', 'z']) shape.normalize({ OPPORTUNITY: opportunity });
    shape.normalize({ ID: 1.5 });
    assert.deepEqual(Object.fromEntries(shape.mismatches), { OPPORTUNITY: 3, ID: 1 });
  });

  it('integers past 2^53 sent as text are kept as text, not rounded', () => {
    const shape = recordShape(FIELDS);
    assert.equal(shape.normalize({ ID: '12345678901234567891' }).ID, '12345678901234567891');
    assert.equal(shape.mismatches.get('ID'), 1);
  });
});

describe('schema and selection', () => {
  it('additionalProperties true: a field the portal added mid-run passes through untouched', () => {
    const shape = recordShape(FIELDS);
    assert.equal(shape.schema.additionalProperties, true);
    const record = shape.normalize({ ID: '1', UF_CRM_NEW: { any: 'thing' } });
    assert.deepEqual(record, { ID: 1, UF_CRM_NEW: { any: 'thing' } });
    assert.deepEqual(validatorFor(shape.schema).problems(record), []);
  });

  it('missing fields stay missing; nothing is required', () => {
    const shape = recordShape(FIELDS);
    assert.deepEqual(shape.normalize({ ID: '3' }), { ID: 3 });
    assert.equal(shape.schema.required, undefined);
  });

  it('keep: only the selected properties, in schema and records', () => {
    const shape = recordShape(FIELDS, { keep: new Set(['ID', 'OPENED']) });
    assert.deepEqual(Object.keys(shape.schema.properties!), ['ID', 'OPENED']);
    assert.deepEqual(shape.normalize({ ID: '1', OPENED: 'Y', OPPORTUNITY: '5', UF_X: 1 }), {
      ID: 1,
      OPENED: true,
    });
  });

  it('extra computed properties are declared and normalised by their schema', () => {
    const shape = recordShape(FIELDS, {
      keep: new Set(['ID']),
      extra: {
        CONTACT_IDS: { type: ['array', 'null'], items: { type: 'integer' } },
        SYNCED_AT: { type: ['string', 'null'], format: 'date-time' },
      },
    });
    assert.deepEqual(Object.keys(shape.schema.properties!), ['ID', 'CONTACT_IDS', 'SYNCED_AT']);
    const record = shape.normalize({
      ID: '7',
      CONTACT_IDS: ['55', 56],
      SYNCED_AT: '2024-01-01T03:00:00+03:00',
    });
    assert.deepEqual(record, { ID: 7, CONTACT_IDS: [55, 56], SYNCED_AT: '2024-01-01T00:00:00Z' });
    assert.deepEqual(validatorFor(shape.schema).problems(record), []);
  });

  it('portalOffset must be an offset', () => {
    assert.throws(() => recordShape(FIELDS, { portalOffset: 'Europe/Berlin' }), RecordShapeOptionError);
    const shape = recordShape(FIELDS, { portalOffset: '+02:00' });
    assert.equal(shape.normalize({ DATE_MODIFY: '2024-08-29 10:30:11' }).DATE_MODIFY, '2024-08-29T08:30:11Z');
  });

  it('validatorFor compiles once per schema object', () => {
    const { schema } = recordShape(FIELDS);
    assert.equal(validatorFor(schema), validatorFor(schema));
    assert.notEqual(validatorFor(schema), validatorFor(recordShape(FIELDS).schema));
  });
});

describe('compiled normalize (straight-line code per shape)', () => {
  const raw = () => ({
    DATE_MODIFY: '2024-05-01T10:00:00+03:00',
    ID: '7',
    OPENED: 'Y',
    EXTRA: 'kept',
    CONTACT_IDS: ['1', '2'],
    OPPORTUNITY: '10.50',
  });
  const expected = {
    DATE_MODIFY: '2024-05-01T07:00:00Z',
    ID: 7,
    OPENED: true,
    EXTRA: 'kept',
    CONTACT_IDS: [1, 2],
    OPPORTUNITY: 10.5,
  };

  it('gives what the generic loop gives, key order included, and leaves the input alone', () => {
    const input = raw();
    const record = recordShape(FIELDS).normalize(input);
    assert.deepEqual(record, expected);
    assert.deepEqual(Object.keys(record), Object.keys(input));
    assert.deepEqual(input, raw());
    // A field named like an Object.prototype property takes the generic loop; same conversions.
    const generic = recordShape({ ...FIELDS, constructor: { type: 'integer' } });
    assert.deepEqual(generic.normalize({ ...raw(), constructor: '5' }), { ...expected, constructor: 5 });
    assert.deepEqual(generic.normalize(raw()), expected, 'an absent prototype-named field stays absent');
  });

  it('handles rows of another layout and field names that are not identifiers', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a name that generated code must quote, not interpolate
    const odd = 'UF_CRM_"quoted"\\n+`${x}`';
    const shape = recordShape({ ...FIELDS, [odd]: { type: 'integer', isDynamic: true } });
    assert.deepEqual(shape.normalize({ OPENED: 'N', [odd]: '3' }), { OPENED: false, [odd]: 3 });
    assert.deepEqual(shape.normalize({ ...raw(), [odd]: '4' }), { ...expected, [odd]: 4 });
    assert.deepEqual(shape.normalize({}), {});
  });
});
