/** Per-record children: stage history, timeline comments, product rows, deal contacts. */
import type { Collection, Row } from '../portal/collection.js';
import { stdDescriptor } from '../portal/descriptors/std-field.js';
import { productRowFields, timelineCommentFields } from '../portal/descriptors/std-fields.js';
import type { Portal } from '../portal/portal.js';
import { hash32 } from '../portal/random.js';
import { SINGLE_CALL_SECONDS } from '../query/cost.js';
import type { Group } from '../query/filter.js';
import { runList } from '../query/list.js';
import { type MethodDefinition, MethodError, type Params } from './contract.js';
import { listOutcome } from './list-method.js';
import {
  filterParam,
  idParam,
  legacyError,
  legacyFilter,
  orderParam,
  param,
  selectParam,
  startParam,
  upperFilter,
} from './params.js';

/** All children of one owner, in id order (owner-sorted collections find them by binary search). */
function childrenOf(col: Collection, ownerField: string, ownerId: number): Row[] {
  const filter: Group = {
    kind: 'group',
    logic: 'AND',
    children: [{ kind: 'cond', field: ownerField, op: 'eq', value: ownerId }],
  };
  const page = runList(col, { filter, order: [], start: -1, pageSize: 100000 });
  return page.ids.map((id) => col.row(id)).filter((r): r is Row => r !== undefined);
}

function pick(select: string[]): (row: Row) => Row {
  if (select.length === 0 || select.includes('*')) return (r) => r;
  const keys = new Set(select.map((s) => s.toUpperCase()));
  return (r) => Object.fromEntries(Object.entries(r).filter(([k]) => keys.has(k)));
}

const PRODUCT_ROW_KEYS: [string, string][] = [
  ['id', 'ID'],
  ['ownerId', 'OWNER_ID'],
  ['ownerType', 'OWNER_TYPE'],
  ['productId', 'PRODUCT_ID'],
  ['productName', 'PRODUCT_NAME'],
  ['price', 'PRICE'],
  ['priceAccount', 'PRICE_ACCOUNT'],
  ['priceExclusive', 'PRICE_EXCLUSIVE'],
  ['priceNetto', 'PRICE_NETTO'],
  ['priceBrutto', 'PRICE_BRUTTO'],
  ['quantity', 'QUANTITY'],
  ['discountTypeId', 'DISCOUNT_TYPE_ID'],
  ['discountRate', 'DISCOUNT_RATE'],
  ['discountSum', 'DISCOUNT_SUM'],
  ['taxRate', 'TAX_RATE'],
  ['taxIncluded', 'TAX_INCLUDED'],
  ['customized', 'CUSTOMIZED'],
  ['measureCode', 'MEASURE_CODE'],
  ['measureName', 'MEASURE_NAME'],
  ['sort', 'SORT'],
  ['xmlId', 'XML_ID'],
  ['type', 'TYPE'],
  ['storeId', 'STORE_ID'],
];
const NUMERIC_ROW_KEYS = new Set(['id', 'ownerId', 'priceAccount']);

/** crm.item.productrow.list encoding: camelCase keys, JSON numbers throughout. */
function modernProductRow(r: Row): Row {
  const out: Row = {};
  for (const [camel, upper] of PRODUCT_ROW_KEYS)
    out[camel] = NUMERIC_ROW_KEYS.has(camel) ? Number(r[upper]) : r[upper];
  return out;
}

/** crm.item.productrow.list's owner filter; only deals (ownerType D) have product rows here. */
function productRowFilter(params: Params): Group {
  const raw = filterParam(params, (d) => new MethodError('INVALID_ARG_VALUE', d, 400));
  const get = (k: string) => Object.entries(raw).find(([key]) => key.toLowerCase() === k.toLowerCase())?.[1];
  const ownerType = get('=ownerType') ?? get('ownerType');
  // Our assumption: besides the documented `=ownerId`, an `@ownerId` array selects several owners at once.
  const ownerIds = get('=ownerId') ?? get('ownerId') ?? get('@ownerId');
  if (ownerType === undefined || ownerIds === undefined)
    throw new MethodError('INVALID_ARG_VALUE', 'Filter must contain =ownerType and =ownerId', 400);
  const ids = (Array.isArray(ownerIds) ? ownerIds : [ownerIds]).map(Number);
  const filter: Group = {
    kind: 'group',
    logic: 'AND',
    children: [
      {
        kind: 'cond',
        field: 'OWNER_ID',
        op: ids.length === 1 ? 'eq' : 'in',
        value: ids.length === 1 ? ids[0] : ids,
      },
    ],
  };
  if (String(ownerType) !== 'D') filter.children.push({ kind: 'cond', field: 'ID', op: 'lt', value: 0 });
  return filter;
}

