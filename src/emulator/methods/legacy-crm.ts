/** crm.{deal,contact,company,lead}.{list,fields,get,add,update,delete}. */
import type { Collection, Row } from '../portal/collection.js';
import { formatDateTime, parseDateTime } from '../portal/datetime.js';
import { stdDescriptor } from '../portal/descriptors/std-field.js';
import { ENTITY_CODE, type LegacyEntity, STD_FIELDS } from '../portal/generate-crm.js';
import type { Portal } from '../portal/portal.js';
import { userFieldDescriptor } from '../portal/user-fields.js';
import { SINGLE_CALL_SECONDS } from '../query/cost.js';
import type { CallContext, MethodDefinition, Params } from './contract.js';
import { legacyProjection, project } from './legacy-select.js';
import { listOutcome } from './list-method.js';
import {
  idParam,
  isObject,
  legacyError,
  legacyFilter,
  orderParam,
  param,
  selectParam,
  startParam,
} from './params.js';

const MULTIFIELDS = ['PHONE', 'EMAIL', 'WEB', 'IM', 'LINK'];

export function legacyFieldsResult(portal: Portal, entity: LegacyEntity): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of STD_FIELDS[entity]) out[f[0]] = stdDescriptor(f);
  for (const u of portal.userFields[entity]) out[u.name] = userFieldDescriptor(u, false);
  return out;
}

function hotOf(col: Collection, row: Row): Record<string, number> {
  const hot: Record<string, number> = {};
  for (const k of Object.keys(col.hot))
    hot[k] = col.timeColumns.has(k) ? parseDateTime(String(row[k] ?? '')) : Number(row[k] ?? Number.NaN);
  return hot;
}

/** Applies `fields` of an add/update to a row, in the legacy encoding. */
function applyFields(portal: Portal, entity: LegacyEntity, row: Row, fields: Record<string, unknown>): void {
  const known = new Map<string, string>();
  for (const f of STD_FIELDS[entity]) known.set(f[0], f[1]);
  for (const u of portal.userFields[entity]) known.set(u.name, u.type);
  for (const [rawKey, value] of Object.entries(fields)) {
    const key = rawKey.toUpperCase();
    const type = known.get(key);
    if (!type || key === 'ID' || key === 'DATE_CREATE' || key === 'DATE_MODIFY') continue;
    if (MULTIFIELDS.includes(key)) {
      const list = Array.isArray(value)
        ? value
        : isObject(value as never)
          ? Object.values(value as object)
          : [];
      row[key] = list.map((m, i) => {
        const v = m as Record<string, unknown>;
        return {
          ID: String((Date.now() % 1000000) + i),
          VALUE_TYPE: String(v.VALUE_TYPE ?? 'WORK'),
          VALUE: String(v.VALUE ?? ''),
          TYPE_ID: key,
        };
      });
    } else if (type === 'boolean') {
      row[key] = value === true || value === 'Y' || value === '1' || value === 1;
    } else if (type === 'datetime' || type === 'date') {
      const t = parseDateTime(String(value ?? ''));
      row[key] = Number.isNaN(t) ? null : formatDateTime(t);
    } else {
      row[key] =
        value === null || value === undefined
          ? null
          : Array.isArray(value)
            ? value.map(String)
            : String(value);
    }
  }
}

function fieldsParam(params: Params): Record<string, unknown> {
  const f = param(params, 'fields');
  if (!isObject(f)) throw legacyError('Could not find value for parameter {fields}');
  return f;
}

/** A new record before the caller's fields: every single field null, multiple ones empty. */
function blankRow(portal: Portal, entity: LegacyEntity): Row {
  const std = STD_FIELDS[entity];
  const row: Row = {};
  for (const f of std) if (!f[3].includes('m')) row[f[0]] = null;
  for (const m of MULTIFIELDS.slice(0, 4)) if (std.some((f) => f[0] === m)) row[m] = [];
  for (const u of portal.userFields[entity])
    row[u.name] = u.multiple ? [] : u.type === 'boolean' ? false : null;
  return row;
}

/**
 * Stamps the modification and stores the row. `atMs`: the instant an add stamped DATE_CREATE
 * with, so DATE_MODIFY equals it.
 */
