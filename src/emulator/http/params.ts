/**
 * Request parameters as Bitrix reads them: PHP bracket notation in query strings and form bodies
 * (`filter[>DATE_MODIFY]=…`, `select[]=ID`, `fields[PHONE][0][VALUE]=…`), JSON bodies, and
 * multipart forms. PHP turns `a[]=x&a[]=y` into a list; objects whose keys are exactly 0..n-1
 * become arrays so that every encoding yields the same `Params`.
 */
import type { Params, ParamValue } from '../methods/contract.js';

type Tree = { [key: string]: Tree | string };

/** Splits `filter[>ID][0]` into `['filter', '>ID', '0']`; `select[]` gives `['select', '']`. */
function keyPath(rawKey: string): string[] {
  const open = rawKey.indexOf('[');
  if (open <= 0) return [rawKey];
  const path = [rawKey.slice(0, open)];
  let rest = rawKey.slice(open);
  while (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close < 0) break;
    path.push(rest.slice(1, close));
    rest = rest.slice(close + 1);
  }
  return path;
}

function insert(root: Tree, path: string[], value: string): void {
  let node = root;
  for (let i = 0; i < path.length; i++) {
    let key = path[i];
    if (key === '') key = String(Object.keys(node).length);
    if (i === path.length - 1) {
      node[key] = value;
      return;
    }
    const child = node[key];
    if (typeof child !== 'object') {
      const fresh: Tree = {};
      node[key] = fresh;
      node = fresh;
    } else {
      node = child;
    }
  }
}

/** Objects keyed exactly 0..n-1 (in order) become arrays, recursively. */
export function normaliseParamValue(value: unknown): ParamValue {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map(normaliseParamValue);
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    const sequential = entries.length > 0 && entries.every(([k], i) => k === String(i));
    if (sequential) return entries.map(([, v]) => normaliseParamValue(v));
    const out: { [key: string]: ParamValue } = {};
    for (const [k, v] of entries) out[k] = normaliseParamValue(v);
    return out;
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return String(value);
}

function fromPairs(pairs: Iterable<[string, string]>): Params {
  const root: Tree = {};
  for (const [key, value] of pairs) insert(root, keyPath(key), value);
  return normaliseParamValue(root) as Params;
}

/** Parses a query string or `application/x-www-form-urlencoded` body in PHP bracket notation. */
export function parseBracketQuery(query: string): Params {
  if (query.startsWith('?')) query = query.slice(1);
  if (query === '') return {};
  return fromPairs(new URLSearchParams(query));
}

export class ParamsParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ParamsParseError';
  }
}

/** Parses a request body according to its content type; unknown types are read as form data. */
export async function parseBody(body: Buffer, contentType: string | undefined): Promise<Params> {
  if (body.length === 0) return {};
  const type = (contentType ?? '').toLowerCase();
  if (type.includes('application/json')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      throw new ParamsParseError('Invalid JSON body');
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return {};
    const normalised = normaliseParamValue(parsed);
    return Array.isArray(normalised) ? {} : (normalised as Params);
  }
  if (type.includes('multipart/form-data')) {
    // The web platform's Response already parses multipart bodies; files become their text.
    const form = await new Response(body, { headers: { 'content-type': contentType ?? '' } }).formData();
    const pairs: [string, string][] = [];
    for (const [k, v] of form.entries()) pairs.push([k, typeof v === 'string' ? v : await v.text()]);
    return fromPairs(pairs);
  }
  return parseBracketQuery(body.toString('utf8'));
}
