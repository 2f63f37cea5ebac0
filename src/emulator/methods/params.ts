/** Reading Bitrix parameters: names are case-insensitive; query-string values arrive as strings. */
import type { Condition, Group } from '../query/filter.js';
import { parseFilter } from '../query/filter.js';
import { MethodError, type Params, type ParamValue } from './contract.js';

export type ParamObject = { [key: string]: ParamValue };

export function param(params: Params, name: string): ParamValue | undefined {
  if (name in params) return params[name];
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(params)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

export function isObject(v: ParamValue | undefined): v is ParamObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Legacy CRM methods answer a malformed parameter with an empty error code and HTTP 400. */
export function legacyError(description: string): MethodError {
  return new MethodError('', description, 400);
}

/** A filter object, or {} when absent; arrays from form encoding (`filter[0]=…`) are objects too. */
export function filterParam(params: Params, onError: (d: string) => MethodError = legacyError): ParamObject {
  const f = param(params, 'filter');
  if (f === undefined || f === null || f === '') return {};
  if (Array.isArray(f) && f.length === 0) return {};
  // A filter of numbered groups ({"0": {...}}) may arrive as a list once parsed.
  if (Array.isArray(f) && f.every((g) => isObject(g)))
    return Object.fromEntries(f.map((g, i) => [String(i), g]));
  if (!isObject(f)) throw onError("Parameter 'filter' must be array.");
  return f;
}

/** `order` as {FIELD: ASC|DESC}; the direction is case-insensitive. */
export function orderParam(
  params: Params,
  upper: boolean,
  onError: (d: string) => MethodError = legacyError,
): [string, boolean][] {
  const o = param(params, 'order');
  if (o === undefined || o === null || o === '' || (Array.isArray(o) && o.length === 0)) return [];
  if (!isObject(o)) throw onError("Parameter 'order' must be array.");
  return Object.entries(o).map(([k, v]) => [upper ? k.toUpperCase() : k, String(v).toUpperCase() === 'DESC']);
}

export function selectParam(params: Params): string[] {
  const s = param(params, 'select');
  if (s === undefined || s === null || s === '') return [];
  if (Array.isArray(s)) return s.map(String);
  if (isObject(s)) return Object.values(s).map(String);
  return [String(s)];
}

export function startParam(params: Params): number {
  const s = Number(param(params, 'start') ?? 0);
  return Number.isInteger(s) && s >= -1 ? s : 0;
}

/** A filter object whose field names are matched upper-case, whatever case the caller wrote. */
export function upperFilter(obj: ParamObject): Group {
  const g = parseFilter(obj, false);
  for (const c of g.children) if (c.kind === 'cond') (c as Condition).field = c.field.toUpperCase();
  return g;
}

/** Legacy CRM field names are upper-case; `filter[id]` means ID. */
export function legacyFilter(params: Params): Group {
  return upperFilter(filterParam(params));
}

export function idParam(params: Params, name = 'id'): number {
  const v = Number(param(params, name));
  return Number.isInteger(v) && v > 0 ? v : 0;
}
