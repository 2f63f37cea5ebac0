/**
 * How each list method pages (most by `start` in pages of 50; imopenlines.config.list.get by
 * `limit`/`offset`, up to 200): its id field, the wrapper its rows come in (`items`,
 * `types`...), its page size, and how to ask for "the next page after ID x" (keyset)
 * or "the page at offset n". Callers pass a method's natural params (select, filter,
 * entityTypeId...) and never the paging ones.
 */
import type { BitrixParams } from '../options.js';

/** How a keyset page is asked for: where the sort and the `>ID` filter go. */
export type KeysetStyle = 'crm' | 'item' | 'user' | 'voximplant';
/** How an offset page is asked for. */
export type OffsetStyle = 'start' | 'START' | 'PARAMS' | 'none';

export interface MethodProfile {
  idField: string;
  wrapper?: string;
  pageSize: number;
  keyset?: KeysetStyle;
  offset: OffsetStyle;
}

const crm: MethodProfile = { idField: 'ID', pageSize: 50, keyset: 'crm', offset: 'start' };

const PROFILES: Record<string, MethodProfile> = {
  'crm.deal.list': crm,
  'crm.contact.list': crm,
  'crm.company.list': crm,
  'crm.lead.list': crm,
  'crm.activity.list': crm,
  'crm.product.list': crm,
  'crm.quote.list': crm,
  'crm.requisite.list': crm,
  'crm.timeline.comment.list': crm,
  'crm.stagehistory.list': { ...crm, wrapper: 'items' },
  'crm.item.list': { idField: 'id', wrapper: 'items', pageSize: 50, keyset: 'item', offset: 'start' },
  'crm.type.list': { idField: 'id', wrapper: 'types', pageSize: 50, offset: 'start' },
  'crm.category.list': { idField: 'id', wrapper: 'categories', pageSize: 50, offset: 'start' },
  'crm.item.productrow.list': { idField: 'id', wrapper: 'productRows', pageSize: 50, offset: 'start' },
  'crm.status.list': { idField: 'ID', pageSize: 50, offset: 'start' },
  'user.get': { idField: 'ID', pageSize: 50, keyset: 'user', offset: 'start' },
  'voximplant.statistic.get': { idField: 'ID', pageSize: 50, keyset: 'voximplant', offset: 'start' },
  'department.get': { idField: 'ID', pageSize: 50, offset: 'START' },
  'imopenlines.config.list.get': { idField: 'ID', pageSize: 200, offset: 'PARAMS' },
  'crm.deal.productrows.get': { idField: 'ID', pageSize: 50, offset: 'none' },
  'crm.deal.contact.items.get': { idField: 'CONTACT_ID', pageSize: 50, offset: 'none' },
};

/** The profile of a method; unknown methods page by `start`/`next` and unwrap a lone array. */
export function profileFor(method: string): MethodProfile {
  return PROFILES[method.toLowerCase()] ?? { idField: 'ID', pageSize: 50, offset: 'start' };
}

const READ_SUFFIX = /(^|\.)(list|get|fields|getlist|search|findbycomm)$/i;
const READ_METHODS = new Set([
  'scope',
  'profile',
  'server.time',
  'methods',
  'method.get',
  'app.info',
  'user.current',
]);

/** True for methods that only read (safe to repeat after a transport failure). */
export function isReadMethod(method: string): boolean {
  const name = method.toLowerCase();
  return READ_METHODS.has(name) || READ_SUFFIX.test(name);
}

/** The rows of a list answer: the array itself, or the profile's wrapper, or a lone array member. */
export function rowsOf(result: unknown, profile: MethodProfile): Record<string, unknown>[] | undefined {
  if (Array.isArray(result)) return result as Record<string, unknown>[];
  if (result === null || typeof result !== 'object') return undefined;
  const wrapped = profile.wrapper ? (result as Record<string, unknown>)[profile.wrapper] : undefined;
  if (Array.isArray(wrapped)) return wrapped as Record<string, unknown>[];
  const arrays = Object.values(result).filter(Array.isArray);
  // PHP writes an empty map as [] and a sparse list as an object: {} is an empty page too.
  if (arrays.length === 1) return arrays[0] as Record<string, unknown>[];
  if (Object.keys(result).length === 0) return [];
  return undefined;
}

/** The key under which `params` holds `name`, matched case-insensitively (legacy methods accept both). */
function keyOf(params: BitrixParams, name: string): string {
  return Object.keys(params).find((k) => k.toLowerCase() === name.toLowerCase()) ?? name;
}

function numeric(value: unknown): number | undefined {
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && value !== ''
        ? Number(value)
        : Number.NaN;
  return Number.isFinite(n) ? n : undefined;
}

/**
 * The caller's params plus keyset paging after `after` (a number, or a batch reference). The
 * caller's own `>ID` is kept when it is higher: a resume point never reads backwards.
 */
