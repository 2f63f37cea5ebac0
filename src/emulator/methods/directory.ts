/** user.*, profile, department.*, voximplant.statistic.get, imopenlines.config.list.get. */
import { arrayCollection, type Row } from '../portal/collection.js';
import {
  DEPARTMENT_FIELD_TITLES,
  USER_BASIC_EXTRA,
  USER_BRIEF_FIELDS,
  USER_FIELD_TITLES,
} from '../portal/descriptors/extra-fields.js';
import type { Portal } from '../portal/portal.js';
import { SINGLE_CALL_SECONDS } from '../query/cost.js';
import { type Group, parseFilter } from '../query/filter.js';
import { type CallContext, type MethodDefinition, MethodError, type Params } from './contract.js';
import { listOutcome } from './list-method.js';
import { isObject, type ParamObject, param, selectParam, startParam } from './params.js';

/** Which user fields the credential may see (api-reference/user/user-scope.md). */
function visibleUserFields(ctx: CallContext): (field: string) => boolean {
  if (ctx.scopes.has('user')) return () => true;
  if (ctx.scopes.has('user_basic')) return (f) => USER_BRIEF_FIELDS.has(f) || USER_BASIC_EXTRA.has(f);
  return (f) => USER_BRIEF_FIELDS.has(f);
}

function upperFilter(obj: ParamObject): Group {
  const g = parseFilter(obj, false);
  for (const c of g.children) if (c.kind === 'cond') c.field = c.field.toUpperCase();
  return g;
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
  return [[field, String(param(params, orderName) ?? 'ASC').toUpperCase() === 'DESC']];
}

export function directoryMethods(portal: Portal): MethodDefinition[] {
  const userScopes = ['user', 'user_basic', 'user_brief'];
  const departments = arrayCollection('departments', 'ID', portal.departments);
  const userShape = (ctx: CallContext, select: string[]) => {
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
  };
  return [
    {
      name: 'user.get',
      scopes: userScopes,
      handle: (params, ctx) => {
        const raw = param(params, 'filter');
        const filterObj: ParamObject = isObject(raw) ? { ...raw } : {};
        // Top-level field params (user.get?ID=5) filter too, as in the docs' examples.
        for (const [k, v] of Object.entries(params))
          if (/^[!<>=%@]*[A-Z_]+$/.test(k) && k in USER_FIELD_TITLES) filterObj[k] = v;
        if (!('ACTIVE' in filterObj) && String(param(params, 'ADMIN_MODE') ?? '') === '')
          filterObj.ACTIVE = true;
        const filter = upperFilter(filterObj);
        const order = stringOrder(params, 'sort', 'order', 'ID');
        return listOutcome({
          col: portal.users,
          filter,
          order: order[0][0] === 'ID' && !order[0][1] ? [] : order,
          start: startParam(params),
          shape: userShape(ctx, selectParam(params)),
        });
      },
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
    {
      name: 'department.get',
      scopes: ['department'],
      handle: (params) => {
        const obj: ParamObject = {};
        for (const [k, v] of Object.entries(params))
          if (['ID', 'NAME', 'SORT', 'PARENT', 'UF_HEAD'].includes(k.toUpperCase())) obj[k.toUpperCase()] = v;
        const order = stringOrder(params, 'sort', 'order', 'ID');
        return listOutcome({
          col: departments,
          filter: upperFilter(obj),
          order: order[0][0] === 'ID' && !order[0][1] ? [] : order,
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
    {
      name: 'voximplant.statistic.get',
      scopes: ['telephony'],
      handle: (params) => {
        const raw = param(params, 'filter');
        const order = stringOrder(params, 'SORT', 'ORDER', 'ID');
        return listOutcome({
          col: portal.calls,
          filter: upperFilter(isObject(raw) ? raw : {}),
          order: order[0][0] === 'ID' && !order[0][1] ? [] : order,
          start: startParam(params),
          shape: (r) => r,
        });
      },
    },
    {
      name: 'imopenlines.config.list.get',
      scopes: ['imopenlines'],
      handle: (params) => {
        const p = param(params, 'PARAMS') ?? {};
        if (!isObject(p))
          throw new MethodError('INVALID_FORMAT', 'A wrong format for the PARAMS field is passed', 400);
        const get = (k: string) => param(p, k);
        const f = get('filter');
        if (f !== undefined && !isObject(f) && !(Array.isArray(f) && f.length === 0))
          throw new MethodError(
            'INVALID_FORMAT',
            "A wrong format for the PARAMS field 'filter' is passed",
            400,
          );
        const limit = Number(get('limit') ?? 50);
        if (!Number.isInteger(limit) || limit < 0)
          throw new MethodError(
            'INVALID_FORMAT',
            "A non-negative integer is expected in the PARAMS field 'limit'",
            400,
          );
        const offset = Number(get('offset') ?? 0);
        if (!Number.isInteger(offset) || offset < 0)
          throw new MethodError(
            'INVALID_FORMAT',
            "A non-negative integer is expected in the PARAMS field 'offset'",
            400,
          );
        const o = get('order');
        const order: [string, boolean][] = isObject(o)
          ? Object.entries(o).map(([k, v]) => [k.toUpperCase(), String(v).toUpperCase() === 'DESC'])
          : [];
        const select = get('select');
        const keys =
          Array.isArray(select) && select.length ? new Set(select.map((s) => String(s).toUpperCase())) : null;
        const col = arrayCollection('open_lines', 'ID', portal.openLines);
        const out = listOutcome({
          col,
          filter: upperFilter(isObject(f) ? f : {}),
          order,
          start: offset,
          pageSize: Math.min(limit, 200),
          shape: (r) => (keys ? Object.fromEntries(Object.entries(r).filter(([k]) => keys.has(k))) : r),
        });
        // QUEUE, QUEUE_USERS_FIELDS and CONFIG_QUEUE come only when OPTIONS asks for them.
        const options = param(params, 'OPTIONS');
        const flag = (k: string) =>
          isObject(options) && String(param(options, k) ?? 'N').toUpperCase() === 'Y';
        const rows = (out.result as Row[]).map((r) => {
          const line = Number(r.ID);
          const queue = [1 + (line % portal.counts.users), 1 + ((line * 7) % portal.counts.users)];
          const extra: Row = {};
          if (flag('QUEUE')) {
            extra.QUEUE = [...new Set(queue)];
            extra.QUEUE_USERS_FIELDS = Object.fromEntries(
              [...new Set(queue)].map((u) => {
                const user = portal.users.row(u);
                return [
                  String(u),
                  {
                    USER_NAME: `${user?.NAME} ${user?.LAST_NAME}`,
                    USER_WORK_POSITION: user?.WORK_POSITION || null,
                    USER_AVATAR: '',
                    USER_AVATAR_ID: null,
                  },
                ];
              }),
            );
          }
          if (flag('CONFIG_QUEUE'))
            extra.CONFIG_QUEUE = line % 2 ? [{ ENTITY_ID: '1', ENTITY_TYPE: 'department' }] : [];
          return { ...r, ...extra };
        });
        // The method pages by limit/offset and reports neither total nor next.
        return { result: rows, cost: out.cost };
      },
    },
  ];
}