function writeRow(col: Collection, id: number, row: Row, ctx: CallContext, atMs = ctx.now()): void {
  const now = formatDateTime(Math.floor(atMs / 1000) * 1000);
  row.DATE_MODIFY = now;
  row.MODIFY_BY_ID = String(ctx.userId);
  col.put(id, row, hotOf(col, row));
}

/** The creation stamps and the defaults the portal fills in when an add leaves them out. */
function stampCreated(entity: LegacyEntity, row: Row, ctx: CallContext, createdMs: number): void {
  row.DATE_CREATE = formatDateTime(Math.floor(createdMs / 1000) * 1000);
  row.CREATED_BY_ID = String(ctx.userId);
  row.ASSIGNED_BY_ID ??= String(ctx.userId);
  if (entity === 'deal') {
    row.CATEGORY_ID ??= '0';
    row.STAGE_ID ??= 'NEW';
    row.STAGE_SEMANTIC_ID = 'P';
  }
  if (entity === 'lead') row.STATUS_ID ??= 'NEW';
}

const scopes = ['crm'];

export function legacyCrmMethods(portal: Portal, entity: LegacyEntity): MethodDefinition[] {
  return [...legacyReadMethods(portal, entity), ...legacyWriteMethods(portal, entity)];
}

function legacyReadMethods(portal: Portal, entity: LegacyEntity): MethodDefinition[] {
  const col = portal.crm[entity];
  const std = STD_FIELDS[entity];
  const ufs = portal.userFields[entity];
  const base = `crm.${entity}`;
  return [
    {
      name: `${base}.list`,
      scopes,
      handle: (params) => {
        const projection = legacyProjection(selectParam(params), std, ufs);
        return listOutcome({
          col,
          filter: legacyFilter(params),
          order: orderParam(params, true),
          start: startParam(params),
          shape: (r) => project(r, projection),
        });
      },
    },
    {
      name: `${base}.fields`,
      scopes,
      handle: () => ({ result: legacyFieldsResult(portal, entity), cost: SINGLE_CALL_SECONDS }),
    },
    {
      name: `${base}.get`,
      scopes,
      handle: (params) => {
        const id = idParam(params);
        if (!id) throw legacyError('ID is not defined or invalid.');
        const row = col.row(id);
        if (!row) throw legacyError('Not found');
        const { PHONE, EMAIL, WEB, IM, ...rest } = row;
        // get returns multifields when the record has them, unlike list.
        const out: Row = { ...rest };
        for (const [k, v] of Object.entries({ PHONE, EMAIL, WEB, IM }))
          if (Array.isArray(v) && v.length) out[k] = v;
        return { result: out, cost: SINGLE_CALL_SECONDS };
      },
    },
  ];
}

function legacyWriteMethods(portal: Portal, entity: LegacyEntity): MethodDefinition[] {
  const col = portal.crm[entity];
  const base = `crm.${entity}`;
  return [
    {
      name: `${base}.add`,
      scopes,
      write: true,
      handle: (params, ctx) => {
        const fields = fieldsParam(params);
        const id = col.allocateId();
        const row: Row = { ...blankRow(portal, entity), ID: String(id) };
        applyFields(portal, entity, row, fields);
        // One clock reading for both stamps: on an accelerated clock two readings straddle seconds.
        const createdMs = ctx.now();
        stampCreated(entity, row, ctx, createdMs);
        writeRow(col, id, row, ctx, createdMs);
        return { result: id, cost: SINGLE_CALL_SECONDS * 2 };
      },
    },
    {
      name: `${base}.update`,
      scopes,
      write: true,
      handle: (params, ctx) => {
        const id = idParam(params);
        const row = col.row(id);
        if (!row) throw legacyError('Not found');
        const next = { ...row };
        applyFields(portal, entity, next, fieldsParam(params));
        writeRow(col, id, next, ctx);
        return { result: true, cost: SINGLE_CALL_SECONDS * 2 };
      },
    },
    {
      name: `${base}.delete`,
      scopes,
      write: true,
      handle: (params) => {
        if (!col.remove(idParam(params))) throw legacyError('Not found');
        return { result: true, cost: SINGLE_CALL_SECONDS * 2 };
      },
    },
  ];
}

export const LEGACY_ENTITIES = Object.keys(ENTITY_CODE) as LegacyEntity[];