export function keysetParams(
  profile: MethodProfile,
  params: BitrixParams,
  after: unknown,
  upTo?: number,
): BitrixParams {
  const out = withIdFilter(profile, params, (filter) => {
    const gtKey = `>${profile.idField}`;
    const callers = takeBound(filter, gtKey);
    const afterNumber = numeric(after);
    if (after === undefined) {
      if (callers !== undefined) filter[gtKey] = callers;
    } else if (afterNumber === undefined) {
      filter[gtKey] = after; // a batch reference, which always points past the caller's bound
    } else {
      filter[gtKey] = callers !== undefined ? Math.max(callers, afterNumber) : afterNumber;
    }
    // A window's upper end, merged with the caller's own `<=ID`: the tighter one wins.
    const leKey = `<=${profile.idField}`;
    const callersLe = takeBound(filter, leKey);
    const le = upTo === undefined ? callersLe : callersLe === undefined ? upTo : Math.min(upTo, callersLe);
    if (le !== undefined) filter[leKey] = le;
  });
  return ordered(profile, out, 'ASC');
}

/**
 * The top page of the list above `after`: the caller's params (its select too: the page's rows
 * are kept), ID descending, without COUNT.
 */
export function topPageParams(profile: MethodProfile, params: BitrixParams, after?: number): BitrixParams {
  return ordered(profile, keysetParams(profile, params, after), 'DESC');
}

/** Where a downward page starts: at or below an ID, or below an ID or a batch reference. */
export type PageTop = { atMost: number } | { below: unknown };

/**
 * The caller's params paging DOWNWARD: ID descending, no COUNT, `<=ID top` or `<ID cursor`, and
 * `>ID floor` (the list's own lower bound) when there is one. The caller's own ID bounds are
 * replaced: the reader has already merged them into `top` and `floor`. A `<ID` reference that a
 * portal cannot resolve is substituted as text, which PHP casts to 0 and `<ID 0` matches nothing,
 * so a command past a list's end returns no rows however the reference is read.
 */
export function windowParams(
  profile: MethodProfile,
  params: BitrixParams,
  top: PageTop,
  floor: number | undefined,
): BitrixParams {
  const out = withIdFilter(profile, params, (filter) => {
    for (const op of ['>', '>=', '<', '<=']) takeBound(filter, `${op}${profile.idField}`);
    if (floor !== undefined) filter[`>${profile.idField}`] = floor;
    if ('atMost' in top) filter[`<=${profile.idField}`] = top.atMost;
    else filter[`<${profile.idField}`] = top.below;
  });
  return ordered(profile, out, 'DESC');
}

/** The ID range the caller's own filter allows: after `after` (exclusive), up to `upTo` (inclusive). */
export function callerIdRange(
  profile: MethodProfile,
  params: BitrixParams,
): { after?: number; upTo?: number } {
  const style = profile.keyset ?? 'crm';
  const filterKey = keyOf(params, style === 'user' || style === 'voximplant' ? 'FILTER' : 'filter');
  const filter = (params[filterKey] as Record<string, unknown> | undefined) ?? {};
  const bound = (op: string) => {
    const key = Object.keys(filter).find((k) => k.toLowerCase() === `${op}${profile.idField}`.toLowerCase());
    return key ? numeric(filter[key]) : undefined;
  };
  const lows = [bound('>'), sub(bound('>='), 1)].filter((n): n is number => n !== undefined);
  const highs = [bound('<='), sub(bound('<'), 1)].filter((n): n is number => n !== undefined);
  return {
    ...(lows.length ? { after: Math.max(...lows) } : {}),
    ...(highs.length ? { upTo: Math.min(...highs) } : {}),
  };
}

function sub(n: number | undefined, by: number): number | undefined {
  return n === undefined ? undefined : n - by;
}

/** Removes the filter entry `key` (any case) and returns its numeric value. */
function takeBound(filter: Record<string, unknown>, key: string): number | undefined {
  const existing = Object.keys(filter).find((k) => k.toLowerCase() === key.toLowerCase());
  if (!existing) return undefined;
  const value = numeric(filter[existing]);
  delete filter[existing];
  return value;
}

/** A copy of `params` whose filter (`filter`, or `FILTER` for legacy methods) `edit` changed. */
function withIdFilter(
  profile: MethodProfile,
  params: BitrixParams,
  edit: (filter: Record<string, unknown>) => void,
): BitrixParams {
  const style = profile.keyset ?? 'crm';
  const out: BitrixParams = { ...params };
  const filterKey = keyOf(out, style === 'user' || style === 'voximplant' ? 'FILTER' : 'filter');
  const filter = { ...((out[filterKey] as Record<string, unknown> | undefined) ?? {}) };
  edit(filter);
  out[filterKey] = filter;
  return out;
}

/** `params` sorted by the id field in `direction`, without a COUNT (`start = -1`). */
function ordered(profile: MethodProfile, params: BitrixParams, direction: 'ASC' | 'DESC'): BitrixParams {
  const style = profile.keyset ?? 'crm';
  const out: BitrixParams = { ...params };
  for (const k of Object.keys(out)) {
    if (['start', 'order', 'sort'].includes(k.toLowerCase())) delete out[k];
  }
  if (style === 'crm' || style === 'item') out.order = { [profile.idField]: direction };
  if (style === 'user') {
    out.sort = profile.idField;
    out.order = direction;
  }
  if (style === 'voximplant') {
    out.SORT = profile.idField;
    out.ORDER = direction;
  }
  out.start = -1;
  return out;
}

/** The id of a row as a number (legacy methods give ids as strings). */
export function rowId(row: Record<string, unknown>, profile: MethodProfile): number | undefined {
  return numeric(row[profile.idField]);
}
