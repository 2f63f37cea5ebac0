/** Property tests: random rows never throw, normalising is idempotent, fitting rows are valid. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { type FieldMap, recordShape, toDate, toDateTime, validatorFor } from '../../src/schema/index.js';

const TYPES = [
  'integer',
  'int',
  'double',
  'string',
  'text',
  'char',
  'boolean',
  'date',
  'datetime',
  'object',
  'file',
  'diskfile',
  'attached_diskfile',
  'product_file',
  'user',
  'location',
  'crm_status',
  'crm_status_extra',
  'crm_currency',
  'crm_company',
  'crm_contact',
  'crm_lead',
  'crm_deal',
  'crm_quote',
  'crm_category',
  'crm_entity',
  'crm_multifield',
  'crm_enum_ownertype',
  'crm_activity_binding',
  'crm_activity_communication',
  'crm_dynamic_type',
  'recurring_params',
  'uf_enum_element',
  'enumeration',
  'money',
  'url',
  'address',
  'employee',
  'iblock_section',
  'iblock_element',
  'crm',
  'rest_1_x',
  'never_seen_before',
];

/** Every type, single and multiple. */
const FIELDS: FieldMap = Object.fromEntries(
  TYPES.flatMap((type) => [
    [`ONE_${type}`, { type }],
    [`MANY_${type}`, { type, isMultiple: true }],
  ]),
);
const CODES = Object.keys(FIELDS);

/** Values shaped like what Bitrix sends, mixed with arbitrary JSON. */
const bitrixish = fc.oneof(
  fc.constantFrom(
    'Y',
    'N',
    '',
    '0',
    '1',
    '12',
    '-3',
    '19999.99',
    '300|RUB',
    '|EUR',
    'C_12',
    'a|1.5;2|3',
    ';',
    'x|;|',
  ),
  fc.constantFrom(
    '2024-08-30T02:00:00+02:00',
    '24.08.2023 13:19:39',
    '2024-08-29 10:30:11',
    '2024-12-26',
    '0000-00-00',
  ),
  fc.constantFrom(null, true, false, 0, 1, 2.5, {}, [], { id: '5', showUrl: '/s' }),
  fc.record({
    ID: fc.constantFrom('1', 2, 'x'),
    VALUE_TYPE: fc.string(),
    VALUE: fc.string(),
    TYPE_ID: fc.constant('PHONE'),
  }),
  fc.record({ id: fc.integer(), valueType: fc.string(), value: fc.string(), typeId: fc.constant('EMAIL') }),
  fc.record({
    amount: fc.double({ noNaN: true, noDefaultInfinity: true }),
    currency: fc.constantFrom('USD', null),
  }),
  fc.jsonValue({ maxDepth: 2 }),
  fc.string(),
);
const anyValue = fc.oneof(
  bitrixish,
  fc.array(bitrixish, { maxLength: 4 }),
  fc.dictionary(fc.constantFrom('1', '2', '10'), bitrixish),
);
const row = fc.dictionary(fc.oneof(fc.constantFrom(...CODES), fc.string({ maxLength: 6 })), anyValue, {
  maxKeys: 12,
});

describe('normalize, on random rows', () => {
  it('never throws, is idempotent, and rows without mismatches are valid', () => {
    const validate = validatorFor(recordShape(FIELDS).schema);
    let validChecked = 0;
    fc.assert(
      fc.property(row, (raw) => {
        const shape = recordShape(FIELDS);
        const once = shape.normalize(raw);
        const fitted = shape.mismatches.size === 0;
        const seen = new Map(shape.mismatches);
        const twice = shape.normalize(once);
        assert.deepEqual(twice, once);
        // The second pass finds exactly the values the first one kept.
        assert.deepEqual(
          [...shape.mismatches].map(([k, n]) => [k, n - (seen.get(k) ?? 0)]),
          [...seen],
        );
        if (fitted && Object.keys(raw).some((k) => k in FIELDS)) {
          assert.deepEqual(validate.problems(once), [], JSON.stringify(raw));
          validChecked++;
        }
      }),
      // About 8 % of random rows fit every field; 4,000 runs give about 315 such rows
      // (spread about 18), so the floor below is six spreads away and never trips by chance.
      { numRuns: 4000 },
    );
    // The validity half must have been exercised, not only vacuously true.
    assert.ok(validChecked > 200, `rows checked for validity: ${validChecked}`);
  });
});

describe('instants and dates, on random times and offsets', () => {
  const offsets = fc.integer({ min: -12 * 60, max: 14 * 60 }).map((m) => m - (m % 15));
  const instants = fc.date({
    min: new Date('1970-01-02T00:00:00Z'),
    max: new Date('2200-01-01T00:00:00Z'),
    noInvalidDate: true,
  });
  const pad = (n: number) => String(Math.abs(n)).padStart(2, '0');
  /** How the portal writes an instant in its own offset: `2024-09-02T18:37:18+02:00`. */
  function portalText(at: Date, offset: number): string {
    const local = new Date(at.getTime() + offset * 60_000).toISOString().slice(0, 19);
    return `${local}${offset < 0 ? '-' : '+'}${pad(Math.trunc(offset / 60))}:${pad(offset % 60)}`;
  }

  it('a datetime written in any offset normalises to the same instant, in UTC', () => {
    fc.assert(
      fc.property(instants, offsets, (at, offset) => {
        const whole = new Date(Math.floor(at.getTime() / 1000) * 1000);
        const typed = String(toDateTime(portalText(whole, offset)));
        assert.match(typed, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
        assert.equal(Date.parse(typed), whole.getTime());
      }),
    );
  });

  it('a date field sent as local midnight keeps its local date in any offset', () => {
    fc.assert(
      fc.property(instants, offsets, (at, offset) => {
        const day = at.toISOString().slice(0, 10);
        const midnight = new Date(`${day}T00:00:00Z`);
        // Local midnight of `day` in `offset`, written the portal's way.
        const text = portalText(new Date(midnight.getTime() - offset * 60_000), offset);
        assert.equal(toDate(text), day);
      }),
    );
  });
});
