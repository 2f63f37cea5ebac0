/**
 * Records become staged columns (record-values.ts `stagedPage`): through code compiled for the
 * column list, or, for a column named like an Object.prototype property, the generic loop; both
 * give the same values and count the values that do not fit.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ColumnKind } from '../../src/destinations/columns.js';
import { stagedPage } from '../../src/destinations/record-values.js';

// biome-ignore lint/suspicious/noTemplateCurlyInString: a name that generated code must quote, not interpolate
const odd = 'UF_CRM_"quoted"\\n+`${x}`';
const columns: [string, ColumnKind][] = [
  ['ID', 'bigint'],
  ['OPENED', 'boolean'],
  ['DATE_MODIFY', 'timestamptz'],
  ['PHONE', 'json'],
  [odd, 'text'],
];
const records = [
  { ID: 1, OPENED: true, DATE_MODIFY: '2024-05-01T07:00:00Z', PHONE: [{ VALUE: '+1' }], [odd]: 'a' },
  { ID: '2', OPENED: 'maybe', DATE_MODIFY: 'yesterday', PHONE: [], EXTRA: 'x' },
  { OPENED: null, DATE_MODIFY: '', [odd]: 5 },
];
const expected = [
  [1, 2, null],
  [true, null, null],
  [Date.UTC(2024, 4, 1, 7), null, null],
  ['[{"VALUE":"+1"}]', '[]', null],
  ['a', null, '5'],
];

describe('stagedPage', () => {
  it('converts every column and counts the present values that did not fit', () => {
    const invalid = new Map<string, number>();
    const page = stagedPage(records, columns, invalid);
    assert.equal(page.rowCount, 3);
    assert.deepEqual(page.columns, expected);
    // "maybe" and "yesterday" do not fit; an empty date is Bitrix's "no value", not a misfit.
    assert.deepEqual(Object.fromEntries(invalid), { OPENED: 1, DATE_MODIFY: 1 });
    // The compiled reader is kept per column list: a second page counts on.
    stagedPage(records, columns, invalid);
    assert.deepEqual(Object.fromEntries(invalid), { OPENED: 2, DATE_MODIFY: 2 });
  });

  it('a column named like an Object.prototype property gives the same values', () => {
    const withConstructor: [string, ColumnKind][] = [...columns, ['constructor', 'bigint']];
    const invalid = new Map<string, number>();
    const page = stagedPage(
      records.map((record, i) => ({ ...record, constructor: i === 0 ? '9' : undefined })),
      withConstructor,
      invalid,
    );
    assert.deepEqual(page.columns, [...expected, [9, null, null]]);
    assert.deepEqual(Object.fromEntries(invalid), { OPENED: 1, DATE_MODIFY: 1 });
  });
});
