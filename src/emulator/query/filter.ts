/**
 * Bitrix list filters: `{"<prefix>FIELD": value}` with prefixes `=`, `!`/`!=`, `>`, `>=`, `<`, `<=`,
 * `%`, `=%`/`%=`, `!%`/`!=%`/`!%=`, `@`, `!@`, `><`, `!><`, `?`; crm.item adds nested groups with
 * `logic: "OR"`. Values from query strings are strings, so comparisons coerce: numbers
 * numerically, datetimes as instants, everything else case-insensitively as text.
 */
import type { ParamValue } from '../methods/contract.js';
import { parseDateTime } from '../portal/datetime.js';

export type FilterOp =
  | 'eq'
  | 'ne'
  | 'gt'
  | 'ge'
  | 'lt'
  | 'le'
  | 'like'
  | 'likeRaw'
  | 'notLike'
  | 'in'
  | 'notIn'
  | 'between'
  | 'notBetween';

export interface Condition {
  kind: 'cond';
  field: string;
  op: FilterOp;
  value: ParamValue;
}
export interface Group {
  kind: 'group';
  logic: 'AND' | 'OR';
  children: FilterNode[];
}
export type FilterNode = Condition | Group;

const PREFIXES: [string, FilterOp][] = [
  ['!><', 'notBetween'],
  ['><', 'between'],
  ['!=%', 'notLike'],
  ['!%=', 'notLike'],
  ['!%', 'notLike'],
  ['=%', 'likeRaw'],
  ['%=', 'likeRaw'],
  ['>=', 'ge'],
  ['<=', 'le'],
  ['!@', 'notIn'],
  ['!=', 'ne'],
  ['@', 'in'],
  ['>', 'gt'],
  ['<', 'lt'],
  ['%', 'like'],
  ['?', 'like'],
  ['!', 'ne'],
  ['=', 'eq'],
];

export function parseKey(key: string): { op: FilterOp; field: string } {
  for (const [p, op] of PREFIXES)
    if (key.startsWith(p) && key.length > p.length) return { op, field: key.slice(p.length) };
  return { op: 'eq', field: key };
}

/** Parses a filter object; `nested` allows crm.item's numbered sub-groups and `logic`. */
export function parseFilter(filter: { [k: string]: ParamValue }, nested: boolean): Group {
  const group: Group = { kind: 'group', logic: 'AND', children: [] };
  for (const [key, value] of Object.entries(filter)) {
    if (key.toLowerCase() === 'logic') {
      if (nested && String(value).toUpperCase() === 'OR') group.logic = 'OR';
      continue;
    }
    if (nested && /^\d+$/.test(key) && value && typeof value === 'object') {
      const sub = Array.isArray(value) ? Object.fromEntries(value.map((v, i) => [String(i), v])) : value;
      group.children.push(parseFilter(sub, true));
      continue;
    }
    const { op, field } = parseKey(key);
    // An array given to a plain `=` means IN, as on the portal.
    const effective =
      op === 'eq' && Array.isArray(value) ? 'in' : op === 'ne' && Array.isArray(value) ? 'notIn' : op;
    group.children.push({ kind: 'cond', field, op: effective, value });
  }
  return group;
}

const NUMERIC = /^-?\d+(\.\d+)?$/;
const DATEISH = /^\d{4}-\d{2}-\d{2}/;

/** Orders two scalars the way the portal's SQL would; NaN when they are not comparable. */
export function compareScalar(a: unknown, b: unknown): number {
  if (typeof a === 'boolean' || typeof b === 'boolean')
    return truthy(a) === truthy(b) ? 0 : truthy(a) ? 1 : -1;
  const sa = typeof a === 'number' ? String(a) : String(a ?? '');
  const sb = typeof b === 'number' ? String(b) : String(b ?? '');
  if ((typeof a === 'number' || NUMERIC.test(sa)) && (typeof b === 'number' || NUMERIC.test(sb)))
    return Number(sa) - Number(sb);
  if (DATEISH.test(sa) && DATEISH.test(sb)) {
    const ta = parseDateTime(sa);
    const tb = parseDateTime(sb);
    if (!Number.isNaN(ta) && !Number.isNaN(tb)) return ta - tb;
  }
  const la = sa.toLowerCase();
  const lb = sb.toLowerCase();
  return la < lb ? -1 : la > lb ? 1 : 0;
}

