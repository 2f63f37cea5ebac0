/** imopenlines.config.list.get: open-line configurations, paged by limit/offset inside PARAMS. */
import { arrayCollection, type Row } from '../portal/collection.js';
import type { Portal } from '../portal/portal.js';
import type { Group } from '../query/filter.js';
import { type MethodDefinition, MethodError, type Params } from './contract.js';
import { listOutcome } from './list-method.js';
import { isObject, type ParamObject, param, upperFilter } from './params.js';

interface OpenLineQuery {
  filter: Group;
  order: [string, boolean][];
  keys: Set<string> | null;
  limit: number;
  offset: number;
}

function invalidFormat(description: string): MethodError {
  return new MethodError('INVALID_FORMAT', description, 400);
}

/** A non-negative integer PARAMS field, or the error the portal gives for anything else. */
function countField(p: ParamObject, name: string, fallback: number): number {
  const n = Number(param(p, name) ?? fallback);
  if (!Number.isInteger(n) || n < 0)
    throw invalidFormat(`A non-negative integer is expected in the PARAMS field '${name}'`);
  return n;
}

/** Every argument sits inside PARAMS (filter, order, select, limit, offset), checked in that order. */
function openLineQuery(params: Params): OpenLineQuery {
  const p = param(params, 'PARAMS') ?? {};
  if (!isObject(p)) throw invalidFormat('A wrong format for the PARAMS field is passed');
  const f = param(p, 'filter');
  if (f !== undefined && !isObject(f) && !(Array.isArray(f) && f.length === 0))
    throw invalidFormat("A wrong format for the PARAMS field 'filter' is passed");
  const limit = countField(p, 'limit', 50);
  const offset = countField(p, 'offset', 0);
  const o = param(p, 'order');
  const order: [string, boolean][] = isObject(o)
    ? Object.entries(o).map(([k, v]) => [k.toUpperCase(), String(v).toUpperCase() === 'DESC'])
    : [];
  const select = param(p, 'select');
  const keys =
    Array.isArray(select) && select.length ? new Set(select.map((s) => String(s).toUpperCase())) : null;
  return { filter: upperFilter(isObject(f) ? f : {}), order, keys, limit, offset };
}

/** QUEUE and QUEUE_USERS_FIELDS for one line: its operators, derived from the line's ID. */
function queueFields(portal: Portal, line: number): Row {
  const queue = [...new Set([1 + (line % portal.counts.users), 1 + ((line * 7) % portal.counts.users)])];
  const users = queue.map((u) => {
    const user = portal.users.row(u);
    const fields = {
      USER_NAME: `${user?.NAME} ${user?.LAST_NAME}`,
      USER_WORK_POSITION: user?.WORK_POSITION || null,
      USER_AVATAR: '',
      USER_AVATAR_ID: null,
    };
    return [String(u), fields];
  });
  return { QUEUE: queue, QUEUE_USERS_FIELDS: Object.fromEntries(users) };
}

export function openLineMethods(portal: Portal): MethodDefinition[] {
  const lines = arrayCollection('open_lines', 'ID', portal.openLines);
  return [
    {
      name: 'imopenlines.config.list.get',
      scopes: ['imopenlines'],
      handle: (params) => {
        const { filter, order, keys, limit, offset } = openLineQuery(params);
        const out = listOutcome({
          col: lines,
          filter,
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
          const extra: Row = flag('QUEUE') ? queueFields(portal, line) : {};
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
