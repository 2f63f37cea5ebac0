/**
 * One ID-only scan of a parent list (crm.deal.list) for every stream of a run that reads per
 * parent (deal_comments, deal_products): the first reader starts it, the others follow it from
 * memory, so the portal serves each deal ID once per run instead of once per stream. The scan
 * is pulled by whichever reader is ahead, so it never runs further than a reader needs. IDs are
 * kept (a number each: about 8 MB per million deals) for readers that start later in the run.
 */
import type { ReadContext } from '../stream.js';
import { largestId } from './list-source.js';

export interface ParentScan {
  method: string;
  filter: (ctx: ReadContext) => Record<string, unknown>;
}

/** A page of parent IDs, as the list served them, and the largest ID in it (the resume point). */
export interface ParentIdPage {
  ids: number[];
  lastId?: number;
}

class SharedIdScan {
  private readonly ids: number[] = [];
  /** `ids` index after each page. */
  private readonly pageEnds: number[] = [];
  private readonly lastIds: (number | undefined)[] = [];
  private done = false;
  private failure: { error: unknown } | undefined;
  private pulling: Promise<void> | undefined;

  constructor(
    private readonly source: AsyncIterator<Record<string, unknown>[]>,
    /** The ID the scan started after: readers resuming before it cannot use this scan. */
    readonly startAfterId: number,
  ) {}

  async *pages(startAfterId: number): AsyncGenerator<ParentIdPage> {
    for (let page = 0; ; page++) {
      while (page >= this.pageEnds.length) {
        if (this.failure) throw this.failure.error;
        if (this.done) return;
        await this.pull();
      }
      const from = page === 0 ? 0 : this.pageEnds[page - 1];
      const ids = this.ids.slice(from, this.pageEnds[page]).filter((id) => id > startAfterId);
      if (ids.length > 0) yield { ids, lastId: this.lastIds[page] };
    }
  }

  /** Reads the next page of the list; readers waiting at the same point share one request. */
  private pull(): Promise<void> {
    this.pulling ??= this.source
      .next()
      .then(
        (next) => {
          if (next.done) {
            this.done = true;
            return;
          }
          for (const row of next.value) {
            const id = Number(row.ID);
            if (Number.isFinite(id)) this.ids.push(id);
          }
          this.pageEnds.push(this.ids.length);
          this.lastIds.push(largestId(next.value, 'ID'));
        },
        (error: unknown) => {
          this.failure = { error };
        },
      )
      .finally(() => {
        this.pulling = undefined;
      });
    return this.pulling;
  }
}

function scanRows(
  parents: ParentScan,
  startAfterId: number | undefined,
  ctx: ReadContext,
): AsyncIterable<Record<string, unknown>[]> {
  const filter = parents.filter(ctx);
  return ctx.client.list<Record<string, unknown>>(
    parents.method,
    { select: ['ID'], ...(Object.keys(filter).length > 0 ? { filter } : {}) },
    { startAfterId, signal: ctx.signal },
  );
}

/**
 * Pages of parent IDs after `startAfterId`: from the run's shared scan of the same list and
 * filter where there is one that started early enough, else from a new one, shared in turn.
 * Without a run to share with (`ctx.shared` unset), a scan of its own.
 */
export async function* parentIdPages(
  parents: ParentScan,
  startAfterId: number | undefined,
  ctx: ReadContext,
): AsyncGenerator<ParentIdPage> {
  const after = startAfterId ?? 0;
  const key = `parent-ids ${parents.method} ${JSON.stringify(parents.filter(ctx))}`;
  let scan = ctx.shared?.get(key);
  if (!(scan instanceof SharedIdScan) || scan.startAfterId > after) {
    scan = new SharedIdScan(scanRows(parents, startAfterId, ctx)[Symbol.asyncIterator](), after);
    // A scan that starts later than the one held would serve fewer readers: keep the earlier one.
    if (!ctx.shared?.has(key)) ctx.shared?.set(key, scan);
  }
  yield* (scan as SharedIdScan).pages(after);
}
