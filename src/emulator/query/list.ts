/**
 * Runs a list query over a collection: filter, order, offset or keyset page. Uses the id order and
 * hot columns when it can, and builds rows only for conditions or orders on other fields.
 */
import type { Collection, Row } from '../portal/collection.js';
import {
  type Condition,
  compareScalar,
  type FilterNode,
  type Group,
  matches,
  matchesNumber,
} from './filter.js';

export const PAGE_SIZE = 50;

export interface ListQuery {
  filter: Group;
  /** [field, descending]; empty = by id ascending. */
  order: [string, boolean][];
  /** Offset; -1 = no COUNT (keyset paging). */
  start: number;
  pageSize?: number;
}

export interface ListPage {
  ids: number[];
  /** Matching rows (0 with start = -1, as the portal reports). */
  total: number;
  next?: number;
  /** Rows the engine had to look at. */
  scanned: number;
  /** Whether the filter or order needed columns without an index. */
  unindexed: boolean;
}

class Evaluator {
  unindexed = false;
  private cache = new Map<number, Row | undefined>();
  constructor(private readonly col: Collection) {}

  row(id: number): Row | undefined {
    if (!this.cache.has(id)) {
      if (this.cache.size > 10000) this.cache.clear();
      this.cache.set(id, this.col.row(id));
    }
    return this.cache.get(id);
  }

  value(id: number, field: string): unknown {
    if (field === this.col.idField) return id;
    if (field in this.col.hot) return this.col.hotValue(id, field);
    this.unindexed = true;
    return this.row(id)?.[field];
  }

  test(id: number, node: FilterNode): boolean {
    if (node.kind === 'group') {
      if (node.children.length === 0) return true;
      return node.logic === 'OR'
        ? node.children.some((c) => this.test(id, c))
        : node.children.every((c) => this.test(id, c));
    }
    return this.cond(id, node);
  }

  private cond(id: number, c: Condition): boolean {
    if (c.field === this.col.idField) return matchesNumber(id, c.op, c.value, false);
    if (c.field in this.col.hot)
      return matchesNumber(this.col.hotValue(id, c.field), c.op, c.value, this.col.timeColumns.has(c.field));
    this.unindexed = true;
    return matches(this.row(id)?.[c.field], c.op, c.value);
  }
}

/** The id window implied by top-level AND conditions on the id (keyset `>ID`) or the owner column. */
function idWindow(col: Collection, filter: Group): [number, number] {
  let lo = 1;
  let hi = col.maxId;
  if (filter.logic !== 'AND') return [lo, hi];
  for (const c of filter.children) {
    if (c.kind !== 'cond') continue;
    const v = Number(c.value);
    if (c.field === col.idField && !Array.isArray(c.value) && Number.isFinite(v)) {
      if (c.op === 'gt') lo = Math.max(lo, Math.floor(v) + 1);
      else if (c.op === 'ge') lo = Math.max(lo, Math.ceil(v));
      else if (c.op === 'lt') hi = Math.min(hi, Math.ceil(v) - 1);
      else if (c.op === 'le') hi = Math.min(hi, Math.floor(v));
      else if (c.op === 'eq') [lo, hi] = [Math.max(lo, v), Math.min(hi, v)];
    } else if (c.field === col.sortedBy && c.op === 'eq' && Number.isFinite(v)) {
      const [a, b] = col.sortedRange(v);
      lo = Math.max(lo, a + 1);
      hi = Math.min(hi, b);
    }
  }
  return [lo, hi];
}

export function runList(col: Collection, q: ListQuery): ListPage {
  const size = q.pageSize ?? PAGE_SIZE;
  const ev = new Evaluator(col);
  const [lo, hi] = idWindow(col, q.filter);
  const byId = q.order.length === 0 || (q.order.length === 1 && q.order[0][0] === col.idField);
  const desc = byId && q.order.length === 1 && q.order[0][1];
  const offset = Math.max(0, q.start);
  let scanned = 0;
  if (byId) {
    const ids: number[] = [];
    let matched = 0;
    for (let k = 0; k <= hi - lo; k++) {
      const id = desc ? hi - k : lo + k;
      if (!col.exists(id)) continue;
      scanned++;
      if (!ev.test(id, q.filter)) continue;
      if (matched >= offset && ids.length < size) ids.push(id);
      matched++;
      if (q.start < 0 && ids.length >= size) break;
    }
    return finish(ids, matched, q.start, size, scanned, ev.unindexed);
  }
  const all: number[] = [];
  for (let id = lo; id <= hi; id++) {
    if (!col.exists(id)) continue;
    scanned++;
    if (ev.test(id, q.filter)) all.push(id);
  }
  ev.unindexed ||= q.order.some(([f]) => !col.isHot(f));
  const keys = new Map<number, unknown[]>(all.map((id) => [id, q.order.map(([f]) => ev.value(id, f))]));
  all.sort((a, b) => {
    const ka = keys.get(a) ?? [];
    const kb = keys.get(b) ?? [];
    for (let i = 0; i < q.order.length; i++) {
      const c = compareNullable(ka[i], kb[i]);
      if (c !== 0) return q.order[i][1] ? -c : c;
    }
    return a - b;
  });
  return finish(all.slice(offset, offset + size), all.length, q.start, size, scanned, ev.unindexed);
}

function compareNullable(a: unknown, b: unknown): number {
  const ea = a === null || a === undefined || a === '' || (typeof a === 'number' && Number.isNaN(a));
  const eb = b === null || b === undefined || b === '' || (typeof b === 'number' && Number.isNaN(b));
  if (ea || eb) return ea === eb ? 0 : ea ? -1 : 1;
  const c = compareScalar(a, b);
  return Number.isNaN(c) ? 0 : c;
}

function finish(
  ids: number[],
  matched: number,
  start: number,
  size: number,
  scanned: number,
  unindexed: boolean,
): ListPage {
  if (start < 0) return { ids, total: 0, scanned, unindexed };
  const page: ListPage = { ids, total: matched, scanned, unindexed };
  if (start + size < matched) page.next = start + size;
  return page;
}
