/** crm.item.{list,fields,get,add,update,delete} for smart processes: camelCase, JSON numbers, wrappers. */
import type { Row } from '../portal/collection.js';
import { formatDateTime, parseDateTime } from '../portal/datetime.js';
import { type FieldDescriptor, stdDescriptor } from '../portal/descriptors/std-field.js';
import { spaItemFields } from '../portal/descriptors/std-fields.js';
import type { SpaCollection } from '../portal/generate-spa.js';
import type { Portal } from '../portal/portal.js';
import { userFieldDescriptor } from '../portal/user-fields.js';
import { SINGLE_CALL_SECONDS } from '../query/cost.js';
import { type Condition, type FilterNode, type Group, parseFilter } from '../query/filter.js';
import { type CallContext, type MethodDefinition, MethodError, type Params } from './contract.js';
import { listOutcome } from './list-method.js';
import { filterParam, idParam, isObject, param, selectParam, startParam } from './params.js';

const invalid = (d: string) => new MethodError('INVALID_ARG_VALUE', d, 400);

function spaOf(portal: Portal, params: Params): SpaCollection {
  const id = Number(param(params, 'entityTypeId'));
  const spa = portal.spa.find((s) => s.type.entityTypeId === id);
  if (!spa) throw new MethodError('NOT_FOUND', 'Smart process not found', 400);
  return spa;
}

const originalNames = (params: Params) =>
  String(param(params, 'useOriginalUfNames') ?? 'N').toUpperCase() === 'Y';

export function itemFields(spa: SpaCollection, original: boolean): Record<string, FieldDescriptor> {
  const out: Record<string, FieldDescriptor> = {};
  const defaultCat = spa.type.funnels[0].id;
  for (const f of spaItemFields) {
    const d = stdDescriptor(f);
    if (d.statusType) d.statusType = `DYNAMIC_${spa.type.entityTypeId}_STAGE_${defaultCat}`;
    out[f[0]] = d;
  }
  for (const u of spa.userFields) out[original ? u.name : u.camelName] = userFieldDescriptor(u, true);
  return out;
}

/** Lower-case name (camel, upper std, original UF) → row key. */
function fieldResolver(spa: SpaCollection): Map<string, string> {
  const m = new Map<string, string>();
  for (const f of spaItemFields) {
    m.set(f[0].toLowerCase(), f[0]);
    const upper = f[4]?.upperName;
    if (typeof upper === 'string') m.set(upper.toLowerCase(), f[0]);
  }
  for (const u of spa.userFields) {
    m.set(u.camelName.toLowerCase(), u.camelName);
    m.set(u.name.toLowerCase(), u.camelName);
  }
  return m;
}

function resolveFilter(node: FilterNode, names: Map<string, string>): void {
  if (node.kind === 'group') for (const c of node.children) resolveFilter(c, names);
  else {
    const key = names.get((node as Condition).field.toLowerCase());
    if (!key) throw invalid(`Invalid filter: field '${node.field}' is not allowed in filter`);
    node.field = key;
  }
}

function renameUf(row: Row, spa: SpaCollection, original: boolean): Row {
  if (!original) return row;
  const out: Row = {};
  const byCamel = new Map(spa.userFields.map((u) => [u.camelName, u.name]));
  for (const [k, v] of Object.entries(row)) out[byCamel.get(k) ?? k] = v;
  return out;
}

function itemShape(select: string[], names: Map<string, string>): (row: Row) => Row {
  if (select.length === 0) return ({ fm: _fm, ...rest }) => rest;
  if (select.includes('*')) return (row) => row;
  const keys = new Set(['id']);
  for (const s of select) {
    const k = names.get(s.toLowerCase());
    if (k) keys.add(k);
  }
  return (row) => Object.fromEntries(Object.entries(row).filter(([k]) => keys.has(k)));
}

function applyItemFields(
  spa: SpaCollection,
  row: Row,
  fields: Record<string, unknown>,
  names: Map<string, string>,
): void {
  const types = new Map(spaItemFields.map((f) => [f[0], f[1]]));
  for (const u of spa.userFields) types.set(u.camelName, u.type);
  for (const [raw, value] of Object.entries(fields)) {
    const key = names.get(raw.toLowerCase());
    if (!key || key === 'id' || key === 'createdTime' || key === 'updatedTime') continue;
    const type = types.get(key);
    if (
      type === 'integer' ||
      type === 'double' ||
      type === 'user' ||
      type === 'crm_category' ||
      type === 'crm_company' ||
      type === 'crm_contact' ||
      type === 'crm_entity'
    ) {
      row[key] = Array.isArray(value)
        ? value.map(Number)
        : value === null || value === ''
          ? null
          : Number(value);
    } else if (type === 'datetime' || type === 'date') {
      const t = parseDateTime(String(value ?? ''));
      row[key] = Number.isNaN(t) ? null : formatDateTime(t);
    } else {
      row[key] = value;
    }
  }
}