export function crmChildMethods(portal: Portal): MethodDefinition[] {
  return [
    ...stageHistoryMethods(portal),
    ...timelineCommentMethods(portal),
    ...productRowMethods(portal),
    ...dealContactMethods(portal),
  ];
}

const scopes = ['crm'];

function stageHistoryMethods(portal: Portal): MethodDefinition[] {
  const historyOf = (params: Params): Collection => {
    const t = Number(param(params, 'entityTypeId'));
    const col = t === 1 ? portal.leadHistory : t === 2 ? portal.dealHistory : portal.spaHistory.get(t);
    if (!col) throw new MethodError(0, 'Entity type is not supported', 400);
    return col;
  };
  return [
    {
      name: 'crm.stagehistory.list',
      scopes,
      handle: (params) => {
        const col = historyOf(params);
        const invalid = (d: string) => new MethodError('INVALID_ARG_VALUE', d, 400);
        const filter = upperFilter(filterParam(params, invalid));
        return listOutcome(
          {
            col,
            filter,
            order: orderParam(params, true, invalid),
            start: startParam(params),
            shape: pick(selectParam(params)),
          },
          (items) => ({ items }),
        );
      },
    },
  ];
}

function timelineCommentMethods(portal: Portal): MethodDefinition[] {
  return [
    {
      name: 'crm.timeline.comment.list',
      scopes,
      handle: (params) => {
        const filter = legacyFilter(params);
        const fields = new Set(filter.children.map((c) => (c.kind === 'cond' ? c.field : '')));
        if (!fields.has('ENTITY_ID') || !fields.has('ENTITY_TYPE'))
          throw legacyError('ENTITY_ID and ENTITY_TYPE are required in filter.');
        const order = orderParam(params, true);
        for (const [f] of order)
          if (!['ID', 'CREATED', 'AUTHOR_ID'].includes(f))
            throw legacyError(`Sorting by field ${f} is not supported.`);
        return listOutcome({
          col: portal.dealComments,
          filter,
          order,
          start: startParam(params),
          shape: pick(selectParam(params)),
        });
      },
    },
    {
      name: 'crm.timeline.comment.fields',
      scopes,
      handle: () => ({
        result: Object.fromEntries(timelineCommentFields.map((f) => [f[0], stdDescriptor(f)])),
        cost: SINGLE_CALL_SECONDS,
      }),
    },
  ];
}

function productRowMethods(portal: Portal): MethodDefinition[] {
  return [
    {
      name: 'crm.deal.productrows.get',
      scopes,
      handle: (params) => {
        const id = idParam(params);
        if (!id) throw legacyError('The parameter id is invalid or not defined.');
        if (!portal.crm.deal.exists(id)) throw legacyError('Not found');
        return { result: childrenOf(portal.dealProducts, 'OWNER_ID', id), cost: SINGLE_CALL_SECONDS };
      },
    },
    {
      name: 'crm.item.productrow.fields',
      scopes,
      handle: () => ({
        result: { fields: Object.fromEntries(productRowFields.map((f) => [f[0], stdDescriptor(f)])) },
        cost: SINGLE_CALL_SECONDS,
      }),
    },
    {
      name: 'crm.item.productrow.list',
      scopes,
      handle: (params) =>
        listOutcome(
          {
            col: portal.dealProducts,
            filter: productRowFilter(params),
            order: [],
            start: startParam(params),
            shape: modernProductRow,
          },
          (productRows) => ({ productRows }),
        ),
    },
  ];
}

function dealContactMethods(portal: Portal): MethodDefinition[] {
  return [
    {
      name: 'crm.deal.contact.items.get',
      scopes,
      handle: (params) => {
        const id = idParam(params);
        if (!id) throw legacyError('The parameter ownerEntityID is invalid or not defined.');
        const deal = portal.crm.deal.row(id);
        if (!deal) throw legacyError('Not found.');
        const primary = Number(deal.CONTACT_ID ?? 0);
        if (!primary) return { result: [], cost: SINGLE_CALL_SECONDS };
        const extra = hash32(portal.seed, 77, id, 0) % 3;
        const contacts = [primary];
        for (let k = 1; k <= extra; k++) contacts.push(1 + ((primary + k * 7919) % portal.counts.contacts));
        const result = [...new Set(contacts)].map((c, i) => ({
          CONTACT_ID: c,
          SORT: (i + 1) * 10,
          ROLE_ID: 0,
          IS_PRIMARY: i === 0 ? 'Y' : 'N',
        }));
        return { result, cost: SINGLE_CALL_SECONDS };
      },
    },
  ];
}
