/** user.*, profile, department.*, voximplant.statistic.get. */
import { arrayCollection, type Row } from '../portal/collection.js';
import {
  DEPARTMENT_FIELD_TITLES,
  USER_BASIC_EXTRA,
  USER_BRIEF_FIELDS,
  USER_FIELD_TITLES,
} from '../portal/descriptors/extra-fields.js';
import type { Portal } from '../portal/portal.js';
import { SINGLE_CALL_SECONDS } from '../query/cost.js';
import type { CallContext, MethodDefinition, Params } from './contract.js';
import { listOutcome } from './list-method.js';
import { isObject, type ParamObject, param, selectParam, startParam, upperFilter } from './params.js';

/** Which user fields the credential may see (api-reference/user/user-scope.md). */
function visibleUserFields(ctx: CallContext): (field: string) => boolean {
  if (ctx.scopes.has('user')) return () => true;
  if (ctx.scopes.has('user_basic')) return (f) => USER_BRIEF_FIELDS.has(f) || USER_BASIC_EXTRA.has(f);
  return (f) => USER_BRIEF_FIELDS.has(f);
}

/** A string `sort` field plus a string `order` direction (user.get, department.get, voximplant). */
function stringOrder(
  params: Params,
  sortName: string,
  orderName: string,
  fallback: string,
): [string, boolean][] {
  const sort = param(params, sortName);
  const field = typeof sort === 'string' && sort ? sort.toUpperCase() : fallback;
  const desc = String(param(params, orderName) ?? 'ASC').toUpperCase() === 'DESC';
  // ID ascending is the collection's own order, so it needs no sorting.
  return field === 'ID' && !desc ? [] : [[field, desc]];
}

/** The fields a user row shows: those the scope allows, narrowed by an explicit select (ID always). */
function userShape(ctx: CallContext, select: string[]): (row: Row) => Row {
  const visible = visibleUserFields(ctx);
  const explicit = select.filter((s) => s !== '*' && s !== 'UF_*').map((s) => s.toUpperCase());
  return (row: Row): Row => {
    const out: Row = {};
    for (const [k, v] of Object.entries(row)) {
      if (!visible(k)) continue;
      if (explicit.length && !select.includes('*') && !explicit.includes(k) && k !== 'ID') continue;
      out[k] = v;
    }
    return out;
  };
}

/** user.get's filter: the `filter` object plus top-level field params, active users by default. */
function userFilter(params: Params): ParamObject {
  const raw = param(params, 'filter');
  const filterObj: ParamObject = isObject(raw) ? { ...raw } : {};
  // Top-level field params (user.get?ID=5) filter too, as in the docs' examples.
  for (const [k, v] of Object.entries(params))
    if (/^[!<>=%@]*[A-Z_]+$/.test(k) && k in USER_FIELD_TITLES) filterObj[k] = v;
  if (!('ACTIVE' in filterObj) && String(param(params, 'ADMIN_MODE') ?? '') === '') filterObj.ACTIVE = true;
  return filterObj;
}

export function directoryMethods(portal: Portal): MethodDefinition[] {
  return [...userMethods(portal), ...departmentMethods(portal), ...telephonyMethods(portal)];
}

function userMethods(portal: Portal): MethodDefinition[] {
  const userScopes = ['user', 'user_basic', 'user_brief'];
  return [
    {
      name: 'user.get',
      scopes: userScopes,
      handle: (params, ctx) =>
        listOutcome({
          col: portal.users,
          filter: upperFilter(userFilter(params)),
          order: stringOrder(params, 'sort', 'order', 'ID'),
          start: startParam(params),
          shape: userShape(ctx, selectParam(params)),
        }),
    },
    {
      name: 'user.fields',
      scopes: userScopes,
      handle: () => ({ result: USER_FIELD_TITLES, cost: SINGLE_CALL_SECONDS }),
    },
    {
      name: 'user.current',
      scopes: userScopes,
      handle: (_p, ctx) => {
        const row = portal.users.row(ctx.userId) ?? portal.users.row(1);
        return { result: row ? userShape(ctx, [])(row) : {}, cost: SINGLE_CALL_SECONDS };
      },
    },
    {
      name: 'profile',
      scopes: ['basic'],
      handle: (_p, ctx) => {
        const u = portal.users.row(ctx.userId);
        const result = u?.ACTIVE
          ? {
              ID: u.ID,
              ADMIN: ctx.userId === 1,
              NAME: u.NAME,
              LAST_NAME: u.LAST_NAME,
              PERSONAL_GENDER: u.PERSONAL_GENDER,
              TIME_ZONE: u.TIME_ZONE,
            }
          : {};
        return { result, cost: SINGLE_CALL_SECONDS };
      },
    },
  ];
}

function departmentMethods(portal: Portal): MethodDefinition[] {
  const departments = arrayCollection('departments', 'ID', portal.departments);
  return [
    {
      name: 'department.get',
      scopes: ['department'],
      handle: (params) => {
        const obj: ParamObject = {};
        for (const [k, v] of Object.entries(params))
          if (['ID', 'NAME', 'SORT', 'PARENT', 'UF_HEAD'].includes(k.toUpperCase())) obj[k.toUpperCase()] = v;
        return listOutcome({
          col: departments,
          filter: upperFilter(obj),
          order: stringOrder(params, 'sort', 'order', 'ID'),
          start: startParam(params),
          shape: (r) => r,
        });
      },
    },
    {
      name: 'department.fields',
      scopes: ['department'],
      handle: () => ({ result: DEPARTMENT_FIELD_TITLES, cost: SINGLE_CALL_SECONDS }),
    },
  ];
}

function telephonyMethods(portal: Portal): MethodDefinition[] {
  return [
    {
      name: 'voximplant.statistic.get',
      scopes: ['telephony'],
      handle: (params) => {
        const raw = param(params, 'filter');
        return listOutcome({
          col: portal.calls,
          filter: upperFilter(isObject(raw) ? raw : {}),
          order: stringOrder(params, 'SORT', 'ORDER', 'ID'),
          start: startParam(params),
          shape: (r) => r,
        });
      },
    },
  ];
}
