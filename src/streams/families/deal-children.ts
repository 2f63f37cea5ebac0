/**
 * What Bitrix serves one deal at a time: product rows, timeline comments, contact bindings.
 * All go through `callMany` (50 deals a request), never one request per deal.
 */
import type { JsonSchema } from '../../schema/index.js';
import { type FieldMap, fieldTable, type StreamDeclaration } from '../declaration.js';
import { DeclaredStream } from '../machinery/declared-stream.js';
import { alwaysKept, type StreamFamily } from '../machinery/family.js';
import type { ReadRange } from '../machinery/keyed-read.js';
import { type ParentScan, perParentSource, rowsPerParent } from '../machinery/per-parent-source.js';
import { RecordTyper } from '../machinery/typed-records.js';
import type { ReadContext, StreamOptions } from '../stream.js';

/** Deals of the configured funnels only (`deal_category_ids`). */
export function dealFunnelFilter(options: StreamOptions): Record<string, unknown> {
  return options.deal_category_ids.length > 0 ? { '@CATEGORY_ID': options.deal_category_ids } : {};
}

const DEALS: ParentScan = { method: 'crm.deal.list', filter: (ctx) => dealFunnelFilter(ctx.options) };

const PRODUCT_ROW_FIELDS: FieldMap = fieldTable({
  ID: ['integer', 'ID', 'R'],
  OWNER_ID: ['crm_deal', 'Deal'],
  OWNER_TYPE: ['string', 'Owner type (D)'],
  PRODUCT_ID: ['integer', 'Product'],
  PRODUCT_NAME: ['string', 'Product name'],
  ORIGINAL_PRODUCT_NAME: ['string', 'Original product name'],
  PRODUCT_DESCRIPTION: ['string', 'Description'],
  PRICE: ['double', 'Price'],
  PRICE_EXCLUSIVE: ['double', 'Price without tax, with discount'],
  PRICE_NETTO: ['double', 'Price without discount and tax'],
  PRICE_BRUTTO: ['double', 'Price with tax, without discount'],
  PRICE_ACCOUNT: ['double', 'Price in account currency'],
  QUANTITY: ['double', 'Quantity'],
  DISCOUNT_TYPE_ID: ['integer', 'Discount type (1 amount, 2 percent)'],
  DISCOUNT_RATE: ['double', 'Discount rate'],
  DISCOUNT_SUM: ['double', 'Discount sum'],
  TAX_RATE: ['double', 'Tax rate'],
  TAX_INCLUDED: ['char', 'Tax included'],
  CUSTOMIZED: ['char', 'Customized'],
  MEASURE_CODE: ['integer', 'Measure code'],
  MEASURE_NAME: ['string', 'Measure'],
  SORT: ['integer', 'Sort'],
  XML_ID: ['string', 'External ID'],
  TYPE: ['integer', 'Product type'],
  STORE_ID: ['integer', 'Store'],
  RESERVE_ID: ['integer', 'Reserve'],
  DATE_RESERVE_END: ['date', 'Reserve end'],
  RESERVE_QUANTITY: ['double', 'Reserved quantity'],
});

const COMMENT_FIELDS: FieldMap = fieldTable({
  ID: ['integer', 'ID', 'R'],
  CREATED: ['datetime', 'Created'],
  ENTITY_ID: ['crm_deal', 'Deal'],
  ENTITY_TYPE: ['string', 'Entity type (deal)'],
  AUTHOR_ID: ['user', 'Author'],
  COMMENT: ['text', 'Comment'],
  FILES: ['attached_diskfile', 'Attachments', 'm'],
});

export const dealProductsDeclaration: StreamDeclaration = {
  name: 'deal_products',
  group: 'crm',
  description: 'Product rows of every deal (crm.deal.productrows.get per deal, 50 deals a batch).',
  method: 'crm.deal.productrows.get',
  keyProperties: ['ID'],
  validReplicationKeys: [],
  forcedReplicationMethod: 'FULL_TABLE',
  scopes: ['crm'],
  parent: 'deals',
  relations: [
    { to: 'deals', via: 'OWNER_ID', reach: 'one' },
    { to: 'product', via: 'PRODUCT_ID', reach: 'zero_or_one' },
  ],
  enabledBy: 'enable_deal_products',
  mainFields: [
    'ID',
    'OWNER_ID',
    'PRODUCT_ID',
    'PRODUCT_NAME',
    'PRICE',
    'QUANTITY',
    'DISCOUNT_SUM',
    'TAX_RATE',
  ],
};

