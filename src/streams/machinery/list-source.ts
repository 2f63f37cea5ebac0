/**
 * Rows of one list method. The client owns paging (chained keyset where the method allows it);
 * this adds the window's lower bound to the caller's filter and reports the keyset position.
 */
import { type BatchCommand, type BitrixParams, profileFor } from '../../client/index.js';
import type { ReadContext } from '../stream.js';
import type { PageSource, ReadRange, SourcePage } from './keyed-read.js';

export interface ListSourceSpec {
  method: string;
  /** The ID the method pages by: `ID`, or `id` for crm.item.list. */
  idField: string;
  /** Natural params besides the filter (select, entityTypeId, ...). */
  params?: (range: ReadRange, ctx: ReadContext) => BitrixParams;
  /** The stream's own filter (e.g. deal funnels). */
  filter?: (ctx: ReadContext) => Record<string, unknown>;
  /** `FILTER` for user.get and voximplant.statistic.get, `filter` elsewhere. */
  filterParam?: 'filter' | 'FILTER';
}

export function listSource(spec: ListSourceSpec): PageSource {
  const source: PageSource = async function* (range, ctx): AsyncIterable<SourcePage> {
    const params = paramsFor(spec, range, ctx);
    // The list as it stood when its top page was read: rows added meanwhile have a replication
    // key past the run's start, where the bookmark stops, or come with the next full read.
    const options = { startAfterId: range.startAfterId, signal: ctx.signal, snapshot: true };
    for await (const rows of ctx.client.list<Record<string, unknown>>(spec.method, params, options)) {
      yield { records: rows, lastId: largestId(rows, spec.idField) };
    }
  };
  // Methods paged by `start` answer `total` (rows matching the filter) with their first page.
  const offset = profileFor(spec.method).offset;
  if (offset === 'start' || offset === 'START') {
    source.count = (range, ctx): BatchCommand => ({
      method: spec.method,
      params: { ...paramsFor(spec, range, ctx), [offset]: 0 },
    });
  }
  return source;
}

function paramsFor(spec: ListSourceSpec, range: ReadRange, ctx: ReadContext): BitrixParams {
  const params: BitrixParams = { ...(spec.params?.(range, ctx) ?? {}) };
  const filter: Record<string, unknown> = { ...(spec.filter?.(ctx) ?? {}) };
  if (range.lowerBound) filter[`>=${range.lowerBound.field}`] = range.lowerBound.value;
  if (Object.keys(filter).length > 0) params[spec.filterParam ?? 'filter'] = filter;
  return params;
}

export function largestId(rows: readonly Record<string, unknown>[], idField: string): number | undefined {
  let best: number | undefined;
  for (const row of rows) {
    const id = Number(row[idField]);
    if (Number.isFinite(id) && (best === undefined || id > best)) best = id;
  }
  return best;
}
