/**
 * Rows that Bitrix only serves one parent at a time (a deal's product rows, comments, contacts).
 * Parent IDs come from an ID-only keyset scan, one per run for all such streams of a parent
 * (shared-parent-ids.ts); the per-parent calls of each page of parents go
 * out through `callMany`, 50 to a batch, so the cost is about parents / 50 requests, not one per
 * parent. The keyset position reported is the parent's ID, so a killed run resumes after the
 * last parent whose rows were made durable.
 */
import { type BatchCommand, NotFoundError } from '../../client/index.js';
import type { ReadContext } from '../stream.js';
import type { PageSource, ReadRange, SourcePage } from './keyed-read.js';
import { largestId } from './list-source.js';
import { type ParentScan, parentIdPages } from './shared-parent-ids.js';

export type { ParentScan } from './shared-parent-ids.js';

export interface PerParentSpec {
  parents: ParentScan;
  /** The call that returns one parent's rows. */
  call: (parentId: number, range: ReadRange) => BatchCommand;
  /** Rows out of one answer. */
  rows: (result: unknown) => Record<string, unknown>[];
  /**
   * For paged per-parent methods, whose first page must be counted (no `start: -1`): an answer
   * with `next`, or a full one, may have more rows, read with the list method after the last
   * row's ID. A short answer is not proof of the end by itself (a portal hides rows the
   * credential may not see after the LIMIT); the absent `next` of a counted page is.
   */
  pageSize?: number;
  idField?: string;
}

export function perParentSource(spec: PerParentSpec): PageSource {
  return async function* (range, ctx): AsyncIterable<SourcePage> {
    for await (const page of parentIdPages(spec.parents, range.startAfterId, ctx)) {
      const records = (await rowsPerParent(spec, page.ids, range, ctx)).flat();
      yield { records, lastId: page.lastId };
    }
  };
}

/** Each parent's rows, in the order of `ids`. */
export async function rowsPerParent(
  spec: Omit<PerParentSpec, 'parents'>,
  ids: readonly number[],
  range: ReadRange,
  ctx: ReadContext,
): Promise<Record<string, unknown>[][]> {
  const perParent: Record<string, unknown>[][] = ids.map(() => []);
  const more: boolean[] = ids.map(() => false);
  for await (const answer of ctx.client.callMany(ids.map((id) => spec.call(id, range)))) {
    // A parent deleted between the scan and the call simply has no rows any more.
    if (answer.error instanceof NotFoundError) continue;
    if (answer.error) throw answer.error;
    perParent[answer.index] = spec.rows(answer.result);
    more[answer.index] = answer.next !== undefined;
  }
  if (spec.pageSize !== undefined) {
    for (let i = 0; i < ids.length; i++) {
      if (!more[i] && perParent[i].length < spec.pageSize) continue;
      perParent[i].push(...(await remainingRows(spec, ids[i], perParent[i], range, ctx)));
    }
  }
  return perParent;
}

async function remainingRows(
  spec: Omit<PerParentSpec, 'parents'>,
  parentId: number,
  firstPage: Record<string, unknown>[],
  range: ReadRange,
  ctx: ReadContext,
): Promise<Record<string, unknown>[]> {
  const command = spec.call(parentId, range);
  const out: Record<string, unknown>[] = [];
  const after = largestId(firstPage, spec.idField ?? 'ID');
  for await (const rows of ctx.client.list<Record<string, unknown>>(command.method, command.params, {
    startAfterId: after,
    signal: ctx.signal,
  })) {
    out.push(...rows);
  }
  return out;
}