export const dealProducts: StreamFamily = {
  declaration: dealProductsDeclaration,
  async discover() {
    const typer = new RecordTyper('deal_products', PRODUCT_ROW_FIELDS, ['ID']);
    const source = perParentSource({
      parents: DEALS,
      call: (id) => ({ method: 'crm.deal.productrows.get', params: { id } }),
      rows: (result) => (Array.isArray(result) ? (result as Record<string, unknown>[]) : []),
    });
    return new DeclaredStream(dealProductsDeclaration, typer, source);
  },
};

export const dealCommentsDeclaration: StreamDeclaration = {
  name: 'deal_comments',
  group: 'crm',
  description: 'Timeline comments of every deal (crm.timeline.comment.list per deal, 50 deals a batch).',
  method: 'crm.timeline.comment.list',
  keyProperties: ['ID'],
  replicationKey: 'CREATED',
  validReplicationKeys: ['CREATED'],
  scopes: ['crm'],
  parent: 'deals',
  relations: [
    { to: 'deals', via: 'ENTITY_ID', reach: 'one' },
    { to: 'users', via: 'AUTHOR_ID', reach: 'one' },
  ],
  enabledBy: 'enable_deal_comments',
  mainFields: ['ID', 'ENTITY_ID', 'CREATED', 'AUTHOR_ID', 'COMMENT', 'FILES'],
  note: 'Every run walks all deals (an ID-only scan, 2,500 deals a request) because a new comment does not change the deal; only comments created inside the window are fetched.',
};

export const dealComments: StreamFamily = {
  declaration: dealCommentsDeclaration,
  async discover() {
    const typer = new RecordTyper('deal_comments', COMMENT_FIELDS, alwaysKept(dealCommentsDeclaration));
    const source = perParentSource({
      parents: DEALS,
      // In ID order, so a page with more after it continues by keyset after its last ID. The
      // first page is counted (no `start: -1`): its `next` is what says more rows follow, since a
      // page may come back short mid-list when the portal hides rows after the LIMIT.
      call: (id, range) => ({
        method: 'crm.timeline.comment.list',
        params: { filter: commentFilter(id, range), order: { ID: 'ASC' } },
      }),
      rows: (result) => (Array.isArray(result) ? (result as Record<string, unknown>[]) : []),
      pageSize: 50,
      idField: 'ID',
    });
    return new DeclaredStream(dealCommentsDeclaration, typer, source);
  },
};

function commentFilter(dealId: number, range: ReadRange): Record<string, unknown> {
  const filter: Record<string, unknown> = { ENTITY_ID: dealId, ENTITY_TYPE: 'deal' };
  if (range.lowerBound) filter[`>=${range.lowerBound.field}`] = range.lowerBound.value;
  return filter;
}

/** `extract_deal_contacts`: CONTACT_IDS on each deal, from crm.deal.contact.items.get. */
export const dealContactIds = {
  enabled: (options: StreamOptions) => options.extract_deal_contacts,
  schema: {
    CONTACT_IDS: {
      type: ['array', 'null'],
      items: { type: ['integer', 'null'] },
      title: 'Contacts',
      description: 'IDs of the contacts bound to the deal (crm.deal.contact.items.get), primary first.',
    },
  } satisfies Record<string, JsonSchema>,
  async add(rows: Record<string, unknown>[], ctx: ReadContext): Promise<void> {
    const ids = rows.map((row) => Number(row.ID));
    const bindings = await rowsPerParent(
      {
        call: (id) => ({ method: 'crm.deal.contact.items.get', params: { id } }),
        rows: (result) => (Array.isArray(result) ? (result as Record<string, unknown>[]) : []),
      },
      ids,
      { keysOnly: false },
      ctx,
    );
    rows.forEach((row, i) => {
      const sorted = [...bindings[i]].sort(
        (a, b) => primaryFirst(a) - primaryFirst(b) || Number(a.SORT) - Number(b.SORT),
      );
      row.CONTACT_IDS = sorted.map((binding) => Number(binding.CONTACT_ID));
    });
  },
};

function primaryFirst(binding: Record<string, unknown>): number {
  return binding.IS_PRIMARY === 'Y' || binding.IS_PRIMARY === true ? 0 : 1;
}
