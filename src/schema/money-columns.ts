/**
 * Money user fields (`type: money`, values like `"100.50|RUB"`) as two plain properties beside
 * the `{amount, currency}` object: `<CODE>_AMOUNT` (number) and `<CODE>_CURRENCY` (text), so a
 * table has a numeric column an analyst can sum. Derived when a record is normalised, so every
 * destination gets them; the object property stays as it was (lossless). Multiple money fields
 * stay arrays only: one row cannot hold several amounts in one column.
 */
import type { Money } from './composite-values.js';
import type { FieldMap, JsonSchema } from './types.js';

export interface MoneySplit {
  code: string;
  amount: string;
  currency: string;
}

/** The money fields of `fields` split into two properties, where neither name is taken. */
export function moneySplits(fields: FieldMap, kept: (code: string) => boolean): MoneySplit[] {
  const splits: MoneySplit[] = [];
  for (const [code, field] of Object.entries(fields)) {
    if (field.type !== 'money' || field.isMultiple || !kept(code)) continue;
    const split = { code, amount: `${code}_AMOUNT`, currency: `${code}_CURRENCY` };
    if (split.amount in fields || split.currency in fields) continue;
    splits.push(split);
  }
  return splits;
}

/** The schemas of a split's two properties, titled after the money field. */
export function moneySplitSchemas(split: MoneySplit, title: string | undefined): Record<string, JsonSchema> {
  const label = title ?? split.code;
  return {
    [split.amount]: {
      type: ['number', 'null'],
      title: `${label} (amount)`,
      description: `Amount of money field ${split.code}`,
    },
    [split.currency]: {
      type: ['string', 'null'],
      title: `${label} (currency)`,
      description: `Currency of money field ${split.code}`,
    },
  };
}

function isMoney(value: unknown): value is Money {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'amount' in value;
}

/** The amount of a normalised money value; null for anything else. */
export function amountOf(value: unknown): Money['amount'] {
  // A value that did not fit (kept as it came) has no amount to show.
  return isMoney(value) ? value.amount : null;
}

/** The currency of a normalised money value; null for anything else. */
export function currencyOf(value: unknown): Money['currency'] {
  return isMoney(value) ? value.currency : null;
}

/** Sets the split properties of a normalised record from its money object (null when absent). */
export function addMoneySplits(record: Record<string, unknown>, splits: readonly MoneySplit[]): void {
  for (const split of splits) {
    if (!Object.hasOwn(record, split.code)) continue;
    record[split.amount] = amountOf(record[split.code]);
    record[split.currency] = currencyOf(record[split.code]);
  }
}
