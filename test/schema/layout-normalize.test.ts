/**
 * Rows normalised by layout (one object literal per key layout) come out exactly as the spread
 * copy with converted values and money splits would: same keys in the same order, same values,
 * same mismatch counts, whatever the layouts of the rows and in whatever order they come.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type FieldMap, recordShape } from '../../src/schema/index.js';
import { byLayout, compileLayout } from '../../src/schema/layout-normalize.js';
import { addMoneySplits, amountOf, currencyOf, moneySplits } from '../../src/schema/money-columns.js';

const FIELDS: FieldMap = {
  ID: { type: 'integer' },
  TITLE: { type: 'string' },
  COMPANY_ID: { type: 'crm_company' },
  OPPORTUNITY: { type: 'double' },
  UF_CRM_BUDGET: { type: 'money' },
  UF_CRM_FEE: { type: 'money' },
};

/** Entries in order, so key order is compared too. */
const entries = (record: Record<string, unknown>) => Object.entries(record);

describe('normalize by layout', () => {
  it('builds the finished record: converted values, undeclared keys kept in place, splits after', () => {
    const shape = recordShape(FIELDS);
    const rows = JSON.parse(
      JSON.stringify([
        { ID: '1', TITLE: '', EXTRA: 'x', UF_CRM_BUDGET: '100.50|RUB', COMPANY_ID: '0', UF_CRM_FEE: '' },
        { ID: '2', TITLE: 'B', EXTRA: 'y', UF_CRM_BUDGET: 'lots|USD', COMPANY_ID: '7', UF_CRM_FEE: '5|EUR' },
      ]),
    ) as Record<string, unknown>[];
    const [first, second] = rows.map((row) => shape.normalize(row));
    assert.deepEqual(entries(first), [
      ['ID', 1],
      ['TITLE', null],
      ['EXTRA', 'x'],
      ['UF_CRM_BUDGET', { amount: 100.5, currency: 'RUB' }],
      ['COMPANY_ID', null],
      ['UF_CRM_FEE', null],
      ['UF_CRM_BUDGET_AMOUNT', 100.5],
      ['UF_CRM_BUDGET_CURRENCY', 'RUB'],
      ['UF_CRM_FEE_AMOUNT', null],
      ['UF_CRM_FEE_CURRENCY', null],
    ]);
    assert.deepEqual(second.UF_CRM_BUDGET, 'lots|USD', 'a misfit is kept as it came');
    assert.equal(second.UF_CRM_BUDGET_AMOUNT, null);
    assert.deepEqual(second.UF_CRM_FEE, { amount: 5, currency: 'EUR' });
    assert.equal(second.UF_CRM_FEE_CURRENCY, 'EUR');
    assert.deepEqual(Object.fromEntries(shape.mismatches), { UF_CRM_BUDGET: 1 });
  });

  it('gives what the spread copy gives, for rows of many layouts in any order', () => {
    const codes = Object.keys(FIELDS);
    const splits = moneySplits(FIELDS, () => true);
    const convert = (_i: number, raw: unknown) =>
      typeof raw === 'string' && raw.includes('|') ? { amount: 1, currency: raw } : `c:${String(raw)}`;
    const indexOf = new Map(codes.map((code, i) => [code, i]));
    const spread = (row: Record<string, unknown>) => {
      const out: Record<string, unknown> = { ...row };
      for (const code of codes) if (out[code] !== undefined) out[code] = convert(0, out[code]);
      addMoneySplits(out, splits);
      return out;
    };
    let compiledLayouts = 0;
    const normalize = byLayout((layout) => {
      compiledLayouts++;
      return compileLayout(layout, indexOf, splits, { convert, amountOf, currencyOf });
    }, spread);
    // Every subset of the keys plus an undeclared one, in two orders, each seen several times.
    const keys = [...codes, 'UF_CRM_BUDGET_AMOUNT', 'OTHER'];
    const rows: Record<string, unknown>[] = [];
    for (let mask = 1; mask < 2 ** keys.length; mask += 7) {
      const chosen = keys.filter((_, k) => mask & (2 ** k));
      for (const order of [chosen, [...chosen].reverse()])
        for (let n = 0; n < 3; n++) rows.push(Object.fromEntries(order.map((key) => [key, `${key}|${n}`])));
    }
    for (const row of [...rows, ...rows.reverse()])
      assert.deepEqual(entries(normalize(row)), entries(spread(row)));
    assert.equal(compiledLayouts, 16, 'layouts past the cap take the spread path');
  });

  it('leaves a `__proto__` key an own property, on the spread path', () => {
    const shape = recordShape(FIELDS);
    const row = JSON.parse('{"ID":"3","__proto__":{"polluted":true},"UF_CRM_BUDGET":"1|RUB"}');
    const record = shape.normalize(row);
    assert.equal(Object.getPrototypeOf(record), Object.prototype);
    assert.deepEqual(Object.keys(record), [
      'ID',
      '__proto__',
      'UF_CRM_BUDGET',
      'UF_CRM_BUDGET_AMOUNT',
      'UF_CRM_BUDGET_CURRENCY',
    ]);
    assert.equal((record as { polluted?: boolean }).polluted, undefined);
  });
});