function truthy(v: unknown): boolean {
  return v === true || v === 1 || v === 'Y' || v === '1' || v === 'true';
}

function isEmpty(v: unknown): boolean {
  return v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);
}

/** Multifields ([{VALUE}]) and files compare by their value. */
function scalarsOf(v: unknown): unknown[] {
  if (Array.isArray(v))
    return v.map((x) =>
      x && typeof x === 'object'
        ? ((x as Record<string, unknown>).VALUE ??
          (x as Record<string, unknown>).value ??
          (x as Record<string, unknown>).id)
        : x,
    );
  if (v && typeof v === 'object') return [(v as Record<string, unknown>).id];
  return [v];
}

function likeMatch(value: unknown, pattern: string, raw: boolean): boolean {
  const text = String(value ?? '').toLowerCase();
  const p = pattern.toLowerCase();
  if (!raw || !p.includes('%')) return raw ? text === p : text.includes(p);
  const re = new RegExp(
    `^${p
      .split('%')
      .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
    's',
  );
  return re.test(text);
}

function list(v: ParamValue): ParamValue[] {
  if (Array.isArray(v)) return v;
  if (v && typeof v === 'object') return Object.values(v);
  return [v];
}

/** Whether one value of a row satisfies a condition. */
export function matches(rowValue: unknown, op: FilterOp, value: ParamValue): boolean {
  const values = scalarsOf(rowValue);
  switch (op) {
    case 'eq':
      if (value === '' || value === null || value === false)
        return isEmpty(rowValue) || values.some((x) => compareScalar(x, value) === 0);
      return values.some((x) => !isEmpty(x) && compareScalar(x, value) === 0);
    case 'ne':
      return !matches(rowValue, 'eq', value);
    case 'gt':
      return values.some((x) => !isEmpty(x) && compareScalar(x, value) > 0);
    case 'ge':
      return values.some((x) => !isEmpty(x) && compareScalar(x, value) >= 0);
    case 'lt':
      return values.some((x) => !isEmpty(x) && compareScalar(x, value) < 0);
    case 'le':
      return values.some((x) => !isEmpty(x) && compareScalar(x, value) <= 0);
    case 'like':
      return values.some((x) => likeMatch(x, String(value), false));
    case 'likeRaw':
      return values.some((x) => likeMatch(x, String(value), true));
    case 'notLike':
      return !values.some((x) => likeMatch(x, String(value), String(value).includes('%')));
    case 'in':
      return list(value).some((v) => matches(rowValue, 'eq', v));
    case 'notIn':
      return !list(value).some((v) => matches(rowValue, 'eq', v));
    case 'between': {
      const [lo, hi] = list(value);
      return values.some((x) => !isEmpty(x) && compareScalar(x, lo) >= 0 && compareScalar(x, hi) <= 0);
    }
    case 'notBetween':
      return !matches(rowValue, 'between', value);
  }
}

/** The same test against a hot numeric column (times in ms); avoids building the row. */
function filterNumber(v: ParamValue, isTime: boolean): number {
  if (typeof v === 'number') return v;
  const s = String(v ?? '');
  if (isTime) return parseDateTime(s);
  return s === '' ? Number.NaN : Number(s);
}

export function matchesNumber(n: number, op: FilterOp, value: ParamValue, isTime: boolean): boolean {
  // filterNumber is a plain function, not a closure made per call: this runs for every row a
  // list scans.
  switch (op) {
    case 'eq':
      return n === filterNumber(value, isTime);
    case 'ne':
      return n !== filterNumber(value, isTime);
    case 'gt':
      return n > filterNumber(value, isTime);
    case 'ge':
      return n >= filterNumber(value, isTime);
    case 'lt':
      return n < filterNumber(value, isTime);
    case 'le':
      return n <= filterNumber(value, isTime);
    case 'in':
      return list(value).some((v) => n === filterNumber(v, isTime));
    case 'notIn':
      return !list(value).some((v) => n === filterNumber(v, isTime));
    case 'between': {
      const [lo, hi] = list(value);
      return n >= filterNumber(lo, isTime) && n <= filterNumber(hi, isTime);
    }
    case 'notBetween':
      return !matchesNumber(n, 'between', value, isTime);
    default:
      return matches(isTime ? new Date(n).toISOString() : n, op, value);
  }
}