/** Stamps the row as updated now by the caller and writes it, keeping the collection's hot columns. */
function storeItem(spa: SpaCollection, id: number, row: Row, ctx: CallContext): void {
  const now = Math.floor(ctx.now() / 1000) * 1000;
  row.updatedTime = formatDateTime(now);
  row.updatedBy = ctx.userId;
  spa.items.put(id, row, {
    createdTime: parseDateTime(String(row.createdTime)),
    updatedTime: now,
    categoryId: Number(row.categoryId),
    assignedById: Number(row.assignedById),
  });
}

function fieldsOf(params: Params): Record<string, unknown> {
  const f = param(params, 'fields');
  if (!isObject(f)) throw invalid("Could not find value for parameter 'fields'");
  return f;
}

/** A new item before the caller's fields: first funnel's first stage, owned by the caller, empty UFs. */
function newItemRow(spa: SpaCollection, id: number, ctx: CallContext): Row {
  const funnel = spa.type.funnels[0];
  const now = formatDateTime(Math.floor(ctx.now() / 1000) * 1000);
  const row: Row = {
    id,
    title: `${spa.type.title} #${id}`,
    createdBy: ctx.userId,
    createdTime: now,
    categoryId: funnel.id,
    stageId: funnel.stages[0].statusId,
    assignedById: ctx.userId,
    opportunity: 0,
    currencyId: 'RUB',
    observers: [],
    contactIds: [],
    entityTypeId: spa.type.entityTypeId,
    fm: [],
  };
  for (const u of spa.userFields) row[u.camelName] = u.multiple ? [] : null;
  return row;
}

const scopes = ['crm'];

export function crmItemMethods(portal: Portal): MethodDefinition[] {
  return [...itemReadMethods(portal), ...itemWriteMethods(portal)];
}

function itemReadMethods(portal: Portal): MethodDefinition[] {
  return [
    {
      name: 'crm.item.list',
      scopes,
      handle: (params) => {
        const spa = spaOf(portal, params);
        const names = fieldResolver(spa);
        const filter: Group = parseFilter(filterParam(params, invalid), true);
        resolveFilter(filter, names);
        const order = orderEntries(params, names);
        const shape = itemShape(selectParam(params), names);
        const original = originalNames(params);
        return listOutcome(
          {
            col: spa.items,
            filter,
            order,
            start: startParam(params),
            shape: (r) => renameUf(shape(r), spa, original),
          },
          (items) => ({ items }),
        );
      },
    },
    {
      name: 'crm.item.fields',
      scopes,
      handle: (params) => ({
        result: { fields: itemFields(spaOf(portal, params), originalNames(params)) },
        cost: SINGLE_CALL_SECONDS,
      }),
    },
    {
      name: 'crm.item.get',
      scopes,
      handle: (params) => {
        const spa = spaOf(portal, params);
        const row = spa.items.row(idParam(params));
        if (!row) throw new MethodError('NOT_FOUND', 'Element not found', 400);
        return { result: { item: renameUf(row, spa, originalNames(params)) }, cost: SINGLE_CALL_SECONDS };
      },
    },
  ];
}

function itemWriteMethods(portal: Portal): MethodDefinition[] {
  return [
    {
      name: 'crm.item.add',
      scopes,
      write: true,
      handle: (params, ctx) => {
        const spa = spaOf(portal, params);
        const id = spa.items.allocateId();
        const row = newItemRow(spa, id, ctx);
        applyItemFields(spa, row, fieldsOf(params), fieldResolver(spa));
        storeItem(spa, id, row, ctx);
        return { result: { item: spa.items.row(id) }, cost: SINGLE_CALL_SECONDS * 2 };
      },
    },
    {
      name: 'crm.item.update',
      scopes,
      write: true,
      handle: (params, ctx) => {
        const spa = spaOf(portal, params);
        const id = idParam(params);
        const row = spa.items.row(id);
        if (!row) throw new MethodError('NOT_FOUND', 'Element not found', 400);
        const next = { ...row };
        applyItemFields(spa, next, fieldsOf(params), fieldResolver(spa));
        storeItem(spa, id, next, ctx);
        return { result: { item: spa.items.row(id) }, cost: SINGLE_CALL_SECONDS * 2 };
      },
    },
    {
      name: 'crm.item.delete',
      scopes,
      write: true,
      handle: (params) => {
        const spa = spaOf(portal, params);
        if (!spa.items.remove(idParam(params))) throw new MethodError('NOT_FOUND', 'Element not found', 400);
        // The docs' example answers a delete with an empty result array.
        return { result: [], cost: SINGLE_CALL_SECONDS * 2 };
      },
    },
  ];
}

function orderEntries(params: Params, names: Map<string, string>): [string, boolean][] {
  const o = param(params, 'order');
  if (o === undefined || o === null || o === '' || (Array.isArray(o) && o.length === 0)) return [];
  if (!isObject(o)) throw invalid("Invalid order: parameter 'order' must be an object");
  return Object.entries(o).map(([k, v]) => {
    const key = names.get(k.toLowerCase());
    if (!key) throw invalid(`Invalid order: field '${k}' is not allowed in order`);
    const dir = String(v).toUpperCase();
    if (dir !== 'ASC' && dir !== 'DESC')
      throw invalid(`Invalid order: allowed sort directions are ASC, DESC. But got '${v}' for field '${k}'`);
    return [key, dir === 'DESC'];
  });
}
