/**
 * Deal product rows and the deal amounts they add up to. A deal with products carries their sum
 * as OPPORTUNITY and their tax as TAX_VALUE (IS_MANUAL_OPPORTUNITY N), as Bitrix24 computes them;
 * both are derived from the same per-row prices, so the deal and its rows always agree.
 */
import { Collection } from './collection.js';
import { formatDate } from './datetime.js';
import { hash32, RowRandom, streamCode } from './random.js';

const STREAM = streamCode('deal_products');

/** Which rows belong to which deal: rows of deal index i are [first[i], first[i + 1]). */
export interface DealProductPlan {
  owner: Float64Array;
  first: Uint32Array;
}

export function dealProductPlan(seed: number, deals: number): DealProductPlan {
  const first = new Uint32Array(deals + 1);
  for (let i = 0; i < deals; i++) first[i + 1] = first[i] + (hash32(seed, STREAM, i, 1) % 5);
  const owner = new Float64Array(first[deals]);
  for (let i = 0; i < deals; i++) owner.fill(i + 1, first[i], first[i + 1]);
  return { owner, first };
}

/** One row's prices per unit; TAX_INCLUDED is Y, so the entered (brutto) price holds the tax. */
export interface ProductRowPrice {
  productId: number;
  /** Before discount, with tax. */
  brutto: number;
  /** Before discount, without tax. */
  netto: number;
  /** After discount, with tax: what the customer pays per unit. */
  price: number;
  /** After discount, without tax. */
  exclusive: number;
  discountRate: number;
  discountSum: number;
  quantity: number;
  /** null: no tax applies (the official example's rows). */
  taxRate: number | null;
}

const round2 = (v: number) => Math.round(v * 100) / 100;

export function productRowPrice(seed: number, index: number, products: number): ProductRowPrice {
  const r = new RowRandom(seed, STREAM, index + 1);
  const productId = r.int(1, products);
  const brutto = r.int(100, 500000) / 100;
  const discountRate = r.pick([0, 0, 5, 10]);
  const quantity = r.int(1, 5);
  const taxRate = r.chance(0.5) ? null : r.pick([20, 20, 10]);
  const factor = 1 + (taxRate ?? 0) / 100;
  const price = round2(brutto * (1 - discountRate / 100));
  const netto = round2(brutto / factor);
  const exclusive = round2(price / factor);
  return {
    productId,
    brutto,
    netto,
    price,
    exclusive,
    discountRate,
    discountSum: round2(netto - exclusive),
    quantity,
    taxRate,
  };
}

/** OPPORTUNITY and TAX_VALUE of a deal from its product rows; `rows` 0 when it has none. */
export function dealProductTotals(
  seed: number,
  plan: DealProductPlan,
  dealIndex: number,
  products: number,
): { rows: number; amount: number; tax: number } {
  let amount = 0;
  let tax = 0;
  const lo = plan.first[dealIndex];
  const hi = plan.first[dealIndex + 1];
  for (let k = lo; k < hi; k++) {
    const p = productRowPrice(seed, k, products);
    amount += p.price * p.quantity;
    tax += (p.price - p.exclusive) * p.quantity;
  }
  return { rows: hi - lo, amount: round2(amount), tax: round2(tax) };
}

/** Deal product rows in crm.deal.productrows.get's mixed encoding (ID strings, amounts numbers). */
export function buildDealProductRows(
  seed: number,
  plan: DealProductPlan,
  dealCreated: Float64Array,
  products: number,
  productName: (id: number) => string,
): Collection {
  const { owner } = plan;
  return new Collection({
    name: 'deal_products',
    idField: 'ID',
    size: owner.length,
    hot: { OWNER_ID: owner },
    sortedBy: 'OWNER_ID',
    generate: (i) => {
      const p = productRowPrice(seed, i, products);
      return {
        ID: String(i + 1),
        OWNER_ID: String(owner[i]),
        OWNER_TYPE: 'D',
        PRODUCT_ID: p.productId,
        PRODUCT_NAME: productName(p.productId),
        ORIGINAL_PRODUCT_NAME: productName(p.productId),
        PRODUCT_DESCRIPTION: null,
        PRICE: p.price,
        PRICE_EXCLUSIVE: p.exclusive,
        PRICE_NETTO: p.netto,
        PRICE_BRUTTO: p.brutto,
        PRICE_ACCOUNT: p.price.toFixed(2),
        QUANTITY: p.quantity,
        DISCOUNT_TYPE_ID: 2,
        DISCOUNT_RATE: p.discountRate,
        DISCOUNT_SUM: p.discountSum,
        TAX_RATE: p.taxRate,
        TAX_INCLUDED: 'Y',
        CUSTOMIZED: 'Y',
        MEASURE_CODE: 796,
        MEASURE_NAME: 'pcs',
        SORT: 10,
        XML_ID: `sale_basket_${i + 1}`,
        TYPE: 1,
        STORE_ID: 0,
        RESERVE_ID: null,
        DATE_RESERVE_END: formatDate(dealCreated[owner[i] - 1] + 30 * 86400000),
        RESERVE_QUANTITY: 0,
      };
    },
  });
}
